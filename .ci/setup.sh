#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (idempotent; cached under ~/.cache/vlltr):
#   - Debian data packages: Fashion-MNIST, WordNet, GCIDE
#   - a real MinIO server binary, built from the Go module proxy
#   - MLflow (real tracking/registry server) in its own virtualenv
#   - PyTorch 2.7.1 (the libtorch DJL runs) with safetensors/tokenizers in its own virtualenv: the CLIP conversion
#     tools' tests (ConvertClipScriptTest) and the benchmark peers; the PyPI x86 wheel is the CUDA build (~5 GB)
# It starts nothing: the tests start their servers on 127.0.0.1 and stop them.
set -euo pipefail

CACHE="${VLLTR_CACHE:-$HOME/.cache/vlltr}"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"   # last published minio server module
MLFLOW_VERSION="3.17.2"
mkdir -p "$CACHE/bin"

log() { printf '[setup %(%H:%M:%S)T] %s\n' -1 "$*"; }

# postgresql, chromium: the end-to-end stack check (orchestration/stack/e2e.sh) and its UI screenshots
apt_packages=(dataset-fashion-mnist wordnet-base dict-gcide postgresql chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -x "$CACHE/bin/minio" ]]; then
  command -v go >/dev/null || { log "Go toolchain missing: apt-get install golang-go (>= 1.24) or install Go"; exit 1; }
  log "building MinIO $MINIO_VERSION (a few minutes, cached afterwards)"
  GOBIN="$CACHE/bin" GOFLAGS=-mod=mod go install "github.com/minio/minio@$MINIO_VERSION"
fi

PY="$CACHE/venv-mlflow/bin/python"
if ! "$PY" -c "import mlflow, sys; sys.exit(0 if mlflow.__version__ == '$MLFLOW_VERSION' else 1)" 2>/dev/null; then
  log "pip: installing mlflow==$MLFLOW_VERSION into $CACHE/venv-mlflow"
  python3 -m venv "$CACHE/venv-mlflow"
  "$CACHE/venv-mlflow/bin/pip" install -q --disable-pip-version-check "mlflow==$MLFLOW_VERSION"
fi
TORCH_PY="$CACHE/venv-torch271/bin/python"
if ! "$TORCH_PY" -c "import torch, safetensors, tokenizers, sys; sys.exit(0 if torch.__version__.split('+')[0] == '2.7.1' else 1)" 2>/dev/null; then
  log "pip: installing torch==2.7.1 safetensors tokenizers into $CACHE/venv-torch271 (several minutes once, cached)"
  python3 -m venv "$CACHE/venv-torch271"
  "$CACHE/venv-torch271/bin/pip" install -q --disable-pip-version-check torch==2.7.1 safetensors==0.8.0 \
    tokenizers==0.23.3 numpy
fi
STACK_JS="$(cd "$(dirname "$0")/.." && pwd)/orchestration/stack"
if [[ ! -d "$STACK_JS/node_modules/playwright-core" ]]; then
  log "npm: playwright-core for orchestration/stack/screenshots.mjs (the browser is Debian's chromium)"
  (cd "$STACK_JS" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
fi
log "ready: minio=$CACHE/bin/minio mlflow=$("$PY" -c 'import mlflow; print(mlflow.__version__)')"
