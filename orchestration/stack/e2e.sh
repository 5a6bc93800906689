#!/usr/bin/env bash
# CI end to end: a fresh stack (own folder, own ports, all on 127.0.0.1), vlltr_pipeline triggered on it with the
# quick profile (orchestration/profiles/quick.yaml) in local mode, checked by e2e_test.py, then a Chromium screenshot
# of the trigger form and the grid (screenshots.mjs, when VLLTR_E2E_SCREENSHOTS=1), then the stack stopped and
# removed whatever happened.
#   bash orchestration/stack/e2e.sh
# Needs what orchestration/stack.sh needs (it says what is missing). About 15-20 minutes on 2 busy cores
# (VLLTR_E2E_KILL=0 skips the 4-5 minute kill/resume check).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${VLLTR_CACHE:-$HOME/.cache/vlltr}"
export VLLTR_STACK_DIR="${VLLTR_E2E_STACK_DIR:-$(mktemp -d /var/tmp/vlltr-e2e.XXXXXX)}"
chmod 755 "$VLLTR_STACK_DIR"
# ports away from the defaults, so that a developer's own stack can keep running
export VLLTR_STACK_AIRFLOW_PORT="${VLLTR_STACK_AIRFLOW_PORT:-18080}" VLLTR_STACK_MLFLOW_PORT="${VLLTR_STACK_MLFLOW_PORT:-15000}"
export VLLTR_STACK_MINIO_PORT="${VLLTR_STACK_MINIO_PORT:-19000}" VLLTR_STACK_MINIO_CONSOLE_PORT="${VLLTR_STACK_MINIO_CONSOLE_PORT:-19001}"
export VLLTR_STACK_POSTGRES_PORT="${VLLTR_STACK_POSTGRES_PORT:-15433}" VLLTR_STACK_REGISTRY_PORT="${VLLTR_STACK_REGISTRY_PORT:-18085}"

cleanup() {
  local rc=$?
  bash "$REPO/orchestration/stack.sh" down || true
  if ((rc != 0)); then
    echo "== e2e failed; logs:"; for f in "$VLLTR_STACK_DIR"/logs/*.log; do echo "--- $f"; tail -n 40 "$f"; done
    find "$VLLTR_STACK_DIR/airflow/logs" -name '*.log' -newer "$VLLTR_STACK_DIR/credentials.env" 2>/dev/null \
      | head -20 | while read -r f; do echo "--- $f"; tail -n 25 "$f"; done || true  # find's SIGPIPE must not replace rc
  fi
  [[ -n "${VLLTR_E2E_KEEP:-}" ]] || rm -rf "$VLLTR_STACK_DIR"
  exit $rc
}
trap cleanup EXIT

start=$SECONDS
bash "$REPO/orchestration/stack.sh" up
up_seconds=$((SECONDS - start))
eval "$(bash "$REPO/orchestration/stack.sh" env)"
set -a; source "$VLLTR_STACK_DIR/credentials.env"; set +a
export VLLTR_E2E_AIRFLOW_URL="http://127.0.0.1:$VLLTR_STACK_AIRFLOW_PORT"
export VLLTR_E2E_CONF="$("$CACHE/venv-airflow/bin/python" -c 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])) or {}))' \
    "$REPO/orchestration/profiles/${VLLTR_E2E_PROFILE:-quick}.yaml")"
"$CACHE/venv-mlflow-server/bin/python" "$REPO/orchestration/stack/e2e_test.py"
if [[ "${VLLTR_E2E_SCREENSHOTS:-0}" == 1 ]]; then
  node "$REPO/orchestration/stack/screenshots.mjs" "$VLLTR_E2E_AIRFLOW_URL" "${VLLTR_E2E_SHOTS:-$REPO/target/e2e-screenshots}"
fi
echo "== e2e: stack up in ${up_seconds} s, everything in $((SECONDS - start)) s"
