"""Object store setup for the stack (orchestration/stack.sh) and the Kubernetes data job (k8s/base/data-bootstrap.yaml).

    python objectstore.py buckets   the buckets, each with a lifecycle rule aborting multipart uploads left
                                    incomplete for a day (a killed stage leaves none behind for long); MinIO
                                    refuses that rule and expires stale uploads itself (stack.sh sets
                                    MINIO_API_STALE_UPLOADS_EXPIRY=24h), which is reported
    python objectstore.py data      Fashion-MNIST, WordNet and GCIDE from their Debian packages into
                                    s3://<bucket>/datasets/{fashion-mnist,wordnet,gcide}/ (skipped when the object
                                    already holds the same bytes: SHA-256 in the object's metadata), and the shipped
                                    Fashion-MNIST-LT specs (datasets/fmnist-lt-*/dataset.yaml) into
                                    s3://<bucket>/datasets/<name>/dataset.yaml with `images:` pointing at the uploaded
                                    Fashion-MNIST: the pipeline's `dataset` names them, under `data_root`

S3 endpoint and keys: VLLTR_S3_ENDPOINT, VLLTR_S3_ACCESS_KEY, VLLTR_S3_SECRET_KEY (the stages' variables).
Buckets: VLLTR_BUCKETS (default "vlltr vlltr-mlflow"); data bucket: VLLTR_DATA_BUCKET (default vlltr).
Shipped specs: VLLTR_DATASET_SPECS (default: the repository's datasets/ folder, or /opt/vlltr/datasets in the image).
GCIDE is GPL: it is read from the machine's dict-gcide package at run time, never from the repository.
Exit codes: 0 ok, 2 configuration (a variable or a Debian package missing; the message names it), 1 anything else.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

# (prefix under datasets/, folder of the Debian package, files, package)
DATASETS = [
    ("fashion-mnist", Path("/usr/share/datasets/fashion-mnist"),
     ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
      "t10k-labels-idx1-ubyte.gz"], "dataset-fashion-mnist"),
    ("wordnet", Path("/usr/share/wordnet"), None, "wordnet-base"),  # None: every file of the folder
    ("gcide", Path("/usr/share/dictd"), ["gcide.index", "gcide.dict.dz"], "dict-gcide"),
]

# The shipped specs read Fashion-MNIST from the Debian package; in the object store they read the uploaded copy.
FMNIST_IMAGES = "images: file:///usr/share/datasets/fashion-mnist"
SPEC_GLOB = "fmnist-lt-*/dataset.yaml"

LIFECYCLE = {"Rules": [{
    "ID": "abort-incomplete-multipart-uploads",
    "Status": "Enabled",
    "Filter": {"Prefix": ""},
    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
}]}


class ConfigError(Exception):
    pass


def env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is not set")
    return value


def client():
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=env("VLLTR_S3_ENDPOINT"), aws_access_key_id=env("VLLTR_S3_ACCESS_KEY"),
                        aws_secret_access_key=env("VLLTR_S3_SECRET_KEY"), region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5},
                                      # no default CRC checksums: any S3-compatible store (older MinIO) accepts it
                                      request_checksum_calculation="when_required"))


def buckets(s3) -> None:
    names = os.environ.get("VLLTR_BUCKETS", "vlltr vlltr-mlflow").split()
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for name in names:
        if name not in existing:
            s3.create_bucket(Bucket=name)
            print(f"bucket {name}: created")
        try:
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=LIFECYCLE)
        except s3.exceptions.ClientError as e:
            # MinIO refuses the AbortIncompleteMultipartUpload action (InvalidArgument, "XML ... did not validate");
            # it removes stale uploads itself instead (MINIO_API_STALE_UPLOADS_EXPIRY, set by stack.sh)
            if e.response["Error"]["Code"] not in ("InvalidArgument", "MalformedXML", "NotImplemented"):
                raise
            print(f"bucket {name}: the store refuses AbortIncompleteMultipartUpload lifecycle rules"
                  f" ({e.response['Error']['Code']}); incomplete uploads expire by the server's own setting")
            continue
        rules = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
        days = [r.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation") for r in rules]
        print(f"bucket {name}: lifecycle abort-incomplete-multipart after {days} day(s)")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def data(s3) -> None:
    bucket = os.environ.get("VLLTR_DATA_BUCKET", "vlltr")
    for prefix, folder, files, package in DATASETS:
        paths = [folder / f for f in files] if files else sorted(p for p in folder.glob("*") if p.is_file())
        missing = [str(p) for p in paths if not p.is_file()]
        if missing or not paths:
            raise ConfigError(f"{prefix}: {', '.join(missing) or folder} missing; apt-get install {package}")
        uploaded = 0
        for path in paths:
            key = f"datasets/{prefix}/{path.name}"
            digest = sha256(path)
            try:
                head = s3.head_object(Bucket=bucket, Key=key)
                if head["Metadata"].get("sha256") == digest and head["ContentLength"] == path.stat().st_size:
                    continue
            except s3.exceptions.ClientError as e:
                if e.response["Error"]["Code"] not in ("404", "NoSuchKey", "NotFound"):
                    raise
            s3.upload_file(str(path), bucket, key, ExtraArgs={"Metadata": {"sha256": digest}})
            uploaded += 1
        print(f"s3://{bucket}/datasets/{prefix}/: {len(paths)} files from {folder} ({package}), {uploaded} uploaded")
    specs(s3, bucket)


def specs_dir() -> Path:
    env_dir = os.environ.get("VLLTR_DATASET_SPECS", "").strip()
    if env_dir:
        return Path(env_dir)
    repo = Path(__file__).resolve().parent.parent.parent / "datasets"
    return repo if repo.is_dir() else Path("/opt/vlltr/datasets")


def object_spec(text: str, source: Path, bucket: str) -> bytes:
    """A shipped spec as it lives in the object store: its `images:` line points at s3://<bucket>/datasets/fashion-mnist
    (the only change; the splits and every other field stay as in the repository)."""
    lines = text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == FMNIST_IMAGES]
    if len(hits) != 1:
        raise ConfigError(f"{source}: expected exactly one line '{FMNIST_IMAGES}' to point at the uploaded copy")
    lines[hits[0]] = f"images: s3://{bucket}/datasets/fashion-mnist\n"
    return "".join(lines).encode("utf-8")


def specs(s3, bucket: str) -> None:
    folder = specs_dir()
    sources = sorted(folder.glob(SPEC_GLOB))
    if not sources:
        raise ConfigError(f"no shipped dataset specs {folder}/{SPEC_GLOB} (set VLLTR_DATASET_SPECS)")
    for source in sources:
        body = object_spec(source.read_text(encoding="utf-8"), source, bucket)
        key = f"datasets/{source.parent.name}/dataset.yaml"
        s3.put_object(Bucket=bucket, Key=key, Body=body,
                      Metadata={"sha256": hashlib.sha256(body).hexdigest()})
        print(f"s3://{bucket}/{key}: from {source}")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in ("buckets", "data"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        s3 = client()
        buckets(s3) if argv[1] == "buckets" else data(s3)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
