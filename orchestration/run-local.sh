#!/usr/bin/env bash
# Runs the whole VL-LTR pipeline on this machine with the embedded defaults (local files, a local MLflow store,
# the registry on an embedded PostgreSQL): checks its prerequisites, builds what is missing, then starts the local
# runner (vlltr-local).
#
#   orchestration/run-local.sh [OPTIONS]        the pipeline; options are the runner's (--quick, --dataset PATH|URI,
#                                               --param KEY=VALUE, --run-id, --work-dir, --registry, --verbose,
#                                               --dry-run, --help)
#   orchestration/run-local.sh ui [RUN-ID]      after a run: the MLflow UI on its tracking store and the model
#                                               registry on its database, until Ctrl-C (installs MLflow on first use)
#
# Environment: VLLTR_SKIP_BUILD=1 to use the jars as built; MAVEN_ARGS for extra Maven flags; VLLTR_CACHE (default
# ~/.cache/vlltr) for the MLflow virtualenv; VLLTR_MLFLOW to use another mlflow executable.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# --dataset PATH is relative to where the user is, not to the repository this script moves into
args=()
while (($#)); do
  case "$1" in
    --dataset=*) set -- --dataset "${1#--dataset=}" "${@:2}"; continue ;;
    --dataset)
      if (($# > 1)) && [[ "$2" != *://* && -e "$2" ]]; then args+=("$1" "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
      else args+=("$1"); (($# > 1)) && args+=("$2"); fi
      shift $(($# > 1 ? 2 : 1)); continue ;;
  esac
  args+=("$1"); shift
done
set -- ${args[@]+"${args[@]}"}
cd "$repo"

MLFLOW_VERSION="3.17.2"   # as .ci/setup.sh installs it
cache="${VLLTR_CACHE:-$HOME/.cache/vlltr}"
runner_jar=orchestration/local-runner/target/quarkus-app/quarkus-run.jar

die() { echo "run-local.sh: $*" >&2; exit 2; }

command -v java >/dev/null || die "java (17+) is required (Debian: apt-get install openjdk-17-jdk-headless)"

# DJL must never look for its online model zoo or send usage data (the stage JVMs get these too).
export DJL_OFFLINE=true OPT_OUT_TRACKING=true

# The data the stages read from Debian packages: Fashion-MNIST (images), WordNet and GCIDE (class texts).
check_data_packages() {
  local packages=(dataset-fashion-mnist wordnet-base dict-gcide) missing=() p
  if ! command -v dpkg-query >/dev/null; then
    [[ -d /usr/share/datasets/fashion-mnist && -d /usr/share/wordnet && -d /usr/share/dictd ]] && return 0
    die "the stages read /usr/share/datasets/fashion-mnist, /usr/share/wordnet and /usr/share/dictd, which the" \
      "Debian packages ${packages[*]} install; this is not a Debian system: install their equivalents"
  fi
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ "$(id -u)" != 0 ]]; then
    die "missing data packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
  fi
  echo "Installing the data packages ${missing[*]} (apt-get) ..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# MLflow for the UI, in its own virtualenv under the cache (created once, checked by version afterwards).
mlflow_executable() {
  if [[ -n "${VLLTR_MLFLOW:-}" ]]; then
    [[ -x "$VLLTR_MLFLOW" ]] || die "VLLTR_MLFLOW=$VLLTR_MLFLOW is not an executable"
    echo "$VLLTR_MLFLOW"; return
  fi
  local venv="$cache/venv-mlflow"
  if ! "$venv/bin/python" -c "import mlflow, sys; sys.exit(0 if mlflow.__version__ == '$MLFLOW_VERSION' else 1)" \
      2>/dev/null; then
    command -v python3 >/dev/null || die "python3 is required for the MLflow UI (Debian: apt-get install python3-venv)"
    echo "Installing MLflow $MLFLOW_VERSION into $venv (once; a minute or two) ..." >&2
    python3 -m venv "$venv" >&2 || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$venv/bin/pip" install -q --disable-pip-version-check "mlflow==$MLFLOW_VERSION" >&2 \
      || die "pip could not install mlflow==$MLFLOW_VERSION into $venv"
  fi
  echo "$venv/bin/mlflow"
}

build() {
  if [[ "${VLLTR_SKIP_BUILD:-}" != "1" ]]; then
    echo "Building the stage apps, the registry and the runner (./mvnw package -DskipTests) ..."
    # shellcheck disable=SC2086
    ./mvnw -B -q -ntp ${MAVEN_ARGS:-} -DskipTests package \
      -pl orchestration/local-runner,registry-service/server -am
  fi
}

if [[ "${1:-}" == "ui" ]]; then
  shift
  case " $* " in
    *" --help "*|*" -h "*) ;;
    *) export VLLTR_MLFLOW; VLLTR_MLFLOW="$(mlflow_executable)" ;;
  esac
  [[ -f "$runner_jar" ]] || build
  exec java -jar "$runner_jar" ui "$@"
fi

case " $* " in
  *" --help "*|*" -h "*|*" --version "*|*" -V "*|*" --dry-run "*) ;;
  *) check_data_packages ;;
esac
build
exec java -jar "$runner_jar" "$@"
