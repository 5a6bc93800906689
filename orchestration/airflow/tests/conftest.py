"""Test setup: a throw-away AIRFLOW_HOME (unless ci.sh set one), the DAG folder on sys.path."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if "AIRFLOW_HOME" not in os.environ:
    os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="vlltr-airflow-home-")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")

DAGS = Path(__file__).resolve().parent.parent / "dags"
REPO = Path(__file__).resolve().parents[3]
PIPELINE_YAML = REPO / "orchestration" / "pipeline.yaml"
sys.path.insert(0, str(DAGS))

import pytest  # noqa: E402
from unittest import mock  # noqa: E402


@pytest.fixture(scope="session")
def pipeline_module():
    import vlltr_pipeline

    return vlltr_pipeline


@pytest.fixture(scope="session")
def spec(pipeline_module):
    return pipeline_module.SPEC


@pytest.fixture(scope="session")
def dag(pipeline_module):
    return pipeline_module.dag


class RecordedXComs:
    """The part of a TaskInstance that templates use (``ti.xcom_pull``), answering from recorded stage results
    the way the XCom sidecar would have pushed them."""

    def __init__(self, results: dict):
        self.results = results
        self.pulls: list = []

    def xcom_pull(self, task_ids=None, key="return_value", map_indexes=None, **_):
        self.pulls.append((task_ids, key, map_indexes))
        return self.results[task_ids]


@pytest.fixture()
def hook():
    """KubernetesPodOperator asks its hook only whether it runs in a cluster and for the sidecar image: answer
    those without a kube config, as the provider's own tests do."""
    with mock.patch("airflow.providers.cncf.kubernetes.operators.pod.KubernetesHook") as h:
        h.return_value.is_in_cluster = False
        h.return_value.get_namespace.return_value = None
        h.return_value.get_xcom_sidecar_container_image.return_value = None
        h.return_value.get_xcom_sidecar_container_resources.return_value = None
        yield h
