#!/usr/bin/env bash
# cRT classifier re-training on frozen features, Java (the recalibration stage's ClassifierRetrainer) against the same
# SGD loop in PyTorch eager (torch 2.7.1 from PyPI by default), through the benchmark harness (bench/README.md).
# One harness step = one epoch of --batches (16) batches of --batch (512) rows; the metric is rows per second.
# Usage: bench/run-recalibration.sh [--threads "1 2"] [--steps 30] [--rounds 5] [--force] [--peer pypi|debian]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
case "${1:-}" in -h|--help) sed -n '2,5p' "$0"; harness_usage_common; exit 0 ;; esac
harness_parse "$@"
harness_step_bench "cRT epoch on features batch 512" dev.vlltr.bench.RecalibrationThroughput \
    bench/recalibration_peer_pytorch.py "${H_ARGS[@]+"${H_ARGS[@]}"}"
