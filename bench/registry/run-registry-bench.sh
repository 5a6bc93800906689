#!/usr/bin/env bash
# Load benchmark: the registry on its embedded PostgreSQL (durable: fsync and synchronous commit on) vs MLflow's
# model registry (when `mlflow` exists), both on 127.0.0.1 and fresh, seeded with the same model and versions.
# Usage: bench/registry/run-registry-bench.sh [--threads 8] [--seconds 5] [--warmup 2] [--versions 20] [--rounds 5]
#        [--force]
#   (--seconds is per endpoint and round; 4 read endpoints + version creation per system, interleaved; the harness's
#   rules: ≥ 5 rounds, median and min–max of per-round req/s, load before/after, refusal on a loaded machine)
# Env: MLFLOW         path of the mlflow executable (default ~/.cache/vlltr/venv-mlflow/bin/mlflow, else `mlflow`)
#      MLFLOW_WORKERS MLflow server worker processes (default 4, MLflow's own default)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/bench/lib/harness.sh"
harness_parse "$@"
set -- "${H_ARGS[@]+"${H_ARGS[@]}"}" --rounds "$H_ROUNDS" --force "$H_FORCE"
harness_check_load
JAR="$ROOT/registry-service/server/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -B -q package -pl registry-service/server -am -DskipTests)
WORK="$(mktemp -d /tmp/registry-bench.XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REG_PORT=$(free_port)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# the one-command start, on its embedded PostgreSQL (no QUARKUS_DATASOURCE_JDBC_URL)
env -u QUARKUS_DATASOURCE_JDBC_URL QUARKUS_HTTP_PORT="$REG_PORT" VLLTR_REGISTRY_DATA_DIR="$WORK/pg" \
    VLLTR_REGISTRY_ADMIN_KEY_FILE="$WORK/admin.key" java -jar "$JAR" > "$WORK/registry.log" 2>&1 &
PIDS+=($!)
MLFLOW_BIN="${MLFLOW:-$HOME/.cache/vlltr/venv-mlflow/bin/mlflow}"
[ -x "$MLFLOW_BIN" ] || MLFLOW_BIN="$(command -v mlflow || true)"
ML_ARGS=()
if [ -n "$MLFLOW_BIN" ]; then
  ML_PORT=$(free_port)
  MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true "$MLFLOW_BIN" server --host 127.0.0.1 --port "$ML_PORT" \
      --workers "${MLFLOW_WORKERS:-4}" --backend-store-uri "sqlite:///$WORK/mlflow.db" \
      --artifacts-destination "$WORK/art" > "$WORK/mlflow.log" 2>&1 &
  PIDS+=($!)
  ML_ARGS=(--mlflow "http://127.0.0.1:$ML_PORT")
else
  echo "mlflow not found: running the registry side only"
fi
wait_up() { for _ in $(seq 1 360); do curl -sf "$1" > /dev/null && return 0; sleep 0.5; done; echo "no answer from $1" >&2; exit 1; }
wait_up "http://127.0.0.1:$REG_PORT/q/health/ready"
[ ${#ML_ARGS[@]} -eq 0 ] || wait_up "${ML_ARGS[1]}/health"
KEY="$(cat "$WORK/admin.key")"
java "$ROOT/bench/registry/RegistryBench.java" --registry "http://127.0.0.1:$REG_PORT" --key "$KEY" "${ML_ARGS[@]}" "$@"
# what durability costs per commit: the embedded database's port is in the service's first line
PG_PORT=$(sed -n 's/^registry: embedded PostgreSQL on 127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/registry.log" | head -1)
PG_JAR=$(find "$HOME/.m2/repository/org/postgresql/postgresql" -name 'postgresql-*.jar' 2>/dev/null | sort | tail -1)
if [ -n "$PG_PORT" ] && [ -n "$PG_JAR" ]; then
  echo
  java -cp "$PG_JAR" "$ROOT/bench/registry/CommitCost.java" "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" 1000
fi
