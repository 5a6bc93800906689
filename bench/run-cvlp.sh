#!/usr/bin/env bash
# CVLP training step, Java (the stage's CvlpTrainer on DJL + libtorch 2.7.1) against the same step in PyTorch eager
# (torch 2.7.1 from PyPI by default), through the benchmark harness: interleaved rounds, steady warm-up, median and
# min–max per side, ratio of medians, load before/after, refusal on a loaded machine (bench/README.md).
# Usage: bench/run-cvlp.sh [--threads "1 2"] [--steps 30] [--rounds 5] [--force] [--peer pypi|debian] [--out DIR]
#        further options go to both sides (e.g. --max-warmup 100, --steady-cv 0.03)
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
harness_parse "$@"
threads="1 2"
steps=30
extra=()
set -- "${H_ARGS[@]+"${H_ARGS[@]}"}"
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; harness_usage_common; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done
cd "$HARNESS_ROOT"
harness_peer_python
harness_bench_classpath
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
for t in $threads; do
  java_run() {
    # shellcheck disable=SC2046
    java $(harness_djl_threads "$t") -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" \
         dev.vlltr.bench.CvlpThroughput --steps "$steps" "${extra[@]+"${extra[@]}"}"
  }
  torch_run() { "$PEER_PY" bench/cvlp_peer_pytorch.py --threads "$t" --steps "$steps" "${extra[@]+"${extra[@]}"}"; }
  harness_compare "CVLP step batch 128 ResNet-20 $t thread(s)" images_per_s djl java_run torch torch_run
done
