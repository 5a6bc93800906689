"""A pipeline run as MLflow and the artifact store see it: the stages' run id (Airflow's, or the form's run_name, so
that a new trigger can re-use an earlier run's results), each stage execution's name (VLLTR_STAGE_EXECUTION, as
the local runner sets it), and the teardown that ends the parent MLflow run — the latter against a real MLflow
tracking server (MLflow 3.17.2 from $VLLTR_MLFLOW_PYTHON, else ~/.cache/vlltr/venv-mlflow; skipped with a message
when there is none, unless VLLTR_REQUIRE_SERVERS=true)."""

from __future__ import annotations

import copy
import logging
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from conftest import RecordedXComs
from test_golden_arguments import GOLDEN, render_local

EXPERIMENT = "vl-ltr-test"
LOG = logging.getLogger("test")


# ------------------------------------------------------------------------------------------ run id, names


@pytest.fixture(scope="module")
def local_dag(spec, pipeline_module):
    return pipeline_module.build_dag(spec, mode="local")


def run_id_argument(args: list[str]) -> str:
    return args[args.index("--run-id") + 1]


def test_without_run_name_the_stages_get_airflow_run_id(local_dag):
    op = render_local(local_dag.get_task("cvlp"), local_dag, GOLDEN["params"],
                      {"text-crawl": {"manifest": "s3://b/m.json"}}, "manual__2026-02-03T04:05:06+00:00")
    assert run_id_argument(op.arguments) == "manual__2026-02-03T04-05-06-00-00"


def test_run_name_replaces_airflow_run_id_in_every_stage(local_dag, pipeline_module):
    """A second trigger naming the first run's id writes to (and memoises against) the same manifests."""
    params = {**GOLDEN["params"], "run_name": "manual__2026-01-01T00-00-00-00-00"}
    for stage in ("text-crawl", "cvlp"):
        op = render_local(local_dag.get_task(stage), local_dag, params, {"text-crawl": {"manifest": "s3://b/m.json"}},
                          "manual__2026-09-09T09:09:09+00:00")
        assert run_id_argument(op.arguments) == "manual__2026-01-01T00-00-00-00-00", stage
    resolved = copy.deepcopy(local_dag.params)
    resolved.update(params)
    recal = local_dag.get_task("recalibration-arguments").python_callable(
        upstream={"lgr": {"manifest": "s3://b/lgr.json"}}, params=resolved.validate(), run_id="manual__other")
    assert {run_id_argument(a) for a in recal} == {"manual__2026-01-01T00-00-00-00-00"}
    assert pipeline_module.pipeline_run_id({"run_name": None}, "manual__x:y") == "manual__x-y"


@pytest.mark.parametrize("bad", ["has space", "../up", "x" * 201, "-leading"])
def test_the_form_refuses_a_run_name_that_is_not_a_run_id(local_dag, bad):
    from airflow.sdk.definitions.param import ParamValidationError

    params = copy.deepcopy(local_dag.params)
    with pytest.raises(ParamValidationError, match="run_name"):
        params.update({"run_name": bad})  # the form's check, as a trigger through the API gets it too
        params.validate()


def test_each_execution_is_named_like_the_local_runner_names_it(local_dag):
    """recalibration[<method>] for the mapped stage (the method of the task's map index), the stage name else."""
    for map_index, method in enumerate(GOLDEN["params"]["methods"]):
        op = copy.copy(local_dag.get_task("recalibration"))
        env = dict(op.partial_kwargs["env_vars"])
        resolved = copy.deepcopy(local_dag.params)
        resolved.update(GOLDEN["params"])

        class Ti(RecordedXComs):
            pass

        ti = Ti({})
        ti.map_index = map_index
        rendered = op.render_template(env, {"params": resolved.validate(), "run_id": "r", "ti": ti})
        assert rendered["VLLTR_STAGE_EXECUTION"] == f"recalibration[{method}]"
    op = render_local(local_dag.get_task("lgr"), local_dag, GOLDEN["params"], {"cvlp": {"manifest": "x"},
                      "anchor-selection": {"manifest": "y"}}, "r")
    assert op.env_vars["VLLTR_STAGE_EXECUTION"] == "lgr"


# ----------------------------------------------------------------------------- the parent run, on a server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory):
    python = Path(os.environ.get("VLLTR_MLFLOW_PYTHON") or Path.home() / ".cache/vlltr/venv-mlflow/bin/python")
    if not python.is_file():
        message = f"no MLflow Python at {python}: bash .ci/setup.sh installs it (or set VLLTR_MLFLOW_PYTHON)"
        if os.environ.get("VLLTR_REQUIRE_SERVERS", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("mlflow")
    port = free_port()
    log = open(work / "server.log", "w")
    proc = subprocess.Popen([str(python), "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
                             "--backend-store-uri", f"sqlite:///{work}/mlflow.db", "--workers", "1",
                             "--artifacts-destination", f"file://{work}/artifacts"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    uri = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to 2 minutes on a loaded machine
            if proc.poll() is not None:
                pytest.fail(f"MLflow server exited {proc.returncode}: {(work / 'server.log').read_text()[-2000:]}")
            try:
                if requests.get(uri + "/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("MLflow server not healthy within 2 minutes")
        yield uri
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def api(uri: str, method: str, path: str, **kwargs) -> dict:
    r = requests.request(method, f"{uri}/api/2.0/mlflow{path}", timeout=30, **kwargs)
    assert r.status_code == 200, (path, r.status_code, r.text)
    return r.json()


def create_run(uri: str, experiment_id: str, name: str, tags: dict) -> str:
    tags = {"mlflow.runName": name, **tags}
    return api(uri, "POST", "/runs/create", json={"experiment_id": experiment_id, "run_name": name,
                                                 "start_time": int(time.time() * 1000),
                                                 "tags": [{"key": k, "value": v} for k, v in tags.items()]}
               )["run"]["info"]["run_id"]


def run_info(uri: str, run_id: str) -> dict:
    return api(uri, "GET", "/runs/get", params={"run_id": run_id})["run"]["info"]


def test_teardown_ends_the_parent_run_and_leaves_the_stage_runs(mlflow_server):
    """The layout the stage runtime creates (parent tagged vlltr.pipeline_run_id, stage runs nested under it):
    the parent ends FINISHED; the stage runs keep their own status; a second call changes nothing."""
    from vlltr_tracking import end_pipeline_run

    exp = api(mlflow_server, "POST", "/experiments/create", json={"name": EXPERIMENT})["experiment_id"]
    parent = create_run(mlflow_server, exp, "run-a", {"vlltr.pipeline_run_id": "run-a"})
    stage = create_run(mlflow_server, exp, "cvlp", {"vlltr.pipeline_run_id": "run-a", "mlflow.parentRunId": parent,
                                                    "vlltr.stage": "cvlp", "vlltr.run_id": "run-a"})
    other = create_run(mlflow_server, exp, "run-b", {"vlltr.pipeline_run_id": "run-b"})

    assert end_pipeline_run(mlflow_server, EXPERIMENT, "run-a", "FINISHED", LOG) == parent
    info = run_info(mlflow_server, parent)
    assert info["status"] == "FINISHED" and int(info["end_time"]) > 0
    assert run_info(mlflow_server, stage)["status"] == "RUNNING"  # the stage's own run is the stage's business
    assert run_info(mlflow_server, other)["status"] == "RUNNING"  # another pipeline run is untouched
    end_time = info["end_time"]
    assert end_pipeline_run(mlflow_server, EXPERIMENT, "run-a", "FINISHED", LOG) == parent
    assert run_info(mlflow_server, parent)["end_time"] == end_time  # a memoised re-run leaves it as it was


def test_teardown_of_a_failed_run_without_a_parent_creates_one_failed(mlflow_server):
    """A pipeline that failed before any stage started tracking (bad input) still shows in MLflow, FAILED."""
    from vlltr_tracking import end_pipeline_run

    run_id = end_pipeline_run(mlflow_server, "vl-ltr-fresh", "early-failure", "FAILED", LOG)
    info = run_info(mlflow_server, run_id)
    assert info["status"] == "FAILED" and info["run_name"] == "early-failure"
    tags = {t["key"]: t["value"] for t in api(mlflow_server, "GET", "/runs/get", params={"run_id": run_id})
            ["run"]["data"]["tags"]}
    assert tags["vlltr.pipeline_run_id"] == "early-failure" and "mlflow.parentRunId" not in tags


@pytest.mark.parametrize("uri", [None, "none", "file:///tmp/mlruns"])
def test_teardown_leaves_stores_that_are_not_servers_alone(uri):
    from vlltr_tracking import end_pipeline_run

    assert end_pipeline_run(uri, EXPERIMENT, "r", "FINISHED", LOG) is None


def test_teardown_refuses_a_status_mlflow_does_not_have():
    from vlltr_tracking import end_pipeline_run

    with pytest.raises(ValueError, match="RUNNING"):
        end_pipeline_run("http://127.0.0.1:9", EXPERIMENT, "r", "RUNNING", LOG)
