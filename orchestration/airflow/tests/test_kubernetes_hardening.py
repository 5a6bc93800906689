"""Kubernetes mode, hardened: read-only root filesystems with an emptyDir /tmp, pods the `restricted` Pod Security
level admits, the GPU pool, deferrable long stages, and the imagePullSecrets / runtimeClassName knobs."""

from __future__ import annotations

import copy

import pytest

from test_pod_specs import render


def restricted_violations(pod) -> list[str]:
    """The rules of Pod Security Standards `restricted` (v1.27+) that a stage pod could break."""
    out = []
    psc = pod.spec.security_context
    for c in pod.spec.containers + (pod.spec.init_containers or []):
        sc = c.security_context
        where = f"container {c.name}"
        if sc is None:
            out.append(f"{where}: no securityContext")
            continue
        if sc.allow_privilege_escalation is not False:
            out.append(f"{where}: allowPrivilegeEscalation must be false")
        if not sc.capabilities or "ALL" not in (sc.capabilities.drop or []):
            out.append(f"{where}: capabilities must drop ALL")
        if set((sc.capabilities.add if sc.capabilities else None) or []) - {"NET_BIND_SERVICE"}:
            out.append(f"{where}: adds capabilities")
        if sc.privileged:
            out.append(f"{where}: privileged")
        if not ((sc.run_as_non_root is True) or (psc and psc.run_as_non_root is True)):
            out.append(f"{where}: runAsNonRoot")
        if (sc.run_as_user == 0) or (psc and psc.run_as_user == 0):
            out.append(f"{where}: runAsUser 0")
        seccomp = (sc.seccomp_profile or (psc.seccomp_profile if psc else None))
        if seccomp is None or seccomp.type not in ("RuntimeDefault", "Localhost"):
            out.append(f"{where}: seccompProfile RuntimeDefault or Localhost")
    for v in pod.spec.volumes or []:
        if v.host_path is not None:
            out.append(f"volume {v.name}: hostPath")
    if pod.spec.host_network or pod.spec.host_pid or pod.spec.host_ipc:
        out.append("host namespaces")
    return out


@pytest.mark.parametrize("task_id", ["text-crawl", "cvlp", "anchor-selection", "lgr"])
def test_stage_pods_pass_pod_security_restricted(dag, hook, task_id):
    pod = render(dag.get_task(task_id), dag)
    assert restricted_violations(pod) == []
    base = pod.spec.containers[0]
    assert base.security_context.read_only_root_filesystem is True
    tmp = next(v for v in pod.spec.volumes if v.name == "tmp")
    assert tmp.empty_dir.size_limit == "2Gi"
    assert {m.name: m.mount_path for m in base.volume_mounts}["tmp"] == "/tmp"


def test_the_checker_sees_violations(dag, hook):
    pod = render(dag.get_task("cvlp"), dag)
    pod.spec.containers[0].security_context.allow_privilege_escalation = True
    pod.spec.security_context.run_as_non_root = None
    pod.spec.security_context.seccomp_profile = None
    found = restricted_violations(pod)
    assert "container base: allowPrivilegeEscalation must be false" in found
    assert any("runAsNonRoot" in f for f in found) and any("seccompProfile" in f for f in found)


def test_gpu_stages_take_a_slot_of_the_gpu_pool(dag, spec):
    pool = spec["kubernetes"]["gpu"]["pool"]
    assert pool == {"name": "vlltr-gpu", "slots": 4}
    for stage in spec["stages"]:
        task = dag.get_task(stage["name"])
        get = (lambda k, d=None: task.partial_kwargs.get(k, d)) if hasattr(task, "partial_kwargs") else (
            lambda k, d=None: getattr(task, k, d))
        if stage.get("gpu"):
            assert get("pool") == "vlltr-gpu" and get("pool_slots") == 1, stage["name"]
        else:
            assert get("pool") in (None, "default_pool"), stage["name"]


def test_cpu_cluster_and_local_mode_use_no_gpu_pool(spec, pipeline_module):
    for dag in (pipeline_module.build_dag(spec, gpu_cluster=False), pipeline_module.build_dag(spec, mode="local")):
        assert dag.get_task("cvlp").pool == "default_pool"


def test_long_stages_are_deferrable(dag, spec):
    after = spec["kubernetes"]["deferrableAfterSeconds"]
    for stage in spec["stages"]:
        task = dag.get_task(stage["name"])
        deferrable = task.partial_kwargs.get("deferrable", False) if hasattr(task, "partial_kwargs") else task.deferrable
        assert deferrable is (stage.get("timeoutSeconds", 0) >= after), stage["name"]
    assert dag.get_task("cvlp").deferrable is True and dag.get_task("text-crawl").deferrable is False


def test_image_pull_secrets_and_runtime_class_knobs(spec, pipeline_module, hook):
    knobs = copy.deepcopy(spec)
    knobs["kubernetes"]["imagePullSecrets"] = ["regcred", "mirror"]
    knobs["kubernetes"]["runtimeClassName"] = "gvisor"
    knobs["kubernetes"]["gpu"]["runtimeClassName"] = "nvidia"
    dag = pipeline_module.build_dag(knobs)
    text = render(dag.get_task("text-crawl"), dag)
    cvlp = render(dag.get_task("cvlp"), dag)
    assert [s.name for s in text.spec.image_pull_secrets] == ["regcred", "mirror"]
    assert text.spec.runtime_class_name == "gvisor"
    assert cvlp.spec.runtime_class_name == "nvidia"  # GPU stages: the GPU runtime class wins
    assert cvlp.spec.containers[0].args[:2] == ["--run-id", "manual__2026-11-23T06-18-37.123456-00-00"]
    # defaults (empty knobs): nothing set
    plain = render(pipeline_module.build_dag(spec).get_task("cvlp"), pipeline_module.build_dag(spec))
    assert not plain.spec.image_pull_secrets and plain.spec.runtime_class_name is None
