#!/usr/bin/env bash
# Streaming loader throughput (decode + augment + batch), Java (StreamingLoader: ImageIO/libjpeg decode, our
# RandomResizedCrop/flip/ColorJitter/Normalize) side by side with torch's DataLoader + PIL + torchvision, same list of
# 256-px JPEGs, same transform, batch and worker count; interleaved rounds so both see the same machine load.
# Usage: bench/run-loader.sh [rounds] [workers] [images]
# Needs: apt-get install python3-torchvision python3-pil; ./mvnw -q -o -pl bench -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
workers=${2:-2}
images=${3:-512}
data=${VLLTR_BENCH_JPEGS:-/tmp/vlltr-bench-jpegs-$images}
[ -f "$data/list.txt" ] || /usr/bin/python3 bench/datasets/make_jpegs.py "$data" "$images"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java_run() {
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.vlltr.bench.LoaderThroughput "$data" \
       --workers "$workers" --batch 64 --epochs 2
}
torch_run() { /usr/bin/python3 bench/datasets/loader_peer_pytorch.py "$data" --workers "$workers" --batch 64 --epochs 2; }
declare -a j t
for r in $(seq 1 "$rounds"); do
  echo "round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
  j+=("$(java_run | tail -1)")
  t+=("$(torch_run | tail -1)")
  echo "round $r: java ${j[-1]}"
  echo "round $r: torch ${t[-1]}"
done
/usr/bin/python3 - "${j[@]}" --- "${t[@]}" <<'PY'
import json, statistics, sys
args = sys.argv[1:]; cut = args.index("---")
java = [json.loads(a)["images_per_s"] for a in args[:cut]]
torch = [json.loads(a)["images_per_s"] for a in args[cut + 1:]]
ratios = [a / b for a, b in zip(java, torch)]
def s(v): return f"median {statistics.median(v):.1f}, min {min(v):.1f}, max {max(v):.1f}"
print(f"java  img/s: {s(java)}")
print(f"torch img/s: {s(torch)}")
print(f"ratio java/torch per round: {', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f}")
PY
