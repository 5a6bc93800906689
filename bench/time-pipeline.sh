#!/usr/bin/env bash
# Times the whole pipeline through the local runner with the harness's load check: refuses on a loaded machine
# (other work > 0.25 of the cores, from /proc/stat) unless --force, records the load before and after, runs orchestration/run-local.sh in a
# fresh work directory (nothing memoised) and prints the wall time of every stage execution from the runner's output.
# Usage: bench/time-pipeline.sh [--quick] [--force] [--out DIR] [runner options, e.g. --jvm-option -Dai.djl.pytorch.num_threads=1]
# Env: VLLTR_SKIP_BUILD=1 to time the stages without the build check.
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
case "${1:-}" in -h|--help) sed -n '2,6p' "$0"; harness_usage_common; exit 0 ;; esac
harness_parse "$@"
cd "$HARNESS_ROOT"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="${VLLTR_TIME_WORK_DIR:-/tmp/vlltr-time-pipeline-$stamp}"
log="$H_OUT/pipeline-$stamp.log"
harness_check_load
before=$(harness_load)
t0=$(date +%s)
set +e
orchestration/run-local.sh --work-dir "$work" "${H_ARGS[@]+"${H_ARGS[@]}"}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
wall=$(( $(date +%s) - t0 ))
after=$(harness_load)
echo
echo "== pipeline timing ($([ -n "${H_ARGS[*]:-}" ] && echo "${H_ARGS[*]}" || echo default profile)), exit code $rc"
# the runner's outcome lines: "[ i/n] <stage-id> done|memoised|FAILED <1m05s|12.3s>  <metrics>"
grep -E '^\[ *[0-9]+/[0-9]+\] +[^ ]+ +(done|memoised|FAILED) ' "$log" \
  | sed -E 's/^\[ *[0-9]+\/[0-9]+\] +([^ ]+) +([A-Za-z]+) +([0-9]+m[0-9]+s|[0-9.]+s).*/  \1\t\2\t\3/' || true
printf '  total wall time (build check, registry start and every stage): %dm %02ds\n' $((wall / 60)) $((wall % 60))
echo "  load average before: $before   after: $after   on $(harness_cores) cores"
if awk -v b="$H_OTHER_BUSY" 'BEGIN { exit !(b > 0.25) }'; then
  echo "  WARNING: LOADED MACHINE (other work kept $H_OTHER_BUSY of the cores busy before the run): not a quiet-machine timing"
fi
echo "  runner output: $log; work directory: $work"
exit "$rc"
