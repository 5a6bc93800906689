"""The shipped Fashion-MNIST-LT specs as stack.sh bootstrap-data and the data-bootstrap Job upload them: the `images:`
line points at the uploaded Fashion-MNIST and nothing else changes, so the pipeline's `dataset` parameter finds the
same splits by name under `data_root` (s3://vlltr/datasets/<name>/dataset.yaml)."""

from __future__ import annotations

import importlib.util

import pytest
import yaml

from conftest import REPO

SHIPPED = ["fmnist-lt-fewshot", "fmnist-lt-if100", "fmnist-lt-quick"]


@pytest.fixture(scope="module")
def objectstore():
    spec = importlib.util.spec_from_file_location("objectstore", REPO / "orchestration" / "stack" / "objectstore.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_specs_are_the_ones_uploaded(objectstore):
    assert objectstore.specs_dir() == REPO / "datasets"
    assert [p.parent.name for p in sorted(objectstore.specs_dir().glob(objectstore.SPEC_GLOB))] == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_only_the_images_line_changes(objectstore, name):
    source = REPO / "datasets" / name / "dataset.yaml"
    text = source.read_text(encoding="utf-8")
    uploaded = objectstore.object_spec(text, source, "vlltr").decode("utf-8")
    before, after = yaml.safe_load(text), yaml.safe_load(uploaded)
    assert before["images"] == "file:///usr/share/datasets/fashion-mnist"
    assert after["images"] == "s3://vlltr/datasets/fashion-mnist"
    assert {k: v for k, v in after.items() if k != "images"} == {k: v for k, v in before.items() if k != "images"}
    changed = [(a, b) for a, b in zip(text.splitlines(), uploaded.splitlines()) if a != b]
    assert len(changed) == 1 and len(text.splitlines()) == len(uploaded.splitlines()), changed


def test_a_spec_without_the_debian_images_line_is_a_configuration_error(objectstore, tmp_path):
    source = tmp_path / "dataset.yaml"
    with pytest.raises(objectstore.ConfigError, match="expected exactly one line 'images: file:///usr/share"):
        objectstore.object_spec("name: x\nimages: s3://elsewhere\n", source, "vlltr")
