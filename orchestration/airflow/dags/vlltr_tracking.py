"""Ends a pipeline run's parent MLflow run, as the local runner does (PipelineRunTracking): the DAG's teardown task
calls :func:`end_pipeline_run` once every stage task is done, with FINISHED when all succeeded (or were skipped) and
FAILED otherwise.

The layout is the stage runtime's (dev.vlltr.runtime.tracking): one experiment per pipeline (``$VLLTR_EXPERIMENT``,
default ``vl-ltr``), one parent run per pipeline run id, found by its tag ``vlltr.pipeline_run_id`` (run name = the
pipeline run id), the stage runs nested under it. Stages create the parent when they start tracking; a pipeline that
failed before any stage got that far gets one here, so that every pipeline run shows in MLflow with its outcome.

Only an MLflow tracking server (``http(s)://``) is handled, over its REST API (``requests``, an Airflow dependency;
basic auth from ``MLFLOW_TRACKING_USERNAME``/``_PASSWORD`` or a bearer ``MLFLOW_TRACKING_TOKEN``, as MLflow's clients
read them). ``none`` and ``file://`` stores are left alone: nothing to end, or no server to talk to from a worker.
"""

from __future__ import annotations

import getpass
import os
import time
from typing import Any

import requests

PIPELINE_RUN_ID_TAG = "vlltr.pipeline_run_id"
PARENT_RUN_ID_TAG = "mlflow.parentRunId"
TERMINAL = {"FINISHED", "FAILED", "KILLED"}


class TrackingServer:
    """The few MLflow REST calls the teardown needs."""

    def __init__(self, uri: str, timeout: float = 30):
        self.base = uri.rstrip("/") + "/api/2.0/mlflow"
        self.timeout = timeout
        self.session = requests.Session()
        user, password = os.environ.get("MLFLOW_TRACKING_USERNAME"), os.environ.get("MLFLOW_TRACKING_PASSWORD")
        if user and password:
            self.session.auth = (user, password)
        elif os.environ.get("MLFLOW_TRACKING_TOKEN"):
            self.session.headers["Authorization"] = "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"]

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        r = self.session.request(method, self.base + path, timeout=self.timeout, **kwargs)
        if r.status_code >= 400 and not (r.status_code == 404 and path == "/experiments/get-by-name"):
            raise RuntimeError(f"MLflow {method} {path}: {r.status_code} {r.text[:500]}")
        return r

    def experiment_id(self, name: str, create: bool) -> str | None:
        r = self._call("GET", "/experiments/get-by-name", params={"experiment_name": name})
        if r.status_code == 200:
            return r.json()["experiment"]["experiment_id"]
        if not create:
            return None
        return self._call("POST", "/experiments/create", json={"name": name}).json()["experiment_id"]

    def parent_runs(self, experiment_id: str, pipeline_run_id: str) -> list[dict[str, Any]]:
        """Active (not deleted) runs tagged with this pipeline run id that are not nested: the parent(s)."""
        escaped = pipeline_run_id.replace("'", "\\'")
        body = {"experiment_ids": [experiment_id], "run_view_type": "ACTIVE_ONLY", "max_results": 100,
                "filter": f"tags.`{PIPELINE_RUN_ID_TAG}` = '{escaped}'"}
        runs = self._call("POST", "/runs/search", json=body).json().get("runs", [])
        return [r for r in runs
                if not any(t["key"] == PARENT_RUN_ID_TAG for t in r.get("data", {}).get("tags", []))]

    def create_parent(self, experiment_id: str, pipeline_run_id: str) -> dict[str, Any]:
        tags = {"mlflow.runName": pipeline_run_id, PIPELINE_RUN_ID_TAG: pipeline_run_id,
                "mlflow.user": _user(), "mlflow.source.name": "airflow:vlltr_pipeline", "mlflow.source.type": "LOCAL"}
        body = {"experiment_id": experiment_id, "run_name": pipeline_run_id, "start_time": _now_ms(),
                "tags": [{"key": k, "value": v} for k, v in tags.items()]}
        return self._call("POST", "/runs/create", json=body).json()["run"]

    def end(self, run_id: str, status: str) -> None:
        self._call("POST", "/runs/update", json={"run_id": run_id, "status": status, "end_time": _now_ms()})


def end_pipeline_run(tracking_uri: str | None, experiment: str, pipeline_run_id: str, status: str, log) -> str | None:
    """Sets the parent run of ``pipeline_run_id`` to ``status`` (FINISHED or FAILED), creating it when no stage did.
    Returns the parent's MLflow run id, or None where the tracking URI is not a server. A parent that is already
    terminal with the same status (a re-run whose stages were all memoised) is left as it is."""
    if status not in TERMINAL:
        raise ValueError(f"status: expected one of {sorted(TERMINAL)}, got '{status}'")
    uri = (tracking_uri or "").strip()
    if not uri.startswith(("http://", "https://")):
        log.info("tracking URI '%s' is not an MLflow server: no parent run to end", uri or "none")
        return None
    server = TrackingServer(uri)
    experiment_id = server.experiment_id(experiment, create=True)
    parents = server.parent_runs(experiment_id, pipeline_run_id)
    if not parents:
        parents = [server.create_parent(experiment_id, pipeline_run_id)]
        log.info("no stage created a parent run for pipeline run %s: created %s", pipeline_run_id,
                 parents[0]["info"]["run_id"])
    # the stage runtime settles concurrent creates on the earliest parent; end every one it may have left
    for run in parents:
        info = run["info"]
        if info.get("status") == status and info.get("end_time"):
            log.info("parent run %s of pipeline run %s is already %s", info["run_id"], pipeline_run_id, status)
            continue
        server.end(info["run_id"], status)
        log.info("ended parent run %s of pipeline run %s: %s", info["run_id"], pipeline_run_id, status)
    return min(parents, key=lambda r: (r["info"].get("start_time", 0), r["info"]["run_id"]))["info"]["run_id"]


def _now_ms() -> int:
    return int(time.time() * 1000)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "airflow"
