#!/usr/bin/env bash
# DJL vs DJL: the stages' malloc settings with and without glibc.malloc.top_pad=64 MiB (keeps glibc from deleting an emptied per-thread heap)
cd /work/main
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
TUN=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
B=${B:-CvlpThroughput}
D=${D:-/tmp/z/toppad}; mkdir -p $D
for T in ${THREADS:-1 2}; do
for r in 1 2 3 4 5; do
for v in tuned pad; do
  t=$TUN; [ $v = pad ] && t=$TUN:glibc.malloc.top_pad=67108864
  GLIBC_TUNABLES=$t java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$T -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.vlltr.bench.$B --steps 30 2>/dev/null | tail -1 > $D/$B-$v-t$T-$r.json
  python3 -c "import json,sys;x=json.load(open(sys.argv[1]));print(sys.argv[2],sys.argv[3],sys.argv[4],x.get('images_per_s'),x.get('minor_faults_per_step'),x['median_step_ms'],x['warmup_seconds'])" $D/$B-$v-t$T-$r.json $T $r $v
done; done; done
