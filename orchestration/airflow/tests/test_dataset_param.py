"""The `dataset` pipeline parameter (issue #12): a shipped dataset's name or the URI of a dataset.yaml, shown in the
trigger form, checked by its pattern, and given to every stage that reads images (or class names) as its input
`dataset` — a name resolved under `data_root`, exactly as the Java local runner resolves it."""

from __future__ import annotations

import copy

import pytest
import yaml

from conftest import PIPELINE_YAML, REPO
from test_golden_arguments import render_local
from test_pod_specs import render

# the stages that read the dataset: the images, or (text-crawl) the class names; evaluation reads neither (its
# lineage names the dataset cvlp read)
DATASET_STAGES = ["text-crawl", "cvlp", "anchor-selection", "lgr", "recalibration"]
SHIPPED = ["fmnist-lt-if100", "fmnist-lt-fewshot", "fmnist-lt-quick"]


def dataset_input(args: list[str]) -> str:
    values = [a.split("=", 1)[1] for prev, a in zip(args, args[1:]) if prev == "--input" and a.startswith("dataset=")]
    assert len(values) == 1, args
    return values[0]


def test_the_form_shows_dataset_and_data_root_with_help(dag, spec):
    p = dag.params.get_param("dataset")
    assert p.value == "fmnist-lt-if100"
    assert "docs/datasets.md" in p.description and "s3://" in p.description
    assert p.schema["section"] == "Data" and p.schema["title"] == "Dataset"
    assert dag.params.get_param("data_root").value == "s3://vlltr/datasets"
    for name in SHIPPED:   # every shipped name the form may take is a spec of the repository
        assert (REPO / "datasets" / name / "dataset.yaml").is_file(), name


@pytest.mark.parametrize("value, ok", [
    ("fmnist-lt-quick", True), ("imagenet-lt", True),
    ("s3://datasets/mydata/dataset.yaml", True), ("file:///data/mydata/dataset.yml", True),
    ("s3://datasets/mydata/", False),          # a folder: the spec file must be named
    ("http://example.org/dataset.yaml", False), ("../mydata", False), ("My Data", False), ("", False),
])
def test_the_dataset_pattern_takes_names_and_spec_uris(dag, value, ok):
    from airflow.sdk.definitions.param import ParamValidationError

    param = copy.deepcopy(dag.params.get_param("dataset"))
    if ok:
        assert param.resolve(value) == value
    else:
        with pytest.raises(ParamValidationError):
            param.resolve(value)


def test_every_image_reading_stage_takes_the_dataset_input(spec):
    wired = [s["name"] for s in spec["stages"]
             if any(i.get("param") == "dataset" and i["name"] == "dataset" for i in s.get("inputs", []))]
    assert wired == DATASET_STAGES


@pytest.mark.parametrize("value, data_root, expected", [
    ("fmnist-lt-quick", "s3://vlltr/datasets", "s3://vlltr/datasets/fmnist-lt-quick/dataset.yaml"),
    ("fmnist-lt-quick", "s3://vlltr/datasets/", "s3://vlltr/datasets/fmnist-lt-quick/dataset.yaml"),
    ("fmnist-lt-if100", "file:///srv/specs", "file:///srv/specs/fmnist-lt-if100/dataset.yaml"),
    ("s3://datasets/mydata/dataset.yaml", "s3://vlltr/datasets", "s3://datasets/mydata/dataset.yaml"),
])
def test_a_name_resolves_under_data_root_and_a_uri_stays(spec, pipeline_module, value, data_root, expected):
    inp = next(i for i in pipeline_module.stage_spec(spec, "cvlp")["inputs"] if i["name"] == "dataset")
    assert pipeline_module.param_input_uri(inp, {"dataset": value, "data_root": data_root}) == expected


@pytest.mark.parametrize("mode", ["kubernetes", "local"])
def test_both_modes_pass_the_resolved_dataset_to_every_stage(spec, pipeline_module, hook, mode):
    dag = pipeline_module.build_dag(spec, mode=mode)
    mine = "s3://datasets/mydata/dataset.yaml"
    for params, expected in (({}, "s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml"),
                             ({"dataset": "fmnist-lt-quick"}, "s3://vlltr/datasets/fmnist-lt-quick/dataset.yaml"),
                             ({"dataset": mine}, mine)):
        for stage in ("text-crawl", "cvlp", "anchor-selection", "lgr"):
            op = dag.get_task(stage)
            if mode == "kubernetes":
                args = render(op, dag, params=params).spec.containers[0].args
            else:
                args = render_local(op, dag, params, {s: {"manifest": f"s3://r/{s}/manifest.json"} for s in
                                                      DATASET_STAGES}, "manual__1").arguments
            assert dataset_input(args) == expected, (mode, stage, params)
        resolved = copy.deepcopy(dag.params)
        resolved.update(params)
        recal = dag.get_task("recalibration-arguments").python_callable(
            upstream={"lgr": {"manifest": "s3://r/lgr/manifest.json"}}, params=resolved.validate(), run_id="r1")
        assert {dataset_input(a) for a in recal} == {expected}


@pytest.mark.parametrize("mutate, message", [
    (lambda s: s["stages"][1]["inputs"].append({"name": "dataset", "param": "dataset", "from": "text-crawl"}),
     "exactly one of 'from' and 'param'"),
    (lambda s: s["stages"][1]["inputs"].append({"name": "x", "param": "seed"}), "is not a string pipeline parameter"),
    (lambda s: s["stages"][1]["inputs"].append({"name": "x", "param": "dataset", "byName": "{nope}/{value}"}),
     "'{nope}' names no pipeline parameter"),
])
def test_bad_parameter_inputs_are_rejected_naming_the_field(pipeline_module, tmp_path, mutate, message):
    spec = yaml.safe_load(PIPELINE_YAML.read_text())
    mutate(spec)
    broken = tmp_path / "pipeline.yaml"
    broken.write_text(yaml.safe_dump(spec))
    with pytest.raises(pipeline_module.PipelineSpecError) as err:
        pipeline_module.check_references(spec, broken)
    assert "stages[1] (cvlp).inputs[" in str(err.value) and message in str(err.value)
