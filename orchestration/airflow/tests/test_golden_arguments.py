"""The DAG invokes every stage exactly as orchestration/testdata/stage-arguments.json says (reviewed by hand; the
Java local runner checks the same file in GoldenArgumentsTest), so the two runners cannot drift apart."""

from __future__ import annotations

import copy
import json

from conftest import REPO
from test_pod_specs import render

GOLDEN = json.loads((REPO / "orchestration" / "testdata" / "stage-arguments.json").read_text())


def test_dag_produces_the_golden_command_lines(dag, hook):
    executions = {e["id"]: e for e in GOLDEN["executions"]}
    params = copy.deepcopy(dag.params)
    params.update(GOLDEN["params"])
    resolved = params.validate()
    xcoms = {stage: {"manifest": e["manifest"]} for stage, e in executions.items()}
    methods = GOLDEN["params"]["methods"]

    for stage in ("text-crawl", "cvlp", "anchor-selection", "lgr"):
        pod = render(dag.get_task(stage), dag, params=GOLDEN["params"], xcoms=xcoms, run_id=GOLDEN["airflowRunId"])
        assert pod.spec.containers[0].args == executions[stage]["arguments"], stage

    recal = dag.get_task("recalibration-arguments").python_callable(
        upstream={"lgr": xcoms["lgr"]}, params=resolved, run_id=GOLDEN["airflowRunId"])
    assert recal == [executions[f"recalibration[{m}]"]["arguments"] for m in methods]

    evaluation = dag.get_task("evaluation-arguments").python_callable(
        upstream={"lgr": xcoms["lgr"], "recalibration": [{"manifest": executions[f"recalibration[{m}]"]["manifest"]}
                                                         for m in methods]},
        params=resolved, run_id=GOLDEN["airflowRunId"])
    assert evaluation == executions["evaluation"]["arguments"]
    assert list(executions) == ["text-crawl", "cvlp", "anchor-selection", "lgr"] + [
        f"recalibration[{m}]" for m in methods] + ["evaluation"]
