"""End-to-end check of the stack (orchestration/stack/e2e.sh starts it, runs this, stops it).

Triggers vlltr_pipeline on the stack's Airflow (standalone, LocalExecutor, local mode) through its REST API, as the
UI's Trigger button does, with the quick profile as the run's conf, and asserts:

1. the run and every task instance (mapped ones included) succeeded;
2. every stage's XCom names a manifest.json in MinIO whose outputs exist there with the sizes it states;
3. the MLflow server holds one run per stage execution of that pipeline run, each with params, metrics and
   artifacts, and the artifacts are in MinIO (the server's --artifacts-destination);
   the stage runs are named by execution as the local runner names them (``recalibration[<method>]``), and the
   DAG's teardown ended the pipeline's parent run FINISHED;
4. the registry holds a version of the model with lineage pointing at the s3:// manifests of this run;
5. a NEW trigger (a second dag run) naming the first run's id in ``run_name`` is fully memoised: every task
   succeeds, every stage returns the same manifest, no manifest object is rewritten, no new MLflow stage run;
6. a run with bad input (an unknown dataset) fails its first stage on the first try: exit code 2 is not retried;
   its parent MLflow run ends FAILED;
7. a cvlp stage process killed with SIGKILL after its first epoch's checkpoint is retried by Airflow after the
   backoff delay, resumes from that checkpoint and ends with exactly the metrics of the uninterrupted first run
   (the run is then stopped: the later stages add nothing here). ``VLLTR_E2E_KILL=0`` skips it.

Prints one line per check and timings; exits 1 at the first failed check. Configuration from the environment that
``orchestration/stack.sh env`` prints plus VLLTR_E2E_AIRFLOW_URL, AIRFLOW_ADMIN_PASSWORD, VLLTR_E2E_CONF (JSON),
VLLTR_E2E_TIMEOUT (seconds, default 3600).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from urllib.parse import urlparse

import boto3
import requests
from botocore.config import Config

DAG = "vlltr_pipeline"
STAGES = ["text-crawl", "cvlp", "anchor-selection", "lgr", "recalibration", "evaluation"]


def say(msg: str) -> None:
    print(f"[e2e {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    say(f"ok: {what}")


class Airflow:
    def __init__(self, url: str, password: str):
        self.url = url.rstrip("/")
        token = requests.post(f"{self.url}/auth/token", json={"username": "admin", "password": password}, timeout=30)
        token.raise_for_status()
        self.s = requests.Session()
        self.s.headers["Authorization"] = "Bearer " + token.json()["access_token"]

    def get(self, path: str, **params):
        r = self.s.get(f"{self.url}/api/v2{path}", params=params, timeout=60)
        r.raise_for_status()
        return r.json()

    def send(self, method: str, path: str, body: dict):
        r = self.s.request(method, f"{self.url}/api/v2{path}", json=body, timeout=60)
        if r.status_code >= 400:
            raise AssertionError(f"{method} {path}: {r.status_code} {r.text}")
        return r.json()

    def wait_for_dag(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.s.get(f"{self.url}/api/v2/dags/{DAG}", timeout=30)
            if r.status_code == 200:
                return
            errors = self.get("/importErrors").get("import_errors", [])
            if errors:
                raise AssertionError(f"DAG import errors: {errors}")
            time.sleep(2)
        raise AssertionError(f"{DAG} not parsed within {timeout} s")

    def wait_for_run(self, run_id: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            state = self.get(f"/dags/{DAG}/dagRuns/{run_id}")["state"]
            if state != last:
                say(f"run {run_id}: {state}")
                last = state
            if state in ("success", "failed"):
                return state
            time.sleep(5)
        raise AssertionError(f"run {run_id} not finished within {timeout} s (state {last})")

    def remove_run(self, run_id: str, timeout: float = 180) -> None:
        """Deletes a run once none of its tasks is still running (a delete while a task process is being killed can
        leave the run behind, and the grid screenshot then shows it), and checks that it is gone."""
        deadline = time.monotonic() + timeout
        busy = ("running", "queued", "scheduled", "restarting", "up_for_retry", "deferred")
        last = None
        while time.monotonic() < deadline:
            r = self.s.get(f"{self.url}/api/v2/dags/{DAG}/dagRuns/{run_id}", timeout=60)
            if r.status_code == 404:
                return
            try:
                active = [t["task_id"] for t in self.task_instances(run_id) if t["state"] in busy]
            except requests.HTTPError as e:  # deleted between the two requests
                active, last = [], f"task instances: {e}"
            if not active:
                d = self.s.delete(f"{self.url}/api/v2/dags/{DAG}/dagRuns/{run_id}", timeout=60)
                last = f"delete answered {d.status_code} {d.text[:200]}"
            else:
                last = f"tasks still active: {active}"
            time.sleep(3)
        raise AssertionError(f"run {run_id} not removed within {timeout} s ({last})")

    def task_instances(self, run_id: str) -> list[dict]:
        return self.get(f"/dags/{DAG}/dagRuns/{run_id}/taskInstances", limit=100)["task_instances"]

    def xcom(self, run_id: str, task_id: str, map_index: int = -1):
        v = self.get(f"/dags/{DAG}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/return_value",
                     map_index=map_index, deserialize=True, stringify=False)["value"]
        return json.loads(v) if isinstance(v, str) else v


def s3_client():
    return boto3.client("s3", endpoint_url=os.environ["VLLTR_S3_ENDPOINT"],
                        aws_access_key_id=os.environ["VLLTR_S3_ACCESS_KEY"],
                        aws_secret_access_key=os.environ["VLLTR_S3_SECRET_KEY"], region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, request_checksum_calculation="when_required"))


def bucket_key(uri: str) -> tuple[str, str]:
    u = urlparse(uri)
    assert u.scheme == "s3", f"not an s3:// URI: {uri}"
    return u.netloc, u.path.lstrip("/")


def stage_results(af: Airflow, run_id: str, tis: list[dict]) -> dict[str, dict]:
    """task id (recalibration[<index>] for mapped ones) -> its XCom result."""
    out = {}
    for ti in tis:
        if ti["task_id"] in STAGES:
            key = ti["task_id"] if ti["map_index"] < 0 else f"{ti['task_id']}[{ti['map_index']}]"
            out[key] = af.xcom(run_id, ti["task_id"], ti["map_index"])
    return out


def manifests_in_minio(s3, results: dict[str, dict]) -> dict[str, tuple[str, str]]:
    """Asserts every manifest and its outputs are in MinIO; returns manifest key -> (ETag, LastModified)."""
    stamps = {}
    for task, result in results.items():
        bucket, key = bucket_key(result["manifest"])
        head = s3.head_object(Bucket=bucket, Key=key)
        manifest = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
        for name, out in manifest["outputs"].items():
            ob, ok = bucket_key(out["uri"])
            size = s3.head_object(Bucket=ob, Key=ok)["ContentLength"]
            assert size == out["size"], f"{task}: output {name} has {size} bytes in MinIO, the manifest says {out['size']}"
        stamps[result["manifest"]] = (head["ETag"], str(head["LastModified"]))
    return stamps


def mlflow_stage_runs(stage_run_id: str) -> list:
    from mlflow.tracking import MlflowClient

    client = MlflowClient(os.environ["MLFLOW_TRACKING_URI"])
    exp = client.get_experiment_by_name(os.environ.get("VLLTR_EXPERIMENT", "vl-ltr"))
    assert exp is not None, "MLflow has no experiment vl-ltr"
    return client.search_runs([exp.experiment_id], filter_string=f"tags.`vlltr.run_id` = '{stage_run_id}'",
                              max_results=200), client


def parent_runs(client, pipeline_run_id: str) -> list:
    """The pipeline run's parent run(s): tagged with its id, not nested under another run."""
    exp = client.get_experiment_by_name(os.environ.get("VLLTR_EXPERIMENT", "vl-ltr"))
    runs = client.search_runs([exp.experiment_id], filter_string=f"tags.`vlltr.pipeline_run_id` = '{pipeline_run_id}'",
                              max_results=50)
    return [r for r in runs if "mlflow.parentRunId" not in r.data.tags]


def stage_pids(jar_part: str, run_id: str) -> list[int]:
    """Processes of this machine running the stage jar for this pipeline run id (the stack's worker started them)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if any(jar_part.encode() in a for a in argv) and run_id.encode() in argv:
            pids.append(int(entry))
    return pids


def kill_during_cvlp(af: Airflow, s3, conf: dict, expected_metrics: dict, timeout: float) -> None:
    """7. SIGKILL the cvlp stage process after its first checkpoint; Airflow retries it after the backoff delay, the
    retry resumes from the checkpoint and ends with the uninterrupted run's metrics."""
    run_name = f"e2e-kill-{int(time.time())}"
    run_id = af.send("POST", f"/dags/{DAG}/dagRuns",
                     {"logical_date": None, "conf": {**conf, "run_name": run_name}})["dag_run_id"]
    t0 = time.monotonic()
    prefix = f"runs/{run_name}/cvlp/checkpoints/"
    killed_at = None
    while killed_at is None:
        state = af.get(f"/dags/{DAG}/dagRuns/{run_id}")["state"]
        if time.monotonic() - t0 > timeout or state not in ("queued", "running"):
            raise AssertionError(f"no cvlp checkpoint under s3://vlltr/{prefix} (run {state}, {time.monotonic() - t0:.0f} s)")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="vlltr", Prefix=prefix).get("Contents", [])]
        if any(k.endswith("/checkpoint.json") for k in keys):
            pids = stage_pids("stages/cvlp/target/quarkus-app/quarkus-run.jar", run_name)
            if not pids:
                raise AssertionError(f"a cvlp checkpoint exists ({keys}) but no cvlp process of {run_name} runs")
            for pid in pids:
                os.kill(pid, 9)
            killed_at = time.time()
            say(f"killed cvlp of {run_name} (pids {pids}, SIGKILL) after its checkpoint {sorted(keys)[-1]}")
        time.sleep(0.5)
    deadline = time.monotonic() + timeout
    while True:
        ti = af.get(f"/dags/{DAG}/dagRuns/{run_id}/taskInstances/cvlp")
        if ti["state"] in ("success", "failed") and ti["try_number"] >= 2:
            break
        if ti["state"] in ("success", "failed") or time.monotonic() > deadline:  # on the first try: not retried
            raise AssertionError(f"cvlp of {run_id} after the kill: {ti['state']}, try {ti['try_number']}")
        time.sleep(5)
    retried_after = iso_seconds(ti["start_date"]) - killed_at  # start_date: the latest try's
    check(ti["state"] == "success" and ti["try_number"] == 2,
          f"killed cvlp retried by Airflow and succeeded on try {ti['try_number']}")
    check(retried_after >= 60, f"the retry started {retried_after:.0f} s after the kill (backoff from 60 s)")
    log = af.s.get(f"{af.url}/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances/cvlp/logs/2",
                   params={"full_content": "true"}, headers={"Accept": "application/json"}, timeout=60).text
    check("resuming from the checkpoint of epoch" in log, "the retry resumed from the checkpoint (its task log says so)")
    metrics = af.xcom(run_id, "cvlp")["metrics"]
    check(metrics.get("resumed_from_epoch") == 1.0, f"cvlp's metrics record the resume: {metrics}")
    # what training computed must be identical; wall time and the resume marker describe the execution, not the model
    bookkeeping = {"train_seconds", "resumed_from_epoch"}
    science = {k: v for k, v in metrics.items() if k not in bookkeeping}
    expected = {k: v for k, v in expected_metrics.items() if k not in bookkeeping}
    diff = {k: (expected.get(k), science.get(k)) for k in set(science) | set(expected) if expected.get(k) != science.get(k)}
    check(not diff, f"resumed cvlp ends with exactly the uninterrupted run's metrics {sorted(science)}"
          f"{'' if not diff else f'; differing (uninterrupted, resumed): {diff}'}")
    # the rest of this run would repeat what the first run showed: stop it and remove it (the grid stays green)
    af.send("PATCH", f"/dags/{DAG}/dagRuns/{run_id}", {"state": "failed"})
    af.remove_run(run_id)
    say(f"kill/resume check took {time.monotonic() - t0:.0f} s")


def iso_seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def main() -> int:
    timeout = float(os.environ.get("VLLTR_E2E_TIMEOUT", "3600"))
    conf = json.loads(os.environ.get("VLLTR_E2E_CONF", "{}"))
    af = Airflow(os.environ["VLLTR_E2E_AIRFLOW_URL"], os.environ["AIRFLOW_ADMIN_PASSWORD"])
    af.wait_for_dag(300)
    af.send("PATCH", f"/dags/{DAG}", {"is_paused": False})

    t0 = time.monotonic()
    run = af.send("POST", f"/dags/{DAG}/dagRuns", {"logical_date": None, "conf": conf})
    run_id = run["dag_run_id"]
    say(f"triggered {run_id} with conf {conf}")
    state = af.wait_for_run(run_id, timeout)
    first_seconds = time.monotonic() - t0
    tis = af.task_instances(run_id)
    bad = [(t["task_id"], t["map_index"], t["state"]) for t in tis if t["state"] != "success"]
    check(state == "success" and not bad, f"run {run_id} succeeded with all {len(tis)} task instances"
          f" ({first_seconds:.0f} s){'' if not bad else f'; not successful: {bad}'}")
    methods = conf.get("methods") or ["crt", "ncm", "tau", "lws", "joint"]
    check(sum(t["task_id"] == "recalibration" for t in tis) == len(methods),
          f"recalibration mapped once per method ({len(methods)})")

    s3 = s3_client()
    results = stage_results(af, run_id, tis)
    check(len(results) == 5 + len(methods), f"{len(results)} stage executions returned an XCom")
    stamps = manifests_in_minio(s3, results)
    check(all(m.startswith("s3://") for m in stamps), "every manifest and output is in MinIO (s3://)")

    stage_run_id = results["text-crawl"]["manifest"].split("/")[-3]
    runs, client = mlflow_stage_runs(stage_run_id)
    by_stage = {}
    for r in runs:
        by_stage.setdefault(r.data.tags.get("vlltr.stage"), []).append(r)
    check(set(STAGES) <= set(by_stage), f"MLflow holds runs of every stage for run id {stage_run_id}: "
          f"{ {k: len(v) for k, v in by_stage.items()} }")
    check(len(by_stage["recalibration"]) == len(methods), "one MLflow run per recalibration method")
    for stage in STAGES:
        for r in by_stage[stage]:
            arts = client.list_artifacts(r.info.run_id)
            assert r.data.params and r.data.metrics and arts, \
                f"MLflow run of {stage} {r.info.run_id}: params {len(r.data.params)}, metrics {len(r.data.metrics)}," \
                f" artifacts {len(arts)}"
            assert r.info.status == "FINISHED", f"MLflow run of {stage}: status {r.info.status}"
    check(True, "every stage's MLflow run is FINISHED with params, metrics and artifacts")
    names = {r.info.run_name for r in by_stage["recalibration"]}
    check(names == {f"recalibration[{m}]" for m in methods},
          f"the mapped stage's runs are named by execution: {sorted(names)}")
    check(all(r.info.run_name == s for s in STAGES if s != "recalibration" for r in by_stage[s]),
          "the other stages' runs are named after the stage")
    parents = parent_runs(client, stage_run_id)
    check(len(parents) == 1 and parents[0].info.status == "FINISHED" and parents[0].info.end_time,
          f"the teardown ended the parent run of {stage_run_id}: {[(p.info.run_id, p.info.status) for p in parents]}")
    mlflow_objects = s3.list_objects_v2(Bucket="vlltr-mlflow", Prefix="artifacts/").get("KeyCount", 0)
    check(mlflow_objects > 0, f"MLflow's artifacts are in MinIO (s3://vlltr-mlflow/artifacts: {mlflow_objects} objects)")

    registry = os.environ["VLLTR_REGISTRY_URL"].rstrip("/") + "/api/v1"
    headers = {"X-API-Key": os.environ["VLLTR_REGISTRY_API_KEY"]}
    # the profile may name its own model (the quick profile registers into vl-ltr-quick, never into vl-ltr)
    model = conf.get("model_name") or "vl-ltr"
    versions = requests.get(f"{registry}/models/{model}/versions", headers=headers, timeout=30)
    check(versions.status_code == 200, f"registry has model {model} ({versions.status_code})")
    body = versions.json()
    items = body.get("items", body.get("versions", body if isinstance(body, list) else []))
    text = json.dumps(items)
    check(bool(items) and stage_run_id in text and "s3://" in text,
          f"registry version(s) of {model} with lineage pointing at run {stage_run_id}'s s3:// artifacts")

    # 5. a new trigger (a second dag run) re-using the first run's id: every stage finds its manifest current
    before = len(runs)
    t1 = time.monotonic()
    run2 = af.send("POST", f"/dags/{DAG}/dagRuns",
                   {"logical_date": None, "conf": {**conf, "run_name": stage_run_id}})["dag_run_id"]
    check(run2 != run_id, f"second trigger is a new dag run {run2} (run_name={stage_run_id})")
    state = af.wait_for_run(run2, timeout)
    tis2 = af.task_instances(run2)
    bad = [(t["task_id"], t["map_index"], t["state"]) for t in tis2 if t["state"] != "success"]
    check(state == "success" and not bad, f"second run succeeded ({time.monotonic() - t1:.0f} s)")
    results2 = stage_results(af, run2, tis2)
    check({k: v["manifest"] for k, v in results2.items()} == {k: v["manifest"] for k, v in results.items()},
          "every stage of the second run returned the first run's manifest")
    again = manifests_in_minio(s3, results2)
    check(again == stamps, "second run fully memoised: no manifest rewritten (same ETag and LastModified)")
    runs2, _ = mlflow_stage_runs(stage_run_id)
    check(len(runs2) == before, f"no new MLflow stage run ({len(runs2)} == {before})")
    parents = parent_runs(client, stage_run_id)
    check(len(parents) == 1 and parents[0].info.status == "FINISHED", "the parent run is still the one, FINISHED")

    # 6. bad input: a stage exiting with 2 fails its task at once, without a retry (the run is deleted afterwards so
    #    that the grid of the successful run stays green for the screenshots)
    bad_run = af.send("POST", f"/dags/{DAG}/dagRuns",
                      {"logical_date": None, "conf": {**conf, "dataset": "no-such-dataset"}})["dag_run_id"]
    t2 = time.monotonic()
    state = af.wait_for_run(bad_run, 900)
    crawl = next(t for t in af.task_instances(bad_run) if t["task_id"] == "text-crawl")
    check(state == "failed" and crawl["state"] == "failed" and crawl["try_number"] == 1,
          f"bad input (dataset=no-such-dataset): text-crawl exits 2 and fails on its first try, no retry"
          f" ({crawl['state']}, try {crawl['try_number']}, {time.monotonic() - t2:.0f} s)")
    bad_stage_run_id = re.sub(r"[^A-Za-z0-9._-]+", "-", bad_run).lstrip("._-")[:200]  # the DAG's sanitize_run_id
    bad_parents = parent_runs(client, bad_stage_run_id)
    check(len(bad_parents) == 1 and bad_parents[0].info.status == "FAILED",
          f"the failed run's parent MLflow run ended FAILED: {[(p.info.run_id, p.info.status) for p in bad_parents]}")
    af.remove_run(bad_run)

    if os.environ.get("VLLTR_E2E_KILL", "1") != "0":
        kill_during_cvlp(af, s3, conf, results["cvlp"]["metrics"], timeout)
    say(f"e2e passed; first run {first_seconds:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        say(f"FAILED: {e}")
        sys.exit(1)
