cd /work/main
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
TUN=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
for v in tuned pad tuned pad; do
  t=$TUN; [ $v = pad ] && t=$TUN:glibc.malloc.top_pad=67108864
  GLIBC_TUNABLES=$t /usr/bin/time -f "$v maxrss_kb=%M minflt=%R wall=%e" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.vlltr.bench.CvlpThroughput --steps 30 2>&1 >/dev/null | tail -1
done
