#!/usr/bin/env bash
# The stages' glibc malloc settings (GLIBC_TUNABLES, dev.vlltr.runtime.cli.MallocTunables) against glibc's defaults,
# DJL against DJL, interleaved through the benchmark harness (bench/README.md): the CVLP and LGR steps at each of
# --threads. Prints each side's minor page faults per step next to its images per second. --baseline TUNABLES runs the
# other side with those settings instead of glibc's defaults (e.g. the settings without one of their parts).
# Usage: bench/run-malloc.sh [--threads "1 2"] [--benches "CvlpThroughput LgrThroughput"] [--baseline TUNABLES]
#        [--rounds 5] [--force] [--out DIR]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
case "${1:-}" in -h|--help) sed -n '2,7p' "$0"; harness_usage_common; exit 0 ;; esac
harness_parse "$@"
threads="1 2"
benches="CvlpThroughput LgrThroughput"
baseline=""
harness_options strict --threads=threads --benches=benches --baseline=baseline -- "${H_ARGS[@]+"${H_ARGS[@]}"}"
cd "$HARNESS_ROOT"
harness_bench_classpath
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
other=default other_label="glibc defaults"
if [ -n "$baseline" ]; then
  other=baseline other_label=baseline
  echo "baseline GLIBC_TUNABLES=$baseline"
fi
for cls in $benches; do
  for t in $threads; do
    # shellcheck disable=SC2046
    _tuned() { env GLIBC_TUNABLES="$HARNESS_MALLOC_TUNABLES" java $(harness_djl_threads "$t") \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" "dev.vlltr.bench.$cls"; }
    # shellcheck disable=SC2046
    _other() { if [ -n "$baseline" ]; then set -- env GLIBC_TUNABLES="$baseline"; else set -- env -u GLIBC_TUNABLES; fi
        "$@" java $(harness_djl_threads "$t") -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" \
        "dev.vlltr.bench.$cls"; }
    harness_compare "DJL $cls malloc tuned vs $other_label $t thread(s)" images_per_s tuned _tuned "$other" _other
  done
done
