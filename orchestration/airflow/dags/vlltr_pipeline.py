"""The VL-LTR pipeline as an Airflow 3 DAG, built from ``orchestration/pipeline.yaml``.

One task per stage, in one of two execution modes (``$VLLTR_EXECUTION_MODE``, or the Airflow variable
``vlltr_execution_mode`` given the way Airflow reads variables from the environment,
``AIRFLOW_VAR_VLLTR_EXECUTION_MODE``; default ``kubernetes``):

* ``kubernetes``: a pod per stage (KubernetesPodOperator); the stage writes
  ``{"manifest": uri, "outputs": {...}, "metrics": {...}}`` to ``/airflow/xcom/return.json``, which the XCom
  sidecar pushes as the task's ``return_value``;
* ``local``: the same stage jar as a subprocess of the Airflow worker (Airflow on one machine), with the same
  arguments; the stage writes its ``return.json`` into ``$VLLTR_XCOM_DIR``, a folder per task.

Both follow the stage contract
(``<stage> --run-id ID --artifact-root URI [--input NAME=URI ...] [--param KEY=VALUE ...]``); downstream stages
receive upstream manifests from XCom. Exit code 2 (bad input) fails a task at once; other failures are retried.

Re-calibration is mapped over the ``methods`` parameter (one pod per method); evaluation gets every
re-calibration manifest. Nothing but object construction happens at import time (the YAML spec is read and
checked once), so DagBag parsing stays fast.

Where the spec is found: ``$VLLTR_PIPELINE_YAML``, else ``pipeline.yaml`` next to this file (deployments copy it
there), else ``../../pipeline.yaml`` (the repository layout).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
import yaml
from kubernetes.client import models as k8s

from airflow.providers.cncf.kubernetes.secret import Secret
from airflow.sdk import DAG, Param, task
from vlltr_stage_operators import LocalStageOperator, StagePodOperator
from vlltr_tracking import end_pipeline_run

DAG_ID = "vlltr_pipeline"
RUN_ID_MAX = 200
_RUN_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_STAGE_PARAM_TYPES = {"string", "int", "double", "bool", "enum", "string_list", "double_list"}
MODES = ("kubernetes", "local")
# Airflow-only form field (the local runner has --run-id): the pipeline run id the stages use; empty = Airflow's run id
RUN_NAME_PARAM = "run_name"
TRACKING_END_TASK = "tracking-end"


# --------------------------------------------------------------------------------------------------- the spec


class PipelineSpecError(ValueError):
    """pipeline.yaml is malformed; the message names the file and the field."""


def pipeline_path() -> Path:
    """Where pipeline.yaml is: $VLLTR_PIPELINE_YAML, next to the DAG, or the repository's orchestration/."""
    env = os.environ.get("VLLTR_PIPELINE_YAML")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here / "pipeline.yaml", here.parent.parent / "pipeline.yaml"):
        if candidate.is_file():
            return candidate
    return here.parent.parent / "pipeline.yaml"


def schema_path(spec_file: Path) -> Path:
    return spec_file.with_name("pipeline.schema.json")


def load_pipeline(path: Path | None = None) -> dict[str, Any]:
    """Reads pipeline.yaml, validates it against pipeline.schema.json (when present beside it) and checks the
    cross-references a JSON schema cannot express. Raises PipelineSpecError naming the file and field."""
    path = Path(path) if path else pipeline_path()
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise PipelineSpecError(f"{path}: cannot read the pipeline spec: {e}") from e
    if not isinstance(spec, dict):
        raise PipelineSpecError(f"{path}: expected a mapping at the top level")
    schema_file = schema_path(path)
    if schema_file.is_file():
        import jsonschema  # an Airflow dependency

        validator = jsonschema.Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))
        errors = sorted(validator.iter_errors(spec), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"{e.json_path}: {e.message}" for e in errors[:10]]
            raise PipelineSpecError(f"{path} does not match {schema_file.name}:\n  " + "\n  ".join(lines))
    check_references(spec, path)
    return spec


def check_references(spec: Mapping[str, Any], path: Path | str = "pipeline.yaml") -> None:
    """Rules beyond the JSON schema: unique stage names, inputs only from earlier stages, parameters bound to
    existing pipeline parameters, fan-out over an array parameter, enum defaults among the choices."""
    params = spec.get("params", {})
    seen: dict[str, Mapping[str, Any]] = {}
    for i, stage in enumerate(spec.get("stages", [])):
        where = f"{path}: stages[{i}] ({stage.get('name')})"
        name = stage["name"]
        if name in seen:
            raise PipelineSpecError(f"{where}.name: duplicate stage name '{name}'")
        for j, inp in enumerate(stage.get("inputs", [])):
            if ("from" in inp) == ("param" in inp):
                raise PipelineSpecError(f"{where}.inputs[{j}]: expected exactly one of 'from' and 'param'")
            if "param" in inp:
                bound = params.get(inp["param"])
                if bound is None or bound.get("type") != "string":
                    raise PipelineSpecError(f"{where}.inputs[{j}].param: '{inp['param']}' is not a string pipeline"
                                            f" parameter; expected one of {sorted(params)}")
                for key in _PLACEHOLDER.findall(inp.get("byName", "")):
                    if key != "value" and key not in params:
                        raise PipelineSpecError(f"{where}.inputs[{j}].byName: '{{{key}}}' names no pipeline"
                                                f" parameter; expected one of {sorted(params)}")
                continue
            if inp["from"] not in seen:
                raise PipelineSpecError(f"{where}.inputs[{j}].from: '{inp['from']}' is not an earlier stage;"
                                        f" expected one of {sorted(seen)}")
            if inp.get("perFanOutValue") and "fanOut" not in seen[inp["from"]]:
                raise PipelineSpecError(f"{where}.inputs[{j}].perFanOutValue: stage '{inp['from']}' has no fanOut")
        names = [p["name"] for p in stage.get("params", [])]
        if len(set(names)) != len(names):
            raise PipelineSpecError(f"{where}.params: duplicate parameter names in {names}")
        for j, p in enumerate(stage.get("params", [])):
            if p["type"] not in _STAGE_PARAM_TYPES:
                raise PipelineSpecError(f"{where}.params[{j}].type: expected one of {sorted(_STAGE_PARAM_TYPES)}")
            if "from" in p and p["from"] not in params:
                raise PipelineSpecError(f"{where}.params[{j}].from: no pipeline parameter '{p['from']}';"
                                        f" expected one of {sorted(params)}")
            if p["type"] == "enum" and "default" in p and p["default"] not in p["choices"]:
                raise PipelineSpecError(f"{where}.params[{j}].default: '{p['default']}' is not one of {p['choices']}")
        fan = stage.get("fanOut")
        if fan:
            over = params.get(fan["over"])
            if over is None or over.get("type") != "array":
                raise PipelineSpecError(f"{where}.fanOut.over: '{fan['over']}' must name an array pipeline parameter")
            if fan["param"] not in names:
                raise PipelineSpecError(f"{where}.fanOut.param: '{fan['param']}' is not a parameter of the stage")
        seen[name] = stage


def stage_spec(spec: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    for stage in spec["stages"]:
        if stage["name"] == name:
            return stage
    raise KeyError(f"no stage '{name}' in the pipeline spec; stages: {[s['name'] for s in spec['stages']]}")


# ------------------------------------------------------------------------------------------------- arguments


def sanitize_run_id(run_id: str) -> str:
    """An Airflow run id (``manual__2026-01-01T00:00:00+00:00``) as a stage run id: characters other than
    letters, digits, ``.``, ``_`` and ``-`` become ``-`` (``:`` and ``+`` are legal in the stage contract but
    awkward in S3 keys and URLs), leading punctuation is dropped, at most 200 characters."""
    cleaned = _RUN_ID_BAD.sub("-", str(run_id)).lstrip("._-")[:RUN_ID_MAX]
    return cleaned or "run"


def pipeline_run_id(params: Mapping[str, Any], airflow_run_id: str) -> str:
    """The run id the stages get: the form's ``run_name`` when given (a new trigger that names an earlier run's id
    reuses its artifacts: unchanged stages are memoised, training resumes from checkpoints), else Airflow's run id;
    sanitised either way."""
    return sanitize_run_id(params.get(RUN_NAME_PARAM) or airflow_run_id)


def format_value(value: Any) -> str:
    """A parameter value as the stage CLI expects it: booleans lower-case, lists comma-separated."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(format_value(v) for v in value)
    return str(value)


def with_suffix(root: str, suffix: str) -> str:
    return root.rstrip("/") + "/" + suffix


def stage_arguments(
    spec: Mapping[str, Any],
    stage_name: str,
    *,
    run_id: str,
    artifact_root: str,
    tracking_uri: str,
    pipeline_params: Mapping[str, Any],
    inputs: Mapping[str, str],
    fan_value: str | None = None,
    gpu: bool = False,
) -> list[str]:
    """The container arguments of one stage invocation (the stage contract), in spec order. Values may be
    concrete (at run time, in the mapping tasks) or Jinja templates (for the plain operators): the same
    function serves both, so the two cannot drift apart. ``gpu``: the pod gets the stage's GPUs, so a GPU
    stage is told to train on them (``device=gpu`` for one, ``device=gpus`` for several: data-parallel)."""
    stage = stage_spec(spec, stage_name)
    fan = stage.get("fanOut")
    if fan and fan_value is not None and fan.get("artifactRootSuffix"):
        artifact_root = with_suffix(artifact_root, fan["artifactRootSuffix"].replace("{value}", str(fan_value)))
    args = ["--run-id", run_id, "--artifact-root", artifact_root, "--tracking-uri", tracking_uri]
    for name, uri in inputs.items():
        args += ["--input", f"{name}={uri}"]
    for p in stage.get("params", []):
        if fan and p["name"] == fan["param"]:
            if fan_value is None:
                raise ValueError(f"stage '{stage_name}' fans out over '{p['name']}': a fan_value is required")
            value: Any = fan_value
        elif "from" in p:
            value = pipeline_params[p["from"]]
        else:
            value = p["default"]
        args += ["--param", f"{p['name']}={format_value(value)}"]
    gpus = stage.get("gpu", 0) if gpu else 0
    if gpus:
        args += ["--param", "device=" + ("gpu" if gpus == 1 else "gpus")]
    return args


def param_input_absent(inp: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    """An optional parameter input whose parameter is empty (e.g. clip_bundle's default) is not passed at all
    (PipelineSpec.StageInput.absent in the Java local runner)."""
    return not inp.get("required", True) and not str(params.get(inp["param"]) or "").strip()


def param_input_uri(inp: Mapping[str, Any], params: Mapping[str, Any]) -> str:
    """The URI of an input that takes a pipeline parameter (``param:``): the value when it has a scheme, else the
    ``byName`` template with ``{value}`` and the other pipeline parameters filled in (a shipped dataset's name becomes
    ``<data_root>/<name>/dataset.yaml``). The Java local runner resolves it the same way (PipelineSpec.StageInput)."""
    if param_input_absent(inp, params):
        return ""
    value = str(params[inp["param"]]).strip()
    template = inp.get("byName")
    if "://" in value:
        return value
    if not template:
        raise ValueError(f"pipeline parameter '{inp['param']}': expected a URI (file://, s3://), got '{value}'")

    def fill(m: re.Match) -> str:
        key = m.group(1)
        return value if key == "value" else str(params[key]).rstrip("/")

    return _PLACEHOLDER.sub(fill, template)


def param_input_template(inp: Mapping[str, Any]) -> str:
    """The Jinja form of param_input_uri, rendered by Airflow at run time from the trigger form's values."""
    fields = {k: inp[k] for k in ("param", "byName", "required") if k in inp}
    return "{{ params." + inp["param"] + " | vlltr_param_input(" + json.dumps(fields) + ", params) }}"


def xcom_manifest(task_id: str) -> str:
    return "{{ ti.xcom_pull(task_ids='" + task_id + "')['manifest'] }}"


def template_arguments(spec: Mapping[str, Any], stage_name: str, gpu: bool = False) -> list[str]:
    """Arguments of a non-mapped stage as Jinja templates rendered by Airflow at run time."""
    stage = stage_spec(spec, stage_name)
    params = {name: "{{ params." + name + " }}" for name in spec["params"]}
    inputs = {i["name"]: param_input_template(i) if "param" in i else xcom_manifest(i["from"])
              for i in stage.get("inputs", []) if not i.get("perFanOutValue")}
    return stage_arguments(spec, stage_name, run_id="{{ (params." + RUN_NAME_PARAM + " or run_id) | vlltr_run_id }}",
                           artifact_root="{{ params.artifact_root }}", tracking_uri="{{ params.tracking_uri }}",
                           pipeline_params=params, inputs=inputs, gpu=gpu)


def runtime_arguments(
    spec: Mapping[str, Any],
    stage_name: str,
    *,
    run_id: str,
    params: Mapping[str, Any],
    upstream: Mapping[str, Any],
    fan_value: str | None = None,
    gpu: bool = False,
) -> list[str]:
    """Arguments of a stage whose inputs are only known at run time (mapped or fan-in).

    ``upstream`` maps an upstream stage name to its XCom result (a dict with ``manifest``), or, for a fanned-out
    upstream, to the list of results in the order of the fan-out values."""
    stage = stage_spec(spec, stage_name)
    inputs: dict[str, str] = {}
    for inp in stage.get("inputs", []):
        if "param" in inp:
            if not param_input_absent(inp, params):
                inputs[inp["name"]] = param_input_uri(inp, params)
            continue
        result = upstream[inp["from"]]
        if inp.get("perFanOutValue"):
            values = params[stage_spec(spec, inp["from"])["fanOut"]["over"]]
            results = list(result)
            if len(results) != len(values):
                raise ValueError(f"input '{inp['name']}': {len(results)} results from '{inp['from']}'"
                                 f" for {len(values)} values {values}")
            for value, res in zip(values, results):
                inputs[f"{inp['name']}-{value}"] = manifest_of(res, inp["from"])
        else:
            inputs[inp["name"]] = manifest_of(result, inp["from"])
    return stage_arguments(spec, stage_name, run_id=pipeline_run_id(params, run_id),
                           artifact_root=params["artifact_root"], tracking_uri=params["tracking_uri"],
                           pipeline_params=params, inputs=inputs, fan_value=fan_value, gpu=gpu)


def manifest_of(result: Any, stage_name: str) -> str:
    if not isinstance(result, Mapping) or not result.get("manifest"):
        raise ValueError(f"stage '{stage_name}' returned no manifest in its XCom result: {result!r}")
    return str(result["manifest"])


# ------------------------------------------------------------------------------------------ operator kwargs


def gpu_enabled() -> bool:
    """``VLLTR_GPU=false`` (in the environment of Airflow's dag-processor) builds the DAG for a CPU-only cluster:
    no GPU requests, node selectors or tolerations, and the CPU images."""
    return os.environ.get("VLLTR_GPU", "true").strip().lower() not in ("false", "0", "no")


def image(spec: Mapping[str, Any], stage_name: str, gpu: bool = True) -> str:
    """``<registry><prefix><stage>:<tag>`` (plus the CUDA suffix for GPU stages); registry and tag come from the
    run's parameters."""
    stage = stage_spec(spec, stage_name)
    repo = stage.get("image") or spec["images"]["prefix"] + stage_name
    suffix = spec["images"].get("cudaTagSuffix", "") if gpu and stage.get("gpu", 0) > 0 else ""
    # `or ''`: the form sends null for an emptied optional field, which must not render as "None"
    return "{{ params.image_registry or '' }}" + repo + ":{{ params.image_tag }}" + suffix


def resources(spec: Mapping[str, Any], stage: Mapping[str, Any], gpu: bool = True) -> k8s.V1ResourceRequirements:
    res = stage.get("resources") or spec["defaults"]["resources"]
    requests = {"cpu": res["cpu"], "memory": res["memory"]}
    limits = {"memory": res["memory"]}  # no CPU limit: throttling slows training without protecting anyone
    gpus = stage.get("gpu", 0) if gpu else 0
    if gpus:
        gpu_resource = spec["kubernetes"]["gpu"]["resource"]
        requests[gpu_resource] = str(gpus)  # extended resources: requests must equal limits
        limits[gpu_resource] = str(gpus)
    return k8s.V1ResourceRequirements(requests=requests, limits=limits)


def volumes(spec: Mapping[str, Any], stage: Mapping[str, Any], gpu: bool = True
            ) -> tuple[list[k8s.V1Volume], list[k8s.V1VolumeMount]]:
    kube = spec["kubernetes"]
    vols = [k8s.V1Volume(name="work", empty_dir=k8s.V1EmptyDirVolumeSource(size_limit=kube.get("workDirSize"))),
            # the root filesystem is read-only: the JVM and libraries write their temporary files here
            k8s.V1Volume(name="tmp", empty_dir=k8s.V1EmptyDirVolumeSource(size_limit=kube.get("tmpDirSize")))]
    mounts = [k8s.V1VolumeMount(name="work", mount_path=kube["env"].get("VLLTR_WORK_DIR", "/work")),
              k8s.V1VolumeMount(name="tmp", mount_path="/tmp")]
    if gpu and stage.get("gpu", 0) and kube["gpu"].get("sharedMemory"):
        vols.append(k8s.V1Volume(name="dshm", empty_dir=k8s.V1EmptyDirVolumeSource(
            medium="Memory", size_limit=kube["gpu"]["sharedMemory"])))
        mounts.append(k8s.V1VolumeMount(name="dshm", mount_path="/dev/shm"))
    return vols, mounts


def _UNPRIVILEGED(**kwargs) -> k8s.V1SecurityContext:  # noqa: N802 - reads like a constant
    return k8s.V1SecurityContext(allow_privilege_escalation=False,
                                 capabilities=k8s.V1Capabilities(drop=["ALL"]), **kwargs)


def stage_kwargs(spec: Mapping[str, Any], stage_name: str, gpu_cluster: bool = True) -> dict[str, Any]:
    """KubernetesPodOperator keyword arguments of one stage, without ``arguments`` (see template_arguments and
    runtime_arguments). The DAG and the tests build operators from this. ``gpu_cluster=False`` drops every GPU
    setting (see gpu_enabled)."""
    stage = stage_spec(spec, stage_name)
    kube = spec["kubernetes"]
    defaults = spec["defaults"]
    gpu = gpu_cluster and stage.get("gpu", 0) > 0
    vols, mounts = volumes(spec, stage, gpu_cluster)
    env = dict(kube["env"])
    env.update(stage.get("env", {}))
    env.update(execution_env(spec, stage_name))
    secrets = [Secret("env", s["env"], s["secret"], s["key"]) for s in kube["secrets"] + stage.get("secrets", [])]
    kwargs: dict[str, Any] = dict(
        task_id=stage_name,
        name=f"vlltr-{stage_name}",
        namespace=kube["namespace"],
        service_account_name=kube["serviceAccount"],
        image=image(spec, stage_name, gpu_cluster),
        image_pull_policy=spec["images"].get("pullPolicy", "IfNotPresent"),
        env_vars=env,
        secrets=secrets,
        container_resources=resources(spec, stage, gpu_cluster),
        volumes=vols,
        volume_mounts=mounts,
        labels={"app.kubernetes.io/part-of": "vlltr", "app.kubernetes.io/component": "stage",
                "vlltr.dev/stage": stage_name},
        # uid 185 is the images' user (the Quarkus/UBI convention); the XCom sidecar runs as nobody
        security_context=k8s.V1PodSecurityContext(run_as_non_root=True, run_as_user=185, run_as_group=185,
                                                  fs_group=185,
                                                  seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault")),
        container_security_context=_UNPRIVILEGED(read_only_root_filesystem=True),
        xcom_sidecar_container_security_context=_UNPRIVILEGED(run_as_user=65534),
        do_xcom_push=True,
        get_logs=True,
        log_events_on_failure=True,
        on_finish_action="delete_succeeded_pod",
        durable=True,  # worker crash: reattach to the running pod instead of starting a new one
        startup_timeout_seconds=defaults.get("startupTimeoutSeconds", 600),
        **task_kwargs(spec, stage),
    )
    if stage.get("command"):
        kwargs["cmds"] = list(stage["command"])
    if stage.get("timeoutSeconds"):
        kwargs["active_deadline_seconds"] = stage["timeoutSeconds"]
    if kube.get("imagePullSecrets"):
        kwargs["image_pull_secrets"] = [k8s.V1LocalObjectReference(name=n) for n in kube["imagePullSecrets"]]
    runtime_class = kube.get("runtimeClassName") or None
    if gpu:
        kwargs["node_selector"] = dict(kube["gpu"].get("nodeSelector", {}))
        kwargs["tolerations"] = [k8s.V1Toleration(**t) for t in kube["gpu"].get("tolerations", [])]
        if kube["gpu"].get("priorityClassName"):
            kwargs["priority_class_name"] = kube["gpu"]["priorityClassName"]
        runtime_class = kube["gpu"].get("runtimeClassName") or runtime_class
        if kube["gpu"].get("pool"):
            kwargs["pool"] = kube["gpu"]["pool"]["name"]
            kwargs["pool_slots"] = stage.get("gpu", 1)
    if runtime_class:
        # KubernetesPodOperator has no runtime class argument: a pod spec to merge its own pod into carries it
        kwargs["full_pod_spec"] = k8s.V1Pod(spec=k8s.V1PodSpec(containers=[], runtime_class_name=runtime_class))
    after = kube.get("deferrableAfterSeconds", 0)
    if after and stage.get("timeoutSeconds", 0) >= after:
        kwargs["deferrable"] = True  # the triggerer watches the pod; no worker slot held for hours of training
    return kwargs


def execution_env(spec: Mapping[str, Any], stage_name: str) -> dict[str, str]:
    """What every stage task adds to the stage's environment in both modes: Airflow's run id, and the stage
    execution's id (``VLLTR_STAGE_EXECUTION``) that names its MLflow run as the local runner does:
    ``recalibration[crt]`` for the fanned-out stage (the value of this map index), else the stage's name."""
    fan = stage_spec(spec, stage_name).get("fanOut")
    execution = (stage_name + "[{{ params['" + fan["over"] + "'][ti.map_index] }}]") if fan else stage_name
    return {"VLLTR_AIRFLOW_RUN_ID": "{{ run_id }}", "VLLTR_STAGE_EXECUTION": execution}


def task_kwargs(spec: Mapping[str, Any], stage: Mapping[str, Any]) -> dict[str, Any]:
    """What a stage's task has in both modes: retries with exponential backoff (exit code 2 is never retried, see
    vlltr_stage_operators), the stage's timeout, and the fan-out's concurrency."""
    defaults = spec["defaults"]
    kwargs: dict[str, Any] = dict(
        retries=stage.get("retries", defaults["retries"]),
        retry_delay=timedelta(seconds=defaults["retryDelaySeconds"]),
        retry_exponential_backoff=defaults.get("retryExponentialBackoff", True),
        max_retry_delay=timedelta(seconds=defaults.get("maxRetryDelaySeconds", 3600)),
    )
    if stage.get("timeoutSeconds"):
        kwargs["execution_timeout"] = timedelta(seconds=stage["timeoutSeconds"])
    fan = stage.get("fanOut")
    if fan and fan.get("maxActive"):
        kwargs["max_active_tis_per_dagrun"] = fan["maxActive"]
    return kwargs


def repo_root() -> Path:
    """Where the stage jars are built (pipeline.yaml ``stages[].local.jar`` is relative to it): ``$VLLTR_REPO``,
    else the repository that holds pipeline.yaml (``orchestration/pipeline.yaml`` → two levels up)."""
    env = os.environ.get("VLLTR_REPO")
    return Path(env) if env else pipeline_path().resolve().parent.parent


def local_kwargs(spec: Mapping[str, Any], stage_name: str) -> dict[str, Any]:
    """LocalStageOperator keyword arguments of one stage, without ``arguments`` (the same as the pod's).

    No endpoint or credential from ``kubernetes.env``/``secrets``: those are in-cluster addresses; a local stage
    inherits the worker's environment (orchestration/stack.sh sets VLLTR_S3_*, MLflow and registry variables)."""
    stage = stage_spec(spec, stage_name)
    local = stage.get("local") or {}
    if not local.get("jar"):
        raise PipelineSpecError(f"{pipeline_path()}: stages[{stage_name}].local.jar: required in local mode")
    return dict(
        task_id=stage_name,
        stage=stage_name,
        jar=str(repo_root() / local["jar"]),
        env_vars=execution_env(spec, stage_name),
        **task_kwargs(spec, stage),
    )


def execution_mode() -> str:
    """``kubernetes`` or ``local``: ``$VLLTR_EXECUTION_MODE``, else the Airflow variable ``vlltr_execution_mode`` as
    set in the environment (``AIRFLOW_VAR_VLLTR_EXECUTION_MODE``), else ``kubernetes``. Only the environment is read:
    a variable stored in the metadata database would cost a database round trip at every parse of the DAG file, and
    the mode must be fixed where the dag-processor runs anyway."""
    raw = os.environ.get("VLLTR_EXECUTION_MODE") or os.environ.get("AIRFLOW_VAR_VLLTR_EXECUTION_MODE") or "kubernetes"
    mode = raw.strip().lower()
    if mode not in MODES:
        raise PipelineSpecError(f"VLLTR_EXECUTION_MODE: expected one of {list(MODES)}, got '{raw}'")
    return mode


# ------------------------------------------------------------------------------------------------ the form


def param_default(name: str, p: Mapping[str, Any]) -> Any:
    """A parameter's default: ``$VLLTR_DEFAULT_<NAME>`` (JSON for non-strings) where the deployment sets one (the
    local stack points ``tracking_uri`` at its MLflow server so the form's defaults work as they are), else the
    spec's."""
    env_name = "VLLTR_DEFAULT_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()
    raw = os.environ.get(env_name)
    if raw is None:
        return p["default"]
    if p.get("type") == "string":
        return raw
    try:
        return json.loads(raw)
    except ValueError as e:
        raise PipelineSpecError(f"{env_name}: expected JSON for the {p.get('type')} parameter '{name}': {e}") from e


def param_schema(p: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON schema of one form field, adapted to how Airflow's trigger form renders schemas:

    * a string whose default is empty is optional: the form sends ``null`` for an empty text field, which a plain
      ``"type": "string"`` marks as an error and which disables the Trigger button;
    * an array of enumerated strings gets ``examples`` (Airflow renders it as a multi-select of those values)."""
    schema = {k: v for k, v in p.items() if k not in ("default", "description")}
    if schema.get("type") == "string" and p.get("default") == "":
        schema["type"] = ["string", "null"]
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, Mapping) and items.get("enum"):
        schema.setdefault("examples", list(items["enum"]))
    return schema


def param_description(p: Mapping[str, Any]) -> str | None:
    """The field's help text, with the allowed values where there is a closed list."""
    text = p.get("description")
    items = p.get("items") if isinstance(p.get("items"), Mapping) else {}
    allowed = p.get("enum") or items.get("enum")
    if allowed:
        text = ((text or "").rstrip() + " Allowed: " + ", ".join(map(str, allowed)) + ".").strip()
    return text


def dag_params(spec: Mapping[str, Any]) -> dict[str, Param]:
    """The trigger form: one JSON-schema-validated Param per pipeline parameter, plus ``run_name``."""
    out: dict[str, Param] = {}
    for name, p in spec["params"].items():
        out[name] = Param(param_default(name, p), description=param_description(p), **param_schema(p))
    out[RUN_NAME_PARAM] = Param(
        None, type=["string", "null"], pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", maxLength=RUN_ID_MAX,
        description="Pipeline run id for the stages (artifacts under <artifact_root>/<run_name>/, the MLflow parent"
                    " run). Empty: this Airflow run's id. The id of an earlier run re-uses its results: unchanged"
                    " stages are skipped (memoised), interrupted training resumes from its last checkpoint.")
    return out


def tracking_experiment(spec: Mapping[str, Any], mode: str) -> str:
    """The MLflow experiment the stages log to: their VLLTR_EXPERIMENT (the worker's environment in local mode,
    pipeline.yaml kubernetes.env for pods), else the stage runtime's default ``vl-ltr``."""
    source = os.environ if mode == "local" else spec["kubernetes"].get("env", {})
    return source.get("VLLTR_EXPERIMENT") or "vl-ltr"


# ----------------------------------------------------------------------------------------------------- DAG


def operator_for(spec: Mapping[str, Any], stage_name: str, mode: str, gpu_cluster: bool):
    """The operator class and its keyword arguments (without ``arguments``) of one stage in one mode."""
    if mode == "local":
        return LocalStageOperator, local_kwargs(spec, stage_name)
    return StagePodOperator, stage_kwargs(spec, stage_name, gpu_cluster)


def build_dag(spec: Mapping[str, Any], gpu_cluster: bool = True, mode: str = "kubernetes") -> DAG:
    """The DAG: one task per stage, the fanned-out stage mapped over its values, fan-in through a small task.
    The arguments are the same in both modes; only the operator that runs them differs."""
    if mode not in MODES:
        raise ValueError(f"mode: expected one of {list(MODES)}, got '{mode}'")
    stages = spec["stages"]
    # GPU stages are told their device only where their pods get GPUs
    gpu = gpu_cluster and mode == "kubernetes"
    with DAG(
        dag_id=DAG_ID,
        description=spec.get("description", "").strip()[:200] or None,
        doc_md=__doc__,
        schedule=None,
        catchup=False,
        start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
        max_active_runs=2,
        tags=["vlltr", "long-tail", mode],
        params=dag_params(spec),
        user_defined_filters={"vlltr_run_id": sanitize_run_id,
                              "vlltr_param_input": lambda _value, inp, params: param_input_uri(inp, params)},
    ) as dag:
        tasks: dict[str, Any] = {}
        for stage in stages:
            name = stage["name"]
            fanned_in = [i for i in stage.get("inputs", []) if i.get("perFanOutValue")]
            operator, kwargs = operator_for(spec, name, mode, gpu_cluster)
            if stage.get("fanOut"):
                args = _fan_out_arguments(spec, name, _upstream_outputs(stage, tasks), gpu)
                op = operator.partial(**kwargs).expand(arguments=args)
            elif fanned_in:
                args = _fan_in_arguments(spec, name, _upstream_outputs(stage, tasks), gpu)
                op = operator(arguments=args, **kwargs)
            else:
                op = operator(arguments=template_arguments(spec, name, gpu), **kwargs)
            for inp in stage.get("inputs", []):
                if "from" in inp:
                    tasks[inp["from"]] >> op
            tasks[name] = op
        end = _tracking_end(tracking_experiment(spec, mode))
        for t in list(dag.tasks):
            if t.task_id != TRACKING_END_TASK:
                t >> end
    return dag


def _tracking_end(experiment: str):
    """A teardown task (it runs whatever happened upstream and does not decide the run's state): ends the pipeline
    run's parent MLflow run, FINISHED when every other task of the run succeeded or was skipped, FAILED otherwise
    (vlltr_tracking.end_pipeline_run)."""

    @task(task_id=TRACKING_END_TASK, retries=2, retry_delay=timedelta(seconds=30))
    def tracking_end(**context) -> str | None:
        ti, airflow_run_id, params = context["ti"], context["run_id"], context["params"]
        states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[airflow_run_id]).get(airflow_run_id, {})
        bad = sorted(k for k, v in states.items()
                     if not k.startswith(TRACKING_END_TASK) and v not in ("success", "skipped", "removed"))
        status = "FAILED" if bad else "FINISHED"
        log = logging.getLogger("vlltr.tracking")
        log.info("pipeline run %s: %s%s", airflow_run_id, status, f" (not successful: {bad})" if bad else "")
        return end_pipeline_run(params.get("tracking_uri"), experiment, pipeline_run_id(params, airflow_run_id),
                                status, log)

    return tracking_end().as_teardown()


def _upstream_outputs(stage: Mapping[str, Any], tasks: Mapping[str, Any]) -> dict[str, Any]:
    """The XCom results a mapped or fan-in stage's arguments need: one per upstream stage (not per parameter input)."""
    return {i["from"]: tasks[i["from"]].output for i in stage.get("inputs", []) if "from" in i}


def _fan_out_arguments(spec: Mapping[str, Any], stage_name: str, upstream: Mapping[str, Any], gpu: bool = False):
    fan = stage_spec(spec, stage_name)["fanOut"]

    @task(task_id=f"{stage_name}-arguments")
    def fan_out(upstream: dict[str, Any], **context) -> list[list[str]]:
        """One argument list per fan-out value (e.g. per re-calibration method)."""
        params = context["params"]
        return [runtime_arguments(spec, stage_name, run_id=context["run_id"], params=params, upstream=upstream,
                                  fan_value=str(v), gpu=gpu) for v in params[fan["over"]]]

    return fan_out(dict(upstream))


def _fan_in_arguments(spec: Mapping[str, Any], stage_name: str, upstream: Mapping[str, Any], gpu: bool = False):
    @task(task_id=f"{stage_name}-arguments")
    def fan_in(upstream: dict[str, Any], **context) -> list[str]:
        """The stage's argument list, with one input per fanned-out upstream result."""
        resolved = {k: (v if isinstance(v, Mapping) else list(v)) for k, v in upstream.items()}
        return runtime_arguments(spec, stage_name, run_id=context["run_id"], params=context["params"],
                                 upstream=resolved, gpu=gpu)

    return fan_in(dict(upstream))


SPEC = load_pipeline()
dag = build_dag(SPEC, gpu_enabled(), execution_mode())
