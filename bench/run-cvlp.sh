#!/usr/bin/env bash
# CVLP training step, Java (the stage's CvlpTrainer on DJL + libtorch 2.7.1) against the same step in PyTorch eager
# (torch 2.7.1 from PyPI by default), through the benchmark harness: interleaved rounds, steady warm-up, median and
# min–max per side, ratio of medians, load before/after, refusal on a loaded machine (bench/README.md).
# Usage: bench/run-cvlp.sh [--threads "1 2"] [--steps 30] [--rounds 5] [--force] [--peer pypi|debian] [--out DIR]
#        further options go to both sides (e.g. --max-warmup 100, --steady-cv 0.03, --batch 64)
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
case "${1:-}" in -h|--help) sed -n '2,6p' "$0"; harness_usage_common; exit 0 ;; esac
harness_parse "$@"
harness_step_bench "CVLP step batch 128 ResNet-20" dev.vlltr.bench.CvlpThroughput bench/cvlp_peer_pytorch.py \
    "${H_ARGS[@]+"${H_ARGS[@]}"}"
