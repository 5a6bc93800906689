"""The DAG tells a GPU stage which device to train on, from its gpu count in pipeline.yaml (docs/models-and-gpus.md
#devices): device=gpu for one GPU, device=gpus (data-parallel over the pod's GPUs) for more, nothing without GPUs."""

from __future__ import annotations

import copy


def cvlp_arguments(pipeline_module, spec, gpu_count, gpu):
    spec = copy.deepcopy(spec)
    stage = next(s for s in spec["stages"] if s["name"] == "cvlp")
    if gpu_count:
        stage["gpu"] = gpu_count
    else:
        stage.pop("gpu", None)
    params = {name: p["default"] for name, p in spec["params"].items()}
    return pipeline_module.stage_arguments(spec, "cvlp", run_id="r", artifact_root="file:///a", tracking_uri="none",
                                           pipeline_params=params, inputs={"corpus": "m"}, gpu=gpu)


def test_gpu_count_sets_the_device(pipeline_module, spec):
    assert cvlp_arguments(pipeline_module, spec, 1, True)[-2:] == ["--param", "device=gpu"]
    assert cvlp_arguments(pipeline_module, spec, 4, True)[-2:] == ["--param", "device=gpus"]


def test_no_device_without_gpus(pipeline_module, spec):
    for args in (cvlp_arguments(pipeline_module, spec, 4, False), cvlp_arguments(pipeline_module, spec, 0, True)):
        assert not any(a.startswith("device=") for a in args)
