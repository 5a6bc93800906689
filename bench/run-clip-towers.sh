#!/usr/bin/env bash
# CLIP image-tower training steps (RN50, ViT-B/16 at a small image size), Java (DJL + libtorch 2.7.1) interleaved with
# PyTorch eager 2.7.1 (the same libtorch version, from PyPI: pip install -r tools/clip/requirements.txt into $PY's env).
# Usage: bench/run-clip-towers.sh [rounds] [steps] [image-size] [batch]
# Needs: ./mvnw -q -pl bench -am package -DskipTests (writes bench/target/classpath.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
steps=${2:-10}
size=${3:-64}
batch=${4:-16}
PY=${PY:-$HOME/.cache/vlltr/venv-torch271/bin/python}
source bench/lib/harness.sh   # HARNESS_MALLOC_TUNABLES: the Java side runs with the stages' malloc settings
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
for backbone in resnet50 vit-b16; do
  declare -a j=() t=()
  for r in $(seq 1 "$rounds"); do
    j+=("$(GLIBC_TUNABLES="$HARNESS_MALLOC_TUNABLES" java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.vlltr.bench.ClipTowerThroughput \
        --backbone "$backbone" --steps "$steps" --image-size "$size" --batch "$batch" | tail -1)")
    t+=("$("$PY" bench/clip_towers_peer_pytorch.py --threads 1 --backbone "$backbone" --steps "$steps" \
        --image-size "$size" --batch "$batch" | tail -1)")
    echo "round $r: java ${j[-1]}"
    echo "round $r: torch ${t[-1]}"
  done
  python3 - "$backbone" "${j[@]}" --- "${t[@]}" <<'PY'
import json, statistics, sys
backbone, args = sys.argv[1], sys.argv[2:]; cut = args.index("---")
java = [json.loads(a)["images_per_s"] for a in args[:cut]]
torch = [json.loads(a)["images_per_s"] for a in args[cut + 1:]]
jm, tm = statistics.median(java), statistics.median(torch)
print(f"{backbone} training step, 1 thread: Java/DJL {jm:.1f} img/s, PyTorch eager {tm:.1f} img/s, ratio {jm / tm:.2f}")
PY
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
