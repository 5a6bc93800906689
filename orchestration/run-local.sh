#!/usr/bin/env bash
# Runs the whole VL-LTR pipeline on this machine with the embedded defaults (local files, a local MLflow store,
# the registry on an embedded PostgreSQL): builds what is missing, then starts the local runner (vlltr-local).
# Options are the runner's (--quick, --param KEY=VALUE, --run-id, --work-dir, --registry, --dry-run, --help).
# Environment: VLLTR_SKIP_BUILD=1 to use the jars as built; MAVEN_ARGS for extra Maven flags.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

command -v java >/dev/null || { echo "run-local.sh: java (17+) is required (Debian: apt install openjdk-17-jdk-headless)" >&2; exit 2; }

# DJL must never look for its online model zoo or send usage data (the stage JVMs get these too).
export DJL_OFFLINE=true OPT_OUT_TRACKING=true

if [[ "${VLLTR_SKIP_BUILD:-}" != "1" ]]; then
  echo "Building the stage apps, the registry and the runner (./mvnw package -DskipTests) ..."
  # shellcheck disable=SC2086
  ./mvnw -B -q -ntp ${MAVEN_ARGS:-} -DskipTests package \
    -pl orchestration/local-runner,registry-service/server -am
fi
exec java -jar orchestration/local-runner/target/quarkus-app/quarkus-run.jar "$@"
