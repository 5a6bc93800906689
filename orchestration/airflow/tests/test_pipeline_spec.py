"""pipeline.yaml against its JSON schema and the cross-reference rules."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
import yaml

from conftest import PIPELINE_YAML


def test_spec_matches_its_json_schema():
    schema = json.loads(PIPELINE_YAML.with_name("pipeline.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(PIPELINE_YAML.read_text())))
    assert errors == []


def test_schema_rejects_unknown_fields_and_bad_types():
    schema = json.loads(PIPELINE_YAML.with_name("pipeline.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    spec = yaml.safe_load(PIPELINE_YAML.read_text())

    typo = copy.deepcopy(spec)
    typo["stages"][1]["resource"] = typo["stages"][1].pop("resources")
    messages = [e.message for e in validator.iter_errors(typo)]
    assert any("'resource' was unexpected" in m for m in messages), messages

    bad_gpu = copy.deepcopy(spec)
    bad_gpu["stages"][1]["gpu"] = "one"
    assert any(list(e.absolute_path) == ["stages", 1, "gpu"] for e in validator.iter_errors(bad_gpu))

    enum_without_choices = copy.deepcopy(spec)
    cvlp_params = enum_without_choices["stages"][1]["params"]
    next(p for p in cvlp_params if p["name"] == "sampler").pop("choices")
    assert list(validator.iter_errors(enum_without_choices))

    both_default_and_from = copy.deepcopy(spec)
    both_default_and_from["stages"][1]["params"][0]["default"] = "x"
    assert list(validator.iter_errors(both_default_and_from))


def test_expected_stages_gpu_and_fan_out(spec):
    assert [s["name"] for s in spec["stages"]] == [
        "text-crawl", "cvlp", "anchor-selection", "lgr", "recalibration", "evaluation"]
    gpu = {s["name"] for s in spec["stages"] if s.get("gpu", 0) > 0}
    assert gpu == {"cvlp", "lgr", "recalibration"}
    recal = next(s for s in spec["stages"] if s["name"] == "recalibration")
    assert recal["fanOut"]["param"] == "method"
    assert spec["params"]["methods"]["default"] == ["crt", "ncm", "tau", "lws", "joint"]
    method = next(p for p in recal["params"] if p["name"] == "method")
    assert method["choices"] == spec["params"]["methods"]["items"]["enum"]


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda s: s["stages"][1]["inputs"].__setitem__(0, {"name": "corpus", "from": "lgr"}),
         "stages[1] (cvlp).inputs[0].from"),
        (lambda s: s["stages"][1]["params"][0].__setitem__("from", "no_such_param"),
         "stages[1] (cvlp).params[0].from"),
        (lambda s: s["stages"][4]["fanOut"].__setitem__("over", "seed"), "stages[4] (recalibration).fanOut.over"),
        (lambda s: s["stages"].append(copy.deepcopy(s["stages"][0])), "stages[6] (text-crawl).name"),
    ],
)
def test_cross_references_are_checked(pipeline_module, tmp_path, mutate, field):
    spec = yaml.safe_load(PIPELINE_YAML.read_text())
    mutate(spec)
    broken = tmp_path / "pipeline.yaml"
    broken.write_text(yaml.safe_dump(spec))
    with pytest.raises(pipeline_module.PipelineSpecError) as err:
        pipeline_module.load_pipeline(broken)
    assert str(broken) in str(err.value) and field in str(err.value)


def test_schema_errors_name_the_field(pipeline_module, tmp_path):
    spec = yaml.safe_load(PIPELINE_YAML.read_text())
    spec["defaults"]["retries"] = -1
    (tmp_path / "pipeline.yaml").write_text(yaml.safe_dump(spec))
    (tmp_path / "pipeline.schema.json").write_text(PIPELINE_YAML.with_name("pipeline.schema.json").read_text())
    with pytest.raises(pipeline_module.PipelineSpecError, match=r"\$\.defaults\.retries"):
        pipeline_module.load_pipeline(tmp_path / "pipeline.yaml")
