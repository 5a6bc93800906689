#!/usr/bin/env bash
# Prepares target/images/libtorch-cuda/: the shared libraries of PyPI's torch wheel (CUDA build) and of its
# nvidia-*-cu12 runtime wheels, in the wheels' own layout (torch/lib, nvidia/<pkg>/lib, cusparselt/lib) so that
# libtorch_cuda.so's RPATH ($ORIGIN/../../nvidia/...) resolves. Dockerfile.jvm-stage's cuda target copies it to
# /opt/torch and points DJL at it (PYTORCH_LIBRARY_PATH=/opt/torch/torch/lib).
#
#   orchestration/images/libtorch-cuda.sh [--site-packages DIR]
#
# The wheels come from PyPI through pip (`pip install --target`, ~4 GB, cached in
# $VLLTR_CACHE/images/torch-<version>-site), or from an existing installation of the same torch version
# (--site-packages, e.g. a venv's lib/python3.11/site-packages). PyPI's torch 2.7.1 for Linux is built against
# CUDA 12.6 (its nvidia-*-cu12 wheels); DJL's JNI library for it is the cu128 one in pytorch-jni (same libtorch ABI,
# CUDA 12 minor-version compatible). Only libraries are kept: no Python, headers or CUDA tools.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VLLTR_CACHE="${VLLTR_CACHE:-$HOME/.cache/vlltr}"
TORCH_VERSION="$(sed -n 's/^ARG TORCH_VERSION=//p' "$REPO/orchestration/images/Dockerfile.jvm-stage" | head -1)"
OUT="$REPO/target/images/libtorch-cuda"

site=""
while (($#)); do
  case "$1" in
    --site-packages) site="${2:?--site-packages needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "libtorch-cuda.sh: unknown option '$1'; expected --site-packages DIR" >&2; exit 2 ;;
  esac
done

if [[ -f "$OUT/TORCH_VERSION" && "$(cat "$OUT/TORCH_VERSION")" == "$TORCH_VERSION" && -z "$site" ]]; then
  echo "libtorch-cuda: $OUT holds torch $TORCH_VERSION already"; exit 0
fi
if [[ -z "$site" ]]; then
  site="$VLLTR_CACHE/images/torch-$TORCH_VERSION-site"
  if [[ ! -f "$site/torch/lib/libtorch_cuda.so" ]]; then
    echo "== libtorch-cuda: pip install --target $site torch==$TORCH_VERSION (PyPI, ~4 GB)"
    python3 -m pip install -q --disable-pip-version-check --no-compile --target "$site.partial" "torch==$TORCH_VERSION"
    rm -rf "$site"; mv "$site.partial" "$site"
  fi
fi
have="$(sed -n 's/^Version: //p' "$site"/torch-*.dist-info/METADATA 2>/dev/null | head -1)"
[[ "${have%%+*}" == "$TORCH_VERSION" ]] || {
  echo "libtorch-cuda.sh: $site holds torch '${have:-none}', expected $TORCH_VERSION (Dockerfile.jvm-stage ARG TORCH_VERSION)" >&2
  exit 2; }
[[ -f "$site/torch/lib/libtorch_cuda.so" ]] || {
  echo "libtorch-cuda.sh: $site/torch/lib/libtorch_cuda.so missing: a CPU-only torch wheel?" >&2; exit 2; }

rm -rf "$OUT.partial"
mkdir -p "$OUT.partial/torch"
# hard links where the filesystem allows (no copy of ~4 GB), else a copy
link() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }
link "$site/torch/lib" "$OUT.partial/torch/lib"
rm -f "$OUT.partial/torch/lib/libtorch_python.so"  # the Python binding: no Python in the image
# DJL loads every library in PYTORCH_LIBRARY_PATH at start-up, and libcaffe2_nvrtc.so links the driver's libcuda.so.1
# directly: on a machine without the NVIDIA driver the engine would not load at all (and PYTORCH_LIBRARY_EXCLUSION
# does not stop it). PyTorch itself dlopen()s it lazily, when a CUDA kernel needs NVRTC; from a folder of its own on
# LD_LIBRARY_PATH (Dockerfile.jvm-stage: /opt/torch/torch/lib-lazy) it is found then, as in Python's torch.
mkdir -p "$OUT.partial/torch/lib-lazy"
mv "$OUT.partial/torch/lib/libcaffe2_nvrtc.so" "$OUT.partial/torch/lib-lazy/"
for dir in "$site"/nvidia/*/lib "$site"/cusparselt/lib; do
  [[ -d "$dir" ]] || continue
  rel="${dir#"$site"/}"
  mkdir -p "$OUT.partial/$(dirname "$rel")"
  link "$dir" "$OUT.partial/$rel"
done
find "$OUT.partial" -name '__init__.py' -o -name '__pycache__' -o -name '*.a' | xargs rm -rf
echo "$TORCH_VERSION" > "$OUT.partial/TORCH_VERSION"
echo "$have" > "$OUT.partial/TORCH_BUILD"
rm -rf "$OUT"; mv "$OUT.partial" "$OUT"
echo "libtorch-cuda: torch $have libraries in $OUT ($(du -sh "$OUT" | cut -f1))"
