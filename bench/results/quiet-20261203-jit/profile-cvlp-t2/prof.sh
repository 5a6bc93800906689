#!/usr/bin/env bash
# libtorch profiler traces of the CVLP step at 2 threads: DJL warmed up by step-time CV only (the old rule) vs CV + JIT quiet, and the peer
cd /work/main
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
TUN=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
D=${D:-/tmp/z/prof}; mkdir -p $D
for r in 1 2; do
for v in cvonly jitquiet; do
  extra=""; [ $v = cvonly ] && extra="--jit-quiet-fraction 1"
  GLIBC_TUNABLES=$TUN java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.vlltr.bench.CvlpThroughput --steps 30 $extra --native-profile $D/djl-$v-$r.json 2>$D/djl-$v-$r.err | tail -1 > $D/djl-$v-$r.out
  echo "$v $r $(date -u +%T) $(cat $D/djl-$v-$r.out | cut -c1-400)"
done
GLIBC_TUNABLES=$TUN ~/.cache/vlltr/venv-torch271/bin/python bench/cvlp_peer_pytorch.py --threads 2 --steps 30 --profile $D/peer-$r 2>$D/peer-$r.err | tail -1 > $D/peer-$r.out
echo "peer $r $(date -u +%T) $(cat $D/peer-$r.out | cut -c1-300)"
done
