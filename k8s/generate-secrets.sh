#!/usr/bin/env bash
# Writes random credentials into k8s/base/secrets/*.env (git-ignored) for every file that does not exist yet;
# kustomize's secretGenerator turns them into the Secrets. Never overwrites: delete a file to rotate it.
#   bash k8s/generate-secrets.sh [folder]     (default: k8s/base/secrets next to this script)
set -euo pipefail
DIR="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/base/secrets}"
mkdir -p "$DIR"
rand() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
write() {  # write FILE LINES...
  local file="$DIR/$1"; shift
  if [[ -e "$file" ]]; then echo "kept      $file"; return; fi
  ( umask 077; printf '%s\n' "$@" > "$file" )
  echo "generated $file"
}
write minio.env "access-key=vlltr-$(rand | head -c 8)" "secret-key=$(rand)"
write postgres.env "username=vlltr" "password=$(rand)"
write mlflow.env "username=vlltr-pipeline" "password=$(rand)"
write registry.env "api-key=$(rand)"
