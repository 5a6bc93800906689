#!/usr/bin/env bash
# Profiles the LGR step on features on both sides inside the same libtorch profiler: DJL (LgrThroughput
# --native-profile, JniUtils.startProfile) and the peer (lgr_peer_pytorch.py --profile, torch.profiler), both
# summarised by bench/lib/trace_summary.py --top-level: operator self time, operator calls and host-language
# (JNI / Python) calls into libtorch per step; DJL also prints the Java heap bytes its main thread allocates per step.
# Counts do not depend on the load; times do (the load is printed next to them). Not a comparison: use bench/run-lgr.sh.
# Usage: bench/profile-lgr.sh [--threads "1"] [--steps 20] [--out DIR] [--peer pypi|debian] [--force]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
case "${1:-}" in -h|--help) sed -n '2,7p' "$0"; harness_usage_common; exit 0 ;; esac
harness_parse "$@"
threads="1"
steps=20
harness_options strict --threads=threads --steps=steps -- "${H_ARGS[@]+"${H_ARGS[@]}"}"
cd "$HARNESS_ROOT"
harness_peer_python
harness_bench_classpath
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
for t in $threads; do
  harness_check_load
  echo "== load $(harness_load): DJL, $t thread(s), libtorch profiler"
  trace="$H_OUT/lgr-djl-t$t.trace.json"
  # shellcheck disable=SC2046
  "${H_DJL_ENV[@]}" java $(harness_djl_threads "$t") ${HARNESS_JVM_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
       -cp "$BENCH_CP" dev.vlltr.bench.LgrThroughput --steps "$steps" --native-profile "$trace" | tail -1
  python3 bench/lib/trace_summary.py "$trace" --steps "$steps" --top-level | tee "$H_OUT/lgr-djl-t$t.txt"
  echo "== load $(harness_load): PyTorch, $t thread(s), torch.profiler"
  "${H_PEER_ENV[@]}" "$PEER_PY" bench/lgr_peer_pytorch.py --threads "$t" --steps "$steps" --profile "$H_OUT" | tail -1
  python3 bench/lib/trace_summary.py "$H_OUT"/lgr-torch-*-t"$t".trace.json --steps "$steps" --top-level \
      | tee "$H_OUT/lgr-torch-t$t.txt"
done
