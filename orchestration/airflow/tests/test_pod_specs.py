"""Each task's pod, as KubernetesPodOperator would submit it, built without a cluster.

The operator only asks its hook whether it runs in a cluster and for the XCom sidecar image, so the hook is
replaced; everything else (template rendering with the DAG's Jinja filters, the pod request, the XCom sidecar)
is the provider's real code."""

from __future__ import annotations

import copy

import pytest

from conftest import RecordedXComs

RUN_ID = "manual__2026-11-23T06:18:37.123456+00:00"
SANITIZED = "manual__2026-11-23T06-18-37.123456-00-00"
ROOT = "s3://vlltr/runs"
MLFLOW = "http://mlflow.vlltr.svc.cluster.local:5000"


def manifest(stage: str, root: str = ROOT) -> str:
    return f"{root}/{SANITIZED}/{stage}/manifest.json"


UPSTREAM = {
    "text-crawl": {"manifest": manifest("text-crawl"), "outputs": {}, "metrics": {}},
    "cvlp": {"manifest": manifest("cvlp"), "outputs": {}, "metrics": {"val/top1": 0.5}},
    "anchor-selection": {"manifest": manifest("anchor-selection"), "outputs": {}, "metrics": {}},
    "lgr": {"manifest": manifest("lgr"), "outputs": {}, "metrics": {}},
}


def render(op, dag, params=None, xcoms=None, run_id=RUN_ID):
    """Render the operator's templated fields as Airflow does at run time, then build the pod request."""
    op = copy.copy(op)
    resolved = copy.deepcopy(dag.params)
    resolved.update(params or {})
    context = {"params": resolved.validate(), "run_id": run_id, "ti": RecordedXComs(xcoms or UPSTREAM),
               "task_instance": None}
    context["task_instance"] = context["ti"]
    op.render_template_fields(context)
    return op.build_pod_request_obj()


def env_of(container) -> dict:
    return {e.name: e.value for e in container.env if e.value is not None}


def secret_env_of(container) -> dict:
    return {e.name: (e.value_from.secret_key_ref.name, e.value_from.secret_key_ref.key)
            for e in container.env if e.value_from is not None and e.value_from.secret_key_ref is not None}


def test_cvlp_pod(dag, hook):
    pod = render(dag.get_task("cvlp"), dag, params={"image_tag": "1.2.3",
                                                    "image_registry": "registry.example.org/ml/"})
    base = pod.spec.containers[0]
    assert base.image == "registry.example.org/ml/vlltr/cvlp:1.2.3-cuda"  # the CUDA variant
    assert base.command in (None, [])  # the image's entrypoint runs the stage app
    assert base.args == [
        "--run-id", SANITIZED, "--artifact-root", ROOT, "--tracking-uri", MLFLOW,
        "--input", "dataset=s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml",
        "--input", "corpus=" + manifest("text-crawl"),
        "--param", "epochs=10",
        "--param", "lambda=0.5",
        "--param", "sampler=sqrt", "--param", "seed=0", "--param", "preset=none",
        "--param", "text-encoder=minilm", "--param", "device=gpu"]
    # GPU: the limit (and an equal request), a GPU node, the GPU taint tolerated, /dev/shm in memory
    assert base.resources.limits == {"memory": "16Gi", "nvidia.com/gpu": "1"}
    assert base.resources.requests == {"cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "1"}
    assert pod.spec.node_selector == {"nvidia.com/gpu.present": "true"}
    assert [(t.key, t.operator, t.effect) for t in pod.spec.tolerations] == [("nvidia.com/gpu", "Exists", "NoSchedule")]
    volumes = {v.name: v for v in pod.spec.volumes}
    assert volumes["dshm"].empty_dir.medium == "Memory" and volumes["dshm"].empty_dir.size_limit == "8Gi"
    assert volumes["work"].empty_dir.size_limit == "20Gi"
    mounts = {m.name: m.mount_path for m in base.volume_mounts}
    assert mounts == {"work": "/work", "tmp": "/tmp", "dshm": "/dev/shm", "xcom": "/airflow/xcom"}
    assert pod.spec.active_deadline_seconds == 86400
    assert pod.spec.priority_class_name == "vlltr-training"


def test_cpu_only_cluster_drops_every_gpu_setting(spec, hook, pipeline_module):
    """VLLTR_GPU=false: the same DAG for a laptop cluster (k8s/overlays/dev refuses GPU requests)."""
    cpu_dag = pipeline_module.build_dag(spec, gpu_cluster=False)
    pod = render(cpu_dag.get_task("cvlp"), cpu_dag)
    base = pod.spec.containers[0]
    assert base.image == "vlltr/cvlp:0.1.0-SNAPSHOT"
    assert base.resources.limits == {"memory": "16Gi"}
    assert not pod.spec.node_selector and not pod.spec.tolerations and pod.spec.priority_class_name is None
    assert "dshm" not in {v.name for v in pod.spec.volumes}
    assert cpu_dag.get_task("recalibration").partial_kwargs["container_resources"].limits == {"memory": "8Gi"}


@pytest.mark.parametrize("value, expected", [("false", False), ("0", False), ("true", True), ("", True)])
def test_gpu_switch_reads_the_environment(pipeline_module, monkeypatch, value, expected):
    monkeypatch.setenv("VLLTR_GPU", value)
    assert pipeline_module.gpu_enabled() is expected


def test_every_stage_pod_gets_env_and_secrets_from_kubernetes(dag, hook):
    for task_id in ("text-crawl", "cvlp", "anchor-selection", "lgr"):
        pod = render(dag.get_task(task_id), dag)
        base = pod.spec.containers[0]
        env = env_of(base)
        assert env["VLLTR_S3_ENDPOINT"] == "http://minio.vlltr.svc.cluster.local:9000"
        assert env["MLFLOW_TRACKING_URI"] == MLFLOW
        assert env["DJL_OFFLINE"] == "true" and env["OPT_OUT_TRACKING"] == "true"
        assert env["VLLTR_WORK_DIR"] == "/work"
        assert env["VLLTR_AIRFLOW_RUN_ID"] == RUN_ID
        assert secret_env_of(base) == {
            "VLLTR_S3_ACCESS_KEY": ("minio-credentials", "access-key"),
            "VLLTR_S3_SECRET_KEY": ("minio-credentials", "secret-key"),
            "MLFLOW_TRACKING_USERNAME": ("mlflow-credentials", "username"),
            "MLFLOW_TRACKING_PASSWORD": ("mlflow-credentials", "password"),
        }
        assert not any("secret" in (e.value or "").lower() for e in base.env)  # no credential in the DAG
        assert pod.metadata.namespace == "vlltr"
        assert pod.spec.service_account_name == "vlltr-pipeline"
        assert pod.spec.restart_policy == "Never"
        assert pod.metadata.labels["vlltr.dev/stage"] == task_id
        assert pod.spec.security_context.run_as_non_root is True
        assert base.security_context.allow_privilege_escalation is False


def test_cpu_stages_ask_for_no_gpu(dag, hook):
    for task_id in ("text-crawl", "anchor-selection"):
        pod = render(dag.get_task(task_id), dag)
        base = pod.spec.containers[0]
        assert "nvidia.com/gpu" not in (base.resources.limits or {})
        assert not pod.spec.node_selector
        assert not pod.spec.tolerations
        assert "dshm" not in {v.name for v in pod.spec.volumes}
    text = render(dag.get_task("text-crawl"), dag).spec.containers[0]
    assert text.image == "vlltr/text-crawl:0.1.0-SNAPSHOT"
    assert text.args == ["--run-id", SANITIZED, "--artifact-root", ROOT, "--tracking-uri", MLFLOW,
                         "--input", "dataset=s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml",
                         "--param", "sources=templates,wordnet,gcide",
                         "--param", "wiki=false"]
    assert text.resources.requests == {"cpu": "1", "memory": "2Gi"}


def test_cvlp_gets_the_clip_bundle_only_when_one_is_given(dag, hook):
    """clip_bundle: the empty default passes no input (not even an empty one); a folder URI becomes the input
    'clip-bundle' that a preset's resnet50 / vit-b16 backbone needs."""
    default = render(dag.get_task("cvlp"), dag).spec.containers[0].args
    assert not any(a.startswith("clip-bundle") for a in default) and default.count("--input") == 2
    given = render(dag.get_task("cvlp"), dag, params={"clip_bundle": "s3://vlltr/clip/rn50/", "text_encoder": "clip",
                                                      "preset": "imagenet-lt-rn50"}).spec.containers[0].args
    assert given[given.index("clip-bundle=s3://vlltr/clip/rn50/") - 1] == "--input"
    assert "preset=imagenet-lt-rn50" in given and "text-encoder=clip" in given


def test_anchor_selection_and_lgr_read_upstream_manifests_from_xcom(dag, hook):
    anchors = render(dag.get_task("anchor-selection"), dag, params={"m": 32}).spec.containers[0]
    assert anchors.args[6:] == [
        "--input", "dataset=s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml", "--input", "cvlp=" + manifest("cvlp"), "--input", "corpus=" + manifest("text-crawl"),
        "--param", "m=32", "--param", "strategy=anss", "--param", "split=val", "--param", "images-per-class=50",
        "--param", "seed=0"]
    lgr = render(dag.get_task("lgr"), dag, params={"alpha": 0.7, "lgr_epochs": 3}).spec.containers[0]
    assert lgr.args[6:] == [
        "--input", "dataset=s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml", "--input", "cvlp=" + manifest("cvlp"), "--input", "anchors=" + manifest("anchor-selection"),
        "--param", "alpha=0.7", "--param", "epochs=3", "--param", "freeze-attention=false",
        "--param", "seed=0", "--param", "preset=none",
        "--param", "device=gpu"]


def test_pod_serialises_to_kubernetes_json(dag, hook):
    from kubernetes.client import ApiClient

    body = ApiClient().sanitize_for_serialization(render(dag.get_task("cvlp"), dag))
    base = body["spec"]["containers"][0]
    assert base["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert base["securityContext"] == {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                                       "readOnlyRootFilesystem": True}
    assert body["spec"]["securityContext"]["runAsUser"] == 185
    assert {"name": "VLLTR_S3_ACCESS_KEY",
            "valueFrom": {"secretKeyRef": {"name": "minio-credentials", "key": "access-key"}}} in base["env"]


def test_xcom_sidecar_is_added_and_runs_unprivileged(dag, hook):
    pod = render(dag.get_task("lgr"), dag)
    names = [c.name for c in pod.spec.containers]
    assert names == ["base", "airflow-xcom-sidecar"]
    sidecar = pod.spec.containers[1]
    assert sidecar.security_context.run_as_user == 65534
    assert {v.name for v in pod.spec.volumes} >= {"xcom"}


def test_recalibration_arguments_one_per_method(dag):
    fan_out = dag.get_task("recalibration-arguments")
    params = copy.deepcopy(dag.params)
    params.update({"methods": ["crt", "tau", "lws"]})
    lists = fan_out.python_callable(upstream={"lgr": UPSTREAM["lgr"]}, params=params.validate(), run_id=RUN_ID)
    assert len(lists) == 3
    # then the stage's other parameters at their defaults (test_golden_arguments pins the whole list)
    assert lists[1][:14] == ["--run-id", SANITIZED, "--artifact-root", ROOT + "/method-tau", "--tracking-uri", MLFLOW,
                             "--input", "dataset=s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml", 
                             "--input", "lgr=" + manifest("lgr"), "--param", "method=tau", "--param", "seed=0"]
    assert [a[a.index("--artifact-root") + 1] for a in lists] == [
        ROOT + "/method-crt", ROOT + "/method-tau", ROOT + "/method-lws"]


def test_recalibration_mapped_pod_per_method(dag, spec, hook, pipeline_module):
    """The mapped operator's partial kwargs plus one expanded argument list give the pod of one method."""
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

    mapped = dag.get_task("recalibration")
    kwargs = pipeline_module.stage_kwargs(spec, "recalibration")
    for key in ("image", "container_resources", "node_selector", "secrets", "env_vars", "namespace"):
        assert mapped.partial_kwargs[key] == kwargs[key], key
    args = dag.get_task("recalibration-arguments").python_callable(
        upstream={"lgr": UPSTREAM["lgr"]}, params=dag.params.validate(), run_id=RUN_ID)[4]
    op = KubernetesPodOperator(arguments=args, **kwargs)  # outside the DAG: the same task id is taken there
    pod = render(op, dag)
    base = pod.spec.containers[0]
    assert base.image == "vlltr/recalibration:0.1.0-SNAPSHOT-cuda"
    assert base.args[10:14] == ["--param", "method=joint", "--param", "seed=0"]
    assert base.resources.limits["nvidia.com/gpu"] == "1"


def test_evaluation_gets_every_recalibration_manifest(dag, hook):
    methods = ["crt", "ncm", "tau", "lws", "joint"]
    recal = [{"manifest": manifest("recalibration", ROOT + "/method-" + m), "outputs": {}, "metrics": {}}
             for m in methods]
    fan_in = dag.get_task("evaluation-arguments")
    args = fan_in.python_callable(upstream={"lgr": UPSTREAM["lgr"], "recalibration": recal},
                                  params=dag.params.validate(), run_id=RUN_ID)
    assert args == ["--run-id", SANITIZED, "--artifact-root", ROOT, "--tracking-uri", MLFLOW,
                    "--input", "lgr=" + manifest("lgr")] + [
        x for m in methods for x in ("--input", f"recalibration-{m}={manifest('recalibration', ROOT + '/method-' + m)}")
    ] + ["--param", "model-name=vl-ltr", "--param", "register=true", "--param", "select-metric=val/top1",
         "--param", "ece-bins=15"]

    pod = render(dag.get_task("evaluation"), dag, xcoms={"evaluation-arguments": args})
    base = pod.spec.containers[0]
    assert base.args == args
    assert env_of(base)["VLLTR_REGISTRY_URL"] == "http://registry.vlltr.svc.cluster.local:8080"
    assert secret_env_of(base)["VLLTR_REGISTRY_API_KEY"] == ("registry-api-key", "api-key")
    assert "nvidia.com/gpu" not in base.resources.limits


def test_fan_in_refuses_a_missing_manifest(dag):
    fan_in = dag.get_task("evaluation-arguments")
    with pytest.raises(ValueError, match="returned no manifest"):
        fan_in.python_callable(upstream={"lgr": UPSTREAM["lgr"], "recalibration": [{}] * 5},
                               params=dag.params.validate(), run_id=RUN_ID)
    with pytest.raises(ValueError, match="2 results from 'recalibration' for 5 values"):
        fan_in.python_callable(upstream={"lgr": UPSTREAM["lgr"], "recalibration": [UPSTREAM["lgr"]] * 2},
                               params=dag.params.validate(), run_id=RUN_ID)


@pytest.mark.parametrize(
    "run_id, expected",
    [
        ("manual__2026-11-23T06:18:37.123456+00:00", "manual__2026-11-23T06-18-37.123456-00-00"),
        ("scheduled__2026-01-01T00:00:00+00:00", "scheduled__2026-01-01T00-00-00-00-00"),
        ("my run/with spaces", "my-run-with-spaces"),
        ("__leading", "leading"),
        ("+++", "run"),
        ("x" * 250, "x" * 200),
    ],
)
def test_run_ids_are_sanitised_for_the_stage_contract(pipeline_module, run_id, expected):
    import re

    out = pipeline_module.sanitize_run_id(run_id)
    assert out == expected
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}", out)  # StageRunner.RUN_ID
