"""The DAG invokes every stage exactly as orchestration/testdata/stage-arguments.json says (reviewed by hand; the
Java local runner checks the same file in GoldenArgumentsTest), so the two runners cannot drift apart; and the DAG's
two execution modes (a pod per stage, or a subprocess of the worker) pass each stage the same arguments."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import REPO, RecordedXComs
from test_pod_specs import render

GOLDEN = json.loads((REPO / "orchestration" / "testdata" / "stage-arguments.json").read_text())


def render_local(op, dag, params, xcoms, run_id):
    """A local-mode task's arguments, rendered as Airflow renders them before execute()."""
    op = copy.copy(op)
    resolved = copy.deepcopy(dag.params)
    resolved.update(params)
    ti = RecordedXComs(xcoms)
    op.render_template_fields({"params": resolved.validate(), "run_id": run_id, "ti": ti, "task_instance": ti})
    return op


def expected(spec, stage, mode, arguments):
    """The golden arguments; a GPU stage's pod (kubernetes mode on a GPU cluster) is also told its device."""
    gpus = next(s for s in spec["stages"] if s["name"] == stage.split("[")[0]).get("gpu", 0)
    if mode == "kubernetes" and gpus:
        return arguments + ["--param", "device=gpu" if gpus == 1 else "device=gpus"]
    return arguments


def stage_arguments(dag, stage, mode):
    executions = {e["id"]: e for e in GOLDEN["executions"]}
    xcoms = {s: {"manifest": e["manifest"]} for s, e in executions.items()}
    if mode == "kubernetes":
        pod = render(dag.get_task(stage), dag, params=GOLDEN["params"], xcoms=xcoms, run_id=GOLDEN["airflowRunId"])
        return pod.spec.containers[0].args
    return render_local(dag.get_task(stage), dag, GOLDEN["params"], xcoms, GOLDEN["airflowRunId"]).arguments


@pytest.fixture(params=["kubernetes", "local"])
def mode_dag(request, spec, pipeline_module):
    return request.param, pipeline_module.build_dag(spec, mode=request.param)


def test_dag_produces_the_golden_command_lines(mode_dag, hook, spec):
    mode, dag = mode_dag
    executions = {e["id"]: e for e in GOLDEN["executions"]}
    params = copy.deepcopy(dag.params)
    params.update(GOLDEN["params"])
    resolved = params.validate()
    xcoms = {stage: {"manifest": e["manifest"]} for stage, e in executions.items()}
    methods = GOLDEN["params"]["methods"]

    for stage in ("text-crawl", "cvlp", "anchor-selection", "lgr"):
        assert stage_arguments(dag, stage, mode) == expected(spec, stage, mode, executions[stage]["arguments"]), (
            mode, stage)

    recal = dag.get_task("recalibration-arguments").python_callable(
        upstream={"lgr": xcoms["lgr"]}, params=resolved, run_id=GOLDEN["airflowRunId"])
    assert recal == [expected(spec, "recalibration", mode, executions[f"recalibration[{m}]"]["arguments"])
                     for m in methods]

    evaluation = dag.get_task("evaluation-arguments").python_callable(
        upstream={"lgr": xcoms["lgr"], "recalibration": [{"manifest": executions[f"recalibration[{m}]"]["manifest"]}
                                                         for m in methods]},
        params=resolved, run_id=GOLDEN["airflowRunId"])
    assert evaluation == executions["evaluation"]["arguments"]
    assert list(executions) == ["text-crawl", "cvlp", "anchor-selection", "lgr"] + [
        f"recalibration[{m}]" for m in methods] + ["evaluation"]


def test_both_modes_pass_the_mapped_and_fan_in_stages_their_arguments_the_same_way(spec, pipeline_module):
    """recalibration is expanded over, and evaluation takes, the XCom of the same helper tasks in both modes."""
    k8s = pipeline_module.build_dag(spec, mode="kubernetes")
    local = pipeline_module.build_dag(spec, mode="local")
    for dag in (k8s, local):
        expand = dag.get_task("recalibration")._get_specified_expand_input().value
        assert list(expand) == ["arguments"]
        assert expand["arguments"].operator.task_id == "recalibration-arguments"
        assert dag.get_task("evaluation").arguments.operator.task_id == "evaluation-arguments"
    assert set(k8s.task_ids) == set(local.task_ids)
    for task_id in k8s.task_ids:
        assert k8s.get_task(task_id).upstream_task_ids == local.get_task(task_id).upstream_task_ids, task_id
