#!/usr/bin/env bash
# Airflow DAG tests: a cached virtual environment with pinned Airflow + the cncf-kubernetes provider, then pytest.
#   bash orchestration/airflow/ci.sh            # install when needed, run the tests
#   bash orchestration/airflow/ci.sh --freeze   # rewrite constraints.txt from the current environment
# The venv lives at ${VLLTR_CACHE:-$HOME/.cache/vlltr}/venv-airflow and is reinstalled only when
# requirements.txt or constraints.txt change (their hash is stored in the venv).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${VLLTR_CACHE:-$HOME/.cache/vlltr}"
VENV="$CACHE/venv-airflow"
PYTHON="${VLLTR_PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
[[ -n "$PYTHON" ]] || { echo "orchestration/airflow/ci.sh: no python3 found (Airflow 3.3 needs Python 3.10-3.13)" >&2; exit 1; }

want="$(cat "$HERE/requirements.txt" "$HERE/constraints.txt" | sha256sum | cut -d' ' -f1)"
have="$(cat "$VENV/.vlltr-requirements.sha256" 2>/dev/null || true)"
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "== creating $VENV with $("$PYTHON" --version)"
  mkdir -p "$CACHE"
  "$PYTHON" -m venv "$VENV"
  have=""
fi
if [[ "${1:-}" == "--freeze" ]]; then
  { echo "# pip freeze of orchestration/airflow/requirements.txt on Python 3.11 (regenerate: see ci.sh --freeze)"
    "$VENV/bin/pip" freeze --exclude-editable | grep -v '^pip==\|^setuptools==\|^wheel=='; } > "$HERE/constraints.txt"
  echo "wrote $HERE/constraints.txt"; exit 0
fi
if [[ "$want" != "$have" ]]; then
  echo "== installing Airflow into $VENV (requirements.txt + constraints.txt)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
      -r "$HERE/requirements.txt" -c "$HERE/constraints.txt"
  echo "$want" > "$VENV/.vlltr-requirements.sha256"
fi

# A throw-away AIRFLOW_HOME: no config or sqlite DB left behind, no examples, nothing shared between runs.
AIRFLOW_HOME="$(mktemp -d "${TMPDIR:-/tmp}/vlltr-airflow-home.XXXXXX")"
export AIRFLOW_HOME
trap 'rm -rf "$AIRFLOW_HOME"' EXIT
export AIRFLOW__CORE__LOAD_EXAMPLES=False AIRFLOW__CORE__UNIT_TEST_MODE=True
unset VLLTR_PIPELINE_YAML

cd "$HERE"
echo "== pytest orchestration/airflow/tests (Airflow $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-airflow"))'))"
# pytest exits 5 when it collects no test: that is a failure here too (there must be tests).
"$VENV/bin/python" -m pytest -p no:cacheprovider -q tests "${@}"
