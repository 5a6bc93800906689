#!/usr/bin/env bash
# GPU check (issue #13): does DJL see and compute on the GPU, and how fast is a CVLP training step on CLIP's towers
# against PyTorch eager on the same GPU?
#   1. DJL's PyTorch engine (libtorch 2.7.1) is pointed at the CUDA libtorch of PyPI's torch 2.7.1 wheel (the peer's
#      venv, so both sides run the same libtorch) and asked for its GPUs (dev.vlltr.bench.GpuProbe: count + a matmul
#      on GPU 0 compared with the CPU's);
#   2. for resnet50 and vit-b16 at 224 px, batch 128: DJL (dev.vlltr.bench.ClipCvlpThroughput) and PyTorch eager
#      (bench/clip_cvlp_peer_pytorch.py: same network, loss, optimizer, fp32), interleaved DJL, torch, DJL, torch;
#      prints img/s of both, the ratio, peak GPU memory (torch: max_memory_allocated; DJL: nvidia-smi's peak
#      memory.used while it runs) and the projected ImageNet-LT epoch time (115,846 train images).
# Without a GPU it says "no GPU: <why>", runs the same two sides on the CPU at a tiny size (a smoke run of the script
# itself) and exits 0. Budget: about 8 minutes on a 1-GPU machine (JVM + CUDA start-up included).
# Usage: bench/gpu-check.sh [--rounds 2] [--steps 10] [--out DIR]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
rounds=2
steps=10
out=/tmp/vlltr-bench/gpu-check
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "gpu-check.sh: unknown option '$1'; expected --rounds N, --steps N, --out DIR" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
IMAGENET_LT_TRAIN=115846

# the peer's Python (PyPI torch 2.7.1, the libtorch of DJL 0.35.1) and the bench module's classpath
source "$REPO/bench/lib/harness.sh"
harness_parse --force
harness_peer_python safetensors=safetensors
harness_bench_classpath
site="$("$PEER_PY" -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))')"
echo "== gpu-check: $(date -u +%FT%TZ) on $(hostname), $(nproc) cores, load $(harness_load)"

why=""
if ! command -v nvidia-smi >/dev/null 2>&1; then
  why="nvidia-smi not found (no NVIDIA driver on this machine)"
elif ! nvidia-smi -L >/dev/null 2>&1; then
  why="nvidia-smi lists no GPU: $(nvidia-smi -L 2>&1 | head -1)"
elif [ ! -f "$site/torch/lib/libtorch_cuda.so" ]; then
  why="$site/torch/lib has no libtorch_cuda.so (a CPU-only torch wheel)"
fi
if [ -z "$why" ]; then
  # DJL loads the wheel's CUDA libtorch; its JNI library for CUDA 12 is pytorch-jni's cu128 one
  export PYTORCH_LIBRARY_PATH="$site/torch/lib" PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/   GPU: /'
  probe="$("${H_DJL_ENV[@]}" java -cp "$BENCH_CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.vlltr.bench.GpuProbe 2>"$out/probe.err" \
    | tail -1)" || true
  echo "   DJL: ${probe:-failed, see $out/probe.err}"
  case "$probe" in
    *'"gpu_ok":true'*) ;;
    *) why="DJL's PyTorch engine does not compute on the GPU (${probe:-$(tail -3 "$out/probe.err" | tr '\n' ' ')})" ;;
  esac
fi

if [ -n "$why" ]; then
  echo "no GPU: $why"
  echo "   CPU smoke run instead (resnet50 and vit-b16 at 32 px, batch 4, 2 steps; not a measurement)"
  for b in resnet50 vit-b16; do
    "${H_DJL_ENV[@]}" java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$BENCH_CP" dev.vlltr.bench.ClipCvlpThroughput --backbone "$b" --image-size 32 --batch 4 --steps 2 \
      --min-warmup 1 --max-warmup 1 2>"$out/djl-$b.err" | tail -1 | tee "$out/djl-$b-cpu.json" | sed 's/^/   djl   /'
    "$PEER_PY" bench/clip_cvlp_peer_pytorch.py --backbone "$b" --image-size 32 --batch 4 --steps 2 --min-warmup 1 \
      --max-warmup 1 --threads 1 --device cpu 2>"$out/torch-$b.err" | tail -1 | tee "$out/torch-$b-cpu.json" \
      | sed 's/^/   torch /'
    grep -q images_per_s "$out/djl-$b-cpu.json" && grep -q images_per_s "$out/torch-$b-cpu.json" || {
      echo "gpu-check.sh: the CPU smoke run of $b failed (see $out/*-$b.err)" >&2; exit 1; }
  done
  echo "gpu-check: done (no GPU; smoke run passed)"
  exit 0
fi

# peak memory.used of GPU 0 while a command runs (DJL does not report its allocator's peak)
with_peak() {
  local log="$1"; shift
  ( while :; do nvidia-smi --id=0 --query-gpu=memory.used --format=csv,noheader,nounits; sleep 0.5; done ) >"$log" &
  local poll=$!
  "$@"; local rc=$?
  kill "$poll" 2>/dev/null; wait "$poll" 2>/dev/null || true
  return $rc
}
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" | tail -1; }

for b in resnet50 vit-b16; do
  for r in $(seq 1 "$rounds"); do
    with_peak "$out/djl-$b-$r.mem" "${H_DJL_ENV[@]}" java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" \
      dev.vlltr.bench.ClipCvlpThroughput --backbone "$b" --image-size 224 --batch 128 --device gpu --steps "$steps" \
      --max-warmup 20 2>"$out/djl-$b-$r.err" | tail -1 >"$out/djl-$b-$r.json" || true
    "$PEER_PY" bench/clip_cvlp_peer_pytorch.py --backbone "$b" --image-size 224 --batch 128 --device cuda \
      --steps "$steps" --max-warmup 20 2>"$out/torch-$b-$r.err" | tail -1 >"$out/torch-$b-$r.json" || true
  done
  djl=$(cat "$out"/djl-"$b"-*.json | field images_per_s | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}')
  torch=$(cat "$out"/torch-"$b"-*.json | field images_per_s | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}')
  djl_mem=$(cat "$out"/djl-"$b"-*.mem 2>/dev/null | sort -n | tail -1)
  torch_mem=$(cat "$out"/torch-"$b"-*.json | field peak_gpu_mib | sort -n | tail -1)
  echo "== CVLP step, CLIP $b, 224 px, batch 128, fp32, GPU 0, $rounds interleaved rounds of $steps steps"
  if [ -z "$djl" ] || [ -z "$torch" ]; then
    echo "   failed: djl '${djl}' torch '${torch}' (see $out/*-$b-*.err)"; continue
  fi
  awk -v d="$djl" -v t="$torch" -v dm="${djl_mem:-?}" -v tm="${torch_mem:-?}" -v n="$IMAGENET_LT_TRAIN" 'BEGIN {
    printf "   DJL          %8.1f img/s   peak GPU memory %s MiB (nvidia-smi, whole process)   ImageNet-LT epoch %.1f min\n", d, dm, n / d / 60
    printf "   PyTorch eager %7.1f img/s   peak GPU memory %s MiB (max_memory_allocated)          ImageNet-LT epoch %.1f min\n", t, tm, n / t / 60
    printf "   ratio DJL / PyTorch: %.2f\n", d / t }'
done
echo "gpu-check: done; raw results in $out (load after: $(harness_load))"
