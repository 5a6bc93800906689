#!/usr/bin/env bash
# CVLP training throughput, Java (DJL + libtorch 2.7.1) side by side with PyTorch eager (Debian python3-torch),
# interleaved so that both see the same machine load. Usage: bench/run-cvlp.sh [rounds] [steps]
# Needs: apt-get install python3-torch; ./mvnw -q -pl bench -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
steps=${2:-30}
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java_run() {
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
       -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.vlltr.bench.CvlpThroughput --steps "$steps"
}
torch_run() { /usr/bin/python3 bench/cvlp_peer_pytorch.py --threads 2 --steps "$steps"; }
declare -a j t
for r in $(seq 1 "$rounds"); do
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
jm, tm = statistics.median(java), statistics.median(torch)
print(f"CVLP step, batch 128, 2 threads: Java/DJL {jm:.1f} img/s, PyTorch eager {tm:.1f} img/s, ratio {jm / tm:.2f}")
PY
