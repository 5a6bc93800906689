#!/usr/bin/env bash
# Streaming loader throughput (decode + augment + batch), Java (StreamingLoader: ImageIO/libjpeg decode, our
# RandomResizedCrop/flip/ColorJitter/Normalize) against torch's DataLoader + PIL + torchvision (PyPI torch 2.7.1 and
# torchvision 0.22.1 by default), same list of 256-px JPEGs, same transform, batch and worker count, through the
# benchmark harness (interleaved rounds, median and min–max, load check; bench/README.md). Both sides run one untimed
# epoch first (workers started, files in the page cache), then time --epochs epochs.
# Usage: bench/run-loader.sh [--workers 2] [--images 512] [--epochs 2] [--rounds 5] [--force] [--peer pypi|debian]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
harness_parse "$@"
workers=2
images=512
epochs=2
H_USAGE_LINES='2,7p' harness_options strict --workers=workers --images=images --epochs=epochs -- \
    "${H_ARGS[@]+"${H_ARGS[@]}"}"
cd "$HARNESS_ROOT"
harness_peer_python torchvision=torchvision==0.22.1 PIL=pillow
harness_bench_classpath
data=${VLLTR_BENCH_JPEGS:-/tmp/vlltr-bench-jpegs-$images}
[ -f "$data/list.txt" ] || "$PEER_PY" bench/datasets/make_jpegs.py "$data" "$images"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
java_run() {
  "${H_DJL_ENV[@]}" java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" dev.vlltr.bench.LoaderThroughput "$data" \
       --workers "$workers" --batch 64 --epochs "$epochs"
}
torch_run() { "${H_PEER_ENV[@]}" "$PEER_PY" bench/datasets/loader_peer_pytorch.py "$data" --workers "$workers" --batch 64 --epochs "$epochs"; }
harness_compare "loader $workers workers batch 64" images_per_s djl java_run torch torch_run
