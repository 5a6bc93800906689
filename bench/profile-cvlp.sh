#!/usr/bin/env bash
# Profiles the CVLP step on both sides at each thread count: the DJL side under JFR (Java and native method samples
# of the main thread, summarised by bench/lib/jfr_summary.py: phase, JNI entry point, dev.vlltr caller) and the peer
# under torch.profiler (operator table by self CPU time). Not a comparison: use bench/run-cvlp.sh for numbers.
# Usage: bench/profile-cvlp.sh [--threads "1 2"] [--steps 60] [--out DIR] [--peer pypi|debian] [--force]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
case "${1:-}" in -h|--help) sed -n '2,5p' "$0"; harness_usage_common; exit 0 ;; esac
harness_parse "$@"
threads="1 2"
steps=60
harness_options strict --threads=threads --steps=steps -- "${H_ARGS[@]+"${H_ARGS[@]}"}"
cd "$HARNESS_ROOT"
harness_peer_python
harness_bench_classpath
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
for t in $threads; do
  harness_check_load
  echo "== load $(harness_load): DJL, $t thread(s), JFR"
  rec="$H_OUT/cvlp-djl-t$t.jfr"
  # shellcheck disable=SC2046
  "${H_DJL_ENV[@]}" java $(harness_djl_threads "$t") -XX:StartFlightRecording=filename="$rec",settings=profile \
       -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" dev.vlltr.bench.CvlpThroughput \
       --steps "$steps" | tail -1
  python3 bench/lib/jfr_summary.py "$rec" | tee "$H_OUT/cvlp-djl-t$t.txt"
  echo "== load $(harness_load): PyTorch, $t thread(s), torch.profiler"
  "${H_PEER_ENV[@]}" "$PEER_PY" bench/cvlp_peer_pytorch.py --threads "$t" --steps "$((steps / 4))" --profile "$H_OUT" | head -30
done
