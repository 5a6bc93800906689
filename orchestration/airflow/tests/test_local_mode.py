"""Local mode: each stage as a subprocess of the Airflow worker (LocalStageOperator), built from the same spec and
the same argument functions as the pods. The subprocess tests run a real process (a small Python program standing in
for `java`, which receives `-jar <jar> <arguments>` and behaves like a stage: return.json, exit codes) and, where
the stage jars are built, the real text-crawl jar."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import DAGS, REPO


@pytest.fixture(scope="module")
def local_dag(spec, pipeline_module):
    return pipeline_module.build_dag(spec, mode="local")


def test_every_stage_is_a_local_subprocess_of_its_built_jar(local_dag, spec):
    from vlltr_stage_operators import LocalStageOperator

    for stage in spec["stages"]:
        task = local_dag.get_task(stage["name"])
        kwargs = getattr(task, "partial_kwargs", None)
        get = (lambda k: kwargs[k]) if kwargs is not None else (lambda k: getattr(task, k))
        cls = task.operator_class if kwargs is not None else type(task)
        assert cls is LocalStageOperator, stage["name"]
        assert get("jar") == str(REPO / stage["local"]["jar"])
        assert get("jar").endswith(f"stages/{stage['name']}/target/quarkus-app/quarkus-run.jar")
        assert get("retries") == 2 and get("retry_exponential_backoff") is True
        execution = "recalibration[{{ params['methods'][ti.map_index] }}]" if stage.get("fanOut") else stage["name"]
        assert get("env_vars") == {"VLLTR_AIRFLOW_RUN_ID": "{{ run_id }}", "VLLTR_STAGE_EXECUTION": execution}
    assert local_dag.get_task("recalibration").partial_kwargs["max_active_tis_per_dagrun"] == 2
    assert local_dag.get_task("cvlp").execution_timeout.total_seconds() == 86400
    assert "local" in local_dag.tags and "kubernetes" not in local_dag.tags


def test_dagbag_imports_in_local_mode(monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("VLLTR_EXECUTION_MODE", "local")
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    dag = bag.dags["vlltr_pipeline"]
    assert type(dag.get_task("cvlp")).__name__ == "LocalStageOperator"
    assert len(dag.tasks) == 9


@pytest.mark.parametrize("env, value, expected", [
    ({}, None, "kubernetes"),
    ({"VLLTR_EXECUTION_MODE": "local"}, None, "local"),
    ({"VLLTR_EXECUTION_MODE": " Kubernetes "}, None, "kubernetes"),
    ({"AIRFLOW_VAR_VLLTR_EXECUTION_MODE": "local"}, None, "local"),
    ({"VLLTR_EXECUTION_MODE": "kubernetes", "AIRFLOW_VAR_VLLTR_EXECUTION_MODE": "local"}, None, "kubernetes"),
])
def test_execution_mode_from_the_environment(pipeline_module, monkeypatch, env, value, expected):
    monkeypatch.delenv("VLLTR_EXECUTION_MODE", raising=False)
    monkeypatch.delenv("AIRFLOW_VAR_VLLTR_EXECUTION_MODE", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert pipeline_module.execution_mode() == expected


def test_unknown_execution_mode_is_an_import_error_naming_the_variable(monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("VLLTR_EXECUTION_MODE", "docker")
    bag = DagBag(dag_folder=str(DAGS))
    assert list(bag.dag_ids) == []
    (message,) = bag.import_errors.values()
    assert "VLLTR_EXECUTION_MODE" in message and "'docker'" in message and "local" in message


# ------------------------------------------------------------------------------------- the subprocess itself

FAKE_JAVA = textwrap.dedent("""\
    #!{python}
    # Stands in for `java`: records how it was called, then acts like a stage (see test_local_mode.py).
    import json, os, sys, time
    argv = sys.argv[1:]
    params = dict(a.split("=", 1) for a in argv[argv.index("-jar") + 2:] if "=" in a)
    with open(os.environ["FAKE_RECORD"], "w") as f:
        json.dump({{"argv": argv, "env": {{k: os.environ.get(k) for k in
                   ("DJL_OFFLINE", "OPT_OUT_TRACKING", "VLLTR_XCOM_DIR", "VLLTR_AIRFLOW_RUN_ID", "FROM_WORKER",
                    "GLIBC_TUNABLES")}},
                   "pid": os.getpid()}}, f)
    print("stage says hello")
    if "sleep" in params:
        time.sleep(float(params["sleep"]))
    code = int(params.get("exit", "0"))
    if code == 0:
        with open(os.path.join(os.environ["VLLTR_XCOM_DIR"], "return.json"), "w") as f:
            json.dump({{"manifest": "file:///runs/r/stage/manifest.json", "metrics": {{"top1": 0.5}}}}, f)
    else:
        print("error: something named in the message", file=sys.stderr)
    sys.exit(code)
""")


@pytest.fixture()
def fake_stage(tmp_path, monkeypatch):
    java = tmp_path / "java"
    java.write_text(FAKE_JAVA.format(python=sys.executable))
    java.chmod(0o755)
    jar = tmp_path / "quarkus-run.jar"
    jar.write_bytes(b"")
    record = tmp_path / "record.json"
    monkeypatch.setenv("FAKE_RECORD", str(record))
    monkeypatch.setenv("FROM_WORKER", "inherited")

    def make(*args, **kwargs):
        from vlltr_stage_operators import LocalStageOperator

        return LocalStageOperator(task_id="stage", stage="cvlp", jar=str(jar), java=str(java), jvm_options=["-Xmx1g"],
                                  arguments=list(args), env_vars={"VLLTR_AIRFLOW_RUN_ID": "manual__1"}, **kwargs)

    make.record = lambda: json.loads(record.read_text())
    make.jar = jar
    return make


def test_success_returns_the_stages_return_json_from_a_folder_of_its_own(fake_stage):
    op = fake_stage("--run-id", "r1", "--param", "exit=0")
    result = op.execute({})
    assert result == {"manifest": "file:///runs/r/stage/manifest.json", "metrics": {"top1": 0.5}}
    rec = fake_stage.record()
    assert rec["argv"] == ["-Xmx1g", "-jar", str(fake_stage.jar), "--run-id", "r1", "--param", "exit=0"]
    assert rec["env"]["DJL_OFFLINE"] == "true" and rec["env"]["OPT_OUT_TRACKING"] == "true"
    assert rec["env"]["VLLTR_AIRFLOW_RUN_ID"] == "manual__1" and rec["env"]["FROM_WORKER"] == "inherited"
    xcom_dir = Path(rec["env"]["VLLTR_XCOM_DIR"])
    assert xcom_dir.name.startswith("vlltr-xcom-stage-") and xcom_dir != Path("/airflow/xcom")
    assert not xcom_dir.exists()  # removed after reading
    fake_stage("--param", "exit=0").execute({})
    assert fake_stage.record()["env"]["VLLTR_XCOM_DIR"] != str(xcom_dir)  # a fresh folder per attempt


def test_stages_get_the_malloc_settings_unless_the_worker_has_its_own(fake_stage, monkeypatch):
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    fake_stage("--param", "exit=0").execute({})
    assert fake_stage.record()["env"]["GLIBC_TUNABLES"] == \
        "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864"
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
    fake_stage("--param", "exit=0").execute({})
    assert fake_stage.record()["env"]["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2"


def test_exit_2_fails_at_once_with_the_stages_message(fake_stage):
    from vlltr_stage_operators import AirflowFailException

    with pytest.raises(AirflowFailException) as err:
        fake_stage("--param", "exit=2").execute({})
    assert "exited with 2 (bad input or configuration; not retried)" in str(err.value)
    assert "error: something named in the message" in str(err.value)


def test_exit_1_is_a_retryable_failure(fake_stage):
    from vlltr_stage_operators import AirflowException, AirflowFailException, StageFailed

    with pytest.raises(StageFailed) as err:
        fake_stage("--param", "exit=1").execute({})
    assert isinstance(err.value, AirflowException) and not isinstance(err.value, AirflowFailException)
    assert "exited with 1" in str(err.value)


def test_a_missing_jar_is_a_configuration_error_naming_it(fake_stage):
    from vlltr_stage_operators import AirflowFailException

    op = fake_stage("--param", "exit=0")
    op.jar = "/nonexistent/stages/cvlp/target/quarkus-app/quarkus-run.jar"
    with pytest.raises(AirflowFailException, match="no jar at /nonexistent/stages/cvlp.*-pl stages/cvlp"):
        op.execute({})


def test_on_kill_stops_the_stage_process(fake_stage):
    import threading

    op = fake_stage("--param", "sleep=60")
    errors = []
    runner = threading.Thread(target=lambda: errors.append(_catch(op.execute, {})), daemon=True)
    runner.start()
    deadline = time.monotonic() + 20
    while op._process is None and time.monotonic() < deadline:
        time.sleep(0.05)
    while not os.path.exists(os.environ["FAKE_RECORD"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = fake_stage.record()["pid"]
    started = time.monotonic()
    op.on_kill()
    runner.join(timeout=30)
    assert not runner.is_alive() and time.monotonic() - started < 30
    assert op._process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert "exited with -15" in str(errors[0])  # SIGTERM: a retryable failure, not a silent success


def _catch(fn, *args):
    try:
        fn(*args)
    except Exception as e:  # noqa: BLE001 - the test inspects it
        return e
    return None


# -------------------------------------------------------------------------- the real stage jar, when it is built

TEXT_CRAWL_JAR = REPO / "stages" / "text-crawl" / "target" / "quarkus-app" / "quarkus-run.jar"
needs_jars = pytest.mark.skipif(
    not TEXT_CRAWL_JAR.is_file() and os.environ.get("VLLTR_REQUIRE_JARS") != "1",
    reason="stage jars not built (./mvnw package); CI sets VLLTR_REQUIRE_JARS=1 so that this never skips there")


@needs_jars
def test_real_stage_with_a_bad_parameter_fails_without_retry(tmp_path, monkeypatch):
    from vlltr_stage_operators import AirflowFailException, LocalStageOperator

    monkeypatch.setenv("VLLTR_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1")
    op = LocalStageOperator(task_id="text-crawl", stage="text-crawl", jar=str(TEXT_CRAWL_JAR),
                            arguments=["--run-id", "bad-input", "--artifact-root", (tmp_path / "a").as_uri(),
                                       "--tracking-uri", "none", "--param", "wiki=maybe"])
    with pytest.raises(AirflowFailException) as err:
        op.execute({})
    assert "exited with 2" in str(err.value) and "wiki" in str(err.value)
