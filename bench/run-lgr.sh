#!/usr/bin/env bash
# LGR training step on frozen features, Java (the stage's LgrTrainer, input=features) against the same head, loss
# and AdamW groups in PyTorch eager (torch 2.7.1 from PyPI by default), through the benchmark harness (bench/README.md).
# Usage: bench/run-lgr.sh [--threads "1 2"] [--steps 30] [--rounds 5] [--force] [--peer pypi|debian] [--out DIR]
#        further options go to both sides (e.g. --batch 256, --anchors 64, --dim 128, --max-warmup 100)
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
case "${1:-}" in -h|--help) sed -n '2,5p' "$0"; harness_usage_common; exit 0 ;; esac
harness_parse "$@"
harness_step_bench "LGR step on features batch 128" dev.vlltr.bench.LgrThroughput bench/lgr_peer_pytorch.py \
    "${H_ARGS[@]+"${H_ARGS[@]}"}"
