"""Exit code 2 (bad input) fails a stage's task at once; any other failure is retried with backoff.

Kubernetes mode: the provider's real KubernetesPodOperator.cleanup() decides on a finished pod (built here as the
API server would report it: phase Failed, the base container terminated with an exit code); only the hook is
replaced (no cluster). Local mode: see test_local_mode.py (real subprocesses). Both: the task runner of Airflow's
task SDK turns AirflowFailException into FAILED and any other exception into UP_FOR_RETRY while retries remain."""

from __future__ import annotations

import pytest
from kubernetes.client import models as k8s


def finished_pod(exit_code: int, phase: str = "Failed") -> k8s.V1Pod:
    terminated = k8s.V1ContainerStateTerminated(exit_code=exit_code, reason="Error" if exit_code else "Completed",
                                                message=f"error: exit {exit_code}")
    return k8s.V1Pod(
        metadata=k8s.V1ObjectMeta(name="vlltr-cvlp-abc", namespace="vlltr", labels={}),
        status=k8s.V1PodStatus(phase=phase, container_statuses=[
            k8s.V1ContainerStatus(name="base", image="vlltr/cvlp", image_id="", ready=False, restart_count=0,
                                  state=k8s.V1ContainerState(terminated=terminated)),
            k8s.V1ContainerStatus(name="airflow-xcom-sidecar", image="alpine", image_id="", ready=False,
                                  restart_count=0, state=k8s.V1ContainerState(terminated=k8s.V1ContainerStateTerminated(
                                      exit_code=0)))]))


@pytest.fixture()
def pod_operator(spec, pipeline_module, hook):
    from vlltr_stage_operators import StagePodOperator

    return StagePodOperator(arguments=["--run-id", "r"], **pipeline_module.stage_kwargs(spec, "cvlp"))


def test_every_stage_task_uses_the_stage_operators(dag, spec):
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
    from vlltr_stage_operators import StagePodOperator

    for stage in spec["stages"]:
        task = dag.get_task(stage["name"])
        cls = task.operator_class if hasattr(task, "partial_kwargs") else type(task)
        assert cls is StagePodOperator and issubclass(cls, KubernetesPodOperator), stage["name"]


def test_pod_exit_2_fails_without_retry(pod_operator):
    from vlltr_stage_operators import AirflowFailException

    pod = finished_pod(2)
    with pytest.raises(AirflowFailException) as err:
        pod_operator.cleanup(pod, pod)
    assert "exited with 2 (bad input or configuration; not retried)" in str(err.value)


def test_pod_exit_1_is_retried(pod_operator):
    from vlltr_stage_operators import AirflowException, AirflowFailException

    pod = finished_pod(1)
    with pytest.raises(AirflowException) as err:
        pod_operator.cleanup(pod, pod)
    assert not isinstance(err.value, AirflowFailException)
    assert "vlltr-cvlp-abc" in str(err.value)  # the provider's own message: it was the provider that failed it


def test_pod_success_passes(pod_operator):
    pod = finished_pod(0, phase="Succeeded")
    pod_operator.cleanup(pod, pod)  # no exception


@pytest.mark.parametrize("exit_code", [1, 2, 137])
def test_exit_code_is_read_from_the_base_container_only(exit_code):
    from vlltr_stage_operators import container_exit_code

    pod = finished_pod(exit_code)
    assert container_exit_code(pod, "base") == exit_code
    assert container_exit_code(pod, "airflow-xcom-sidecar") == 0
    assert container_exit_code(k8s.V1Pod(status=k8s.V1PodStatus(phase="Pending")), "base") is None
