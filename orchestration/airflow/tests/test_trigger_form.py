"""The trigger form submits with its defaults and shows closed lists as pickers.

Airflow's form (the React UI) sends null for an empty text field and marks a field whose schema rejects null as an
error, which disables the Trigger button: so an optional string (default "") must accept null. Arrays of enumerated
values get `examples`, which the form renders as a multi-select. Validation errors name the allowed values."""

from __future__ import annotations

import copy

import pytest

from test_pod_specs import render


def test_the_defaults_validate_as_they_are(dag):
    validated = copy.deepcopy(dag.params).validate()
    assert validated["image_registry"] == "" and validated["methods"] == ["crt", "ncm", "tau", "lws", "joint"]


def test_no_field_is_required_that_has_an_empty_default(dag, spec):
    for name, p in spec["params"].items():
        schema = dag.params.get_param(name).serialize()["schema"]
        if p["default"] == "":
            assert "null" in schema["type"], name
            param = copy.deepcopy(dag.params.get_param(name))
            assert param.resolve(None) is None and param.resolve("") == ""


@pytest.mark.parametrize("value, ok", [("", True), (None, True), ("registry.example.org/ml/", True),
                                       ("localhost:5000/", True), ("http://registry/", False), ("no-slash", False)])
def test_image_registry_is_optional_but_checked(dag, value, ok):
    from airflow.sdk.definitions.param import ParamValidationError

    param = copy.deepcopy(dag.params.get_param("image_registry"))
    if ok:
        assert param.resolve(value) == value
    else:
        with pytest.raises(ParamValidationError):
            param.resolve(value)


def test_an_emptied_registry_field_renders_no_registry(dag, hook):
    pod = render(dag.get_task("cvlp"), dag, params={"image_registry": None})
    assert pod.spec.containers[0].image == "vlltr/cvlp:0.1.0-SNAPSHOT-cuda"


def test_methods_is_a_multi_select_of_the_five_methods(dag):
    schema = dag.params.get_param("methods").serialize()["schema"]
    assert schema["type"] == "array"
    assert schema["examples"] == ["crt", "ncm", "tau", "lws", "joint"] == schema["items"]["enum"]
    assert dag.params.get_param("methods").description.endswith("Allowed: crt, ncm, tau, lws, joint.")


def test_a_wrong_method_is_rejected_naming_the_allowed_values(dag):
    from airflow.sdk.definitions.param import ParamValidationError

    param = copy.deepcopy(dag.params.get_param("methods"))
    with pytest.raises(ParamValidationError) as err:
        param.resolve(["crt", "platt"])
    message = str(err.value)
    assert "'platt' is not one of" in message and all(m in message for m in ("crt", "ncm", "tau", "lws", "joint"))


def test_deployment_defaults_from_the_environment(spec, pipeline_module, monkeypatch):
    monkeypatch.setenv("VLLTR_DEFAULT_TRACKING_URI", "http://127.0.0.1:5000")
    monkeypatch.setenv("VLLTR_DEFAULT_M", "10")
    monkeypatch.setenv("VLLTR_DEFAULT_METHODS", '["crt", "tau"]')
    params = pipeline_module.dag_params(spec)
    assert params["tracking_uri"].value == "http://127.0.0.1:5000"
    assert params["m"].value == 10 and params["methods"].value == ["crt", "tau"]
    assert params["artifact_root"].value == "s3://vlltr/runs"  # not set: the spec's


def test_a_malformed_deployment_default_names_the_variable(spec, pipeline_module, monkeypatch):
    monkeypatch.setenv("VLLTR_DEFAULT_SEED", "zero")
    with pytest.raises(pipeline_module.PipelineSpecError, match="VLLTR_DEFAULT_SEED: expected JSON for the integer"):
        pipeline_module.dag_params(spec)
