"""The DAG imports cleanly, its graph is pipeline.yaml's, and the trigger form validates like its schema says."""

from __future__ import annotations

import copy

import pytest

from conftest import DAGS


def test_dagbag_imports_without_errors():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert bag.captured_warnings == {}  # no deprecated provider arguments (e.g. reattach_on_restart)
    assert list(bag.dag_ids) == ["vlltr_pipeline"]
    dag = bag.dags["vlltr_pipeline"]  # get_dag() would consult the metadata DB
    assert dag.schedule is None  # triggered by hand (or the API) with the form below
    assert len(dag.tasks) == 9  # six stages, two argument helpers, the tracking teardown


def test_one_task_per_stage_and_edges_from_inputs(dag, spec):
    stage_names = [s["name"] for s in spec["stages"]]
    helpers = {"recalibration-arguments", "evaluation-arguments"}
    assert set(dag.task_ids) == set(stage_names) | helpers | {"tracking-end"}
    for stage in spec["stages"]:
        upstream_stages = dag.get_task(stage["name"]).upstream_task_ids - helpers
        # inputs from a pipeline parameter (the dataset) have no upstream task
        assert upstream_stages == {i["from"] for i in stage.get("inputs", []) if "from" in i}, stage["name"]
    # hand-written expectation, independent of the spec-walking code above
    assert dag.get_task("anchor-selection").upstream_task_ids == {"cvlp", "text-crawl"}
    assert dag.get_task("recalibration").upstream_task_ids == {"lgr", "recalibration-arguments"}
    assert dag.get_task("evaluation").upstream_task_ids == {"lgr", "recalibration", "evaluation-arguments"}
    assert dag.get_task("evaluation-arguments").upstream_task_ids == {"lgr", "recalibration"}
    assert [t.task_id for t in dag.topological_sort()][0] == "text-crawl"


def test_tracking_end_is_a_teardown_after_every_task(dag):
    """It runs whatever happened upstream, and as a teardown it does not decide the run's state (a failed stage
    still fails the run although tracking-end succeeds)."""
    end = dag.get_task("tracking-end")
    assert end.is_teardown and not end.on_failure_fail_dagrun
    assert end.upstream_task_ids == set(dag.task_ids) - {"tracking-end"}
    assert end.downstream_task_ids == set()


def test_recalibration_is_mapped_over_the_methods(dag):
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    recal = dag.get_task("recalibration")
    assert isinstance(recal, MappedOperator)
    # the provider's operator with the stage contract's exit codes (vlltr_stage_operators.StagePodOperator)
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

    assert recal.operator_class.__name__ == "StagePodOperator"
    assert issubclass(recal.operator_class, KubernetesPodOperator)
    assert recal.max_active_tis_per_dagrun == 2
    expand = recal._get_specified_expand_input().value
    assert list(expand) == ["arguments"]
    assert expand["arguments"].operator.task_id == "recalibration-arguments"
    assert recal.partial_kwargs["do_xcom_push"] is True
    assert not isinstance(dag.get_task("evaluation"), MappedOperator)


def test_retries_with_exponential_backoff(dag, spec):
    for stage in spec["stages"]:
        op = dag.get_task(stage["name"])
        kwargs = getattr(op, "partial_kwargs", None)
        get = (lambda k: kwargs[k]) if kwargs is not None else (lambda k: getattr(op, k))
        assert get("retries") == 2
        assert get("retry_exponential_backoff") is True
        assert get("retry_delay").total_seconds() == 60
        assert get("max_retry_delay").total_seconds() == 1800
        timeout = stage.get("timeoutSeconds")
        assert (get("execution_timeout").total_seconds() if timeout else op_timeout(op)) == (timeout or None)
    assert dag.get_task("cvlp").execution_timeout.total_seconds() == 24 * 3600


def op_timeout(op):
    kwargs = getattr(op, "partial_kwargs", None)
    value = kwargs.get("execution_timeout") if kwargs is not None else op.execution_timeout
    return value.total_seconds() if value else None


def test_params_defaults_come_from_the_spec(dag, spec):
    assert set(dag.params.keys()) == set(spec["params"]) | {"run_name"}  # run_name: Airflow's --run-id
    assert dag.params["run_name"] is None
    for name, p in spec["params"].items():
        assert dag.params[name] == p["default"], name
    assert dag.params["lambda"] == 0.5 and dag.params["m"] == 64 and dag.params["alpha"] == 0.2


def test_params_carry_a_json_schema_form(dag):
    import jsonschema

    schema = {name: dag.params.get_param(name).serialize()["schema"] for name in dag.params}
    assert schema["m"]["minimum"] == 1
    assert schema["methods"]["items"]["enum"] == ["crt", "ncm", "tau", "lws", "joint"]
    assert schema["cvlp_epochs"]["type"] == "integer"
    assert schema["lambda"]["section"] == "Training"  # groups the form's fields
    assert schema["alpha"]["title"].startswith("α")
    for name, field in schema.items():
        jsonschema.Draft7Validator.check_schema(field)  # the UI renders the form from these


@pytest.mark.parametrize(
    "name, value",
    [
        ("m", 0.5),                         # not an integer
        ("m", "many"),                      # not a number
        ("cvlp_epochs", 0),                 # below minimum 1
        ("cvlp_epochs", 2.5),               # not an integer
        ("lambda", 1.5),                    # above maximum 1
        ("alpha", -0.1),                    # below minimum 0
        ("m", 0),
        ("methods", []),                    # minItems 1
        ("methods", ["crt", "platt"]),      # not one of the methods
        ("methods", ["crt", "crt"]),        # uniqueItems
        ("artifact_root", "http://minio:9000/vlltr"),   # not s3:// or file://
        ("image_tag", "latest; rm -rf /"),
        ("tracking_uri", "mlflow"),
    ],
)
def test_params_reject_bad_values(dag, name, value):
    from airflow.sdk.definitions.param import ParamValidationError

    param = copy.deepcopy(dag.params.get_param(name))
    with pytest.raises(ParamValidationError):
        param.resolve(value)


@pytest.mark.parametrize(
    "name, value",
    [("m", 10), ("lambda", 0.25), ("methods", ["tau"]), ("cvlp_epochs", 1),
     ("artifact_root", "file:///tmp/vlltr"), ("artifact_root", "s3://my-bucket/prefix"), ("tracking_uri", "none")],
)
def test_params_accept_good_values(dag, name, value):
    assert copy.deepcopy(dag.params.get_param(name)).resolve(value) == value


def test_whole_form_validates_a_trigger_conf(dag):
    params = copy.deepcopy(dag.params)
    params.update({"m": 50, "methods": ["crt", "tau"]})
    validated = params.validate()
    assert validated["m"] == 50 and validated["methods"] == ["crt", "tau"]
