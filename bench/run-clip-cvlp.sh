#!/usr/bin/env bash
# CVLP training step on CLIP's towers (ModifiedResNet-50, ViT-B/16 + CLIP's text transformer), DJL
# (dev.vlltr.bench.ClipCvlpThroughput) against PyTorch eager (bench/clip_cvlp_peer_pytorch.py: same network, loss and
# AdamW, fp32) on the CPU, through the benchmark harness (interleaved rounds, steady warm-up, median and min–max,
# ratio, load check; bench/README.md). The GPU version is bench/gpu-check.sh.
# Usage: bench/run-clip-cvlp.sh [--backbones "resnet50 vit-b16"] [--image-size 64] [--batch 32] [--threads 2]
#        [--steps 10] [--rounds 5] [--force] [--out DIR]; further options go to both sides (e.g. --max-warmup 20)
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
harness_parse "$@"
backbones="resnet50 vit-b16"
size=64
batch=32
threads=2
steps=10
H_USAGE_LINES='2,7p' harness_options pass --backbones=backbones --image-size=size --batch=batch --threads=threads \
    --steps=steps -- "${H_ARGS[@]+"${H_ARGS[@]}"}"
extra=("${H_REST[@]+"${H_REST[@]}"}")
cd "$HARNESS_ROOT"
harness_peer_python safetensors=safetensors
harness_bench_classpath
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
for b in $backbones; do
  java_run() {
    # shellcheck disable=SC2046
    "${H_DJL_ENV[@]}" java $(harness_djl_threads "$threads") -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" \
         dev.vlltr.bench.ClipCvlpThroughput --backbone "$b" --image-size "$size" --batch "$batch" --steps "$steps" \
         "${extra[@]+"${extra[@]}"}"
  }
  torch_run() {
    "${H_PEER_ENV[@]}" "$PEER_PY" bench/clip_cvlp_peer_pytorch.py --backbone "$b" --image-size "$size" --batch "$batch" --device cpu \
      --threads "$threads" --steps "$steps" "${extra[@]+"${extra[@]}"}"
  }
  harness_compare "CLIP CVLP step $b ${size}px batch $batch $threads thread(s)" images_per_s djl java_run torch torch_run
done
