#!/usr/bin/env bash
# Runs a built image for real without a container engine: unpacks its layers into a root folder (skopeo + umoci:
# whiteouts applied, the image's config turned into a runtime config), mounts that root read-only with an empty
# /tmp and /work (what the pods' readOnlyRootFilesystem and emptyDirs give), and runs inside it with `chroot`, as
# the image's user, with exactly the image's environment and entrypoint:
#   * the self-check (DjlWarmUp in /deployments/tools) when the image carries libtorch: PyTorch 2.7.1 loads
#     offline and computes; the GPUs it sees are printed (0 here; the -cuda images load the wheel's CUDA libtorch);
#   * text-crawl images: the stage itself against a real MinIO on 127.0.0.1 (MinIO binary: $VLLTR_MINIO_BIN, else
#     $VLLTR_CACHE/bin/minio): WordNet and GCIDE uploaded from their Debian packages by stack/objectstore.py, read
#     by the stage from s3://, its outputs and manifest published to s3://; the manifest and every output are
#     checked in MinIO and against the stage's XCom; a second run must be memoised (manifest not rewritten).
#
#   orchestration/images/verify-image.sh [TARBALL]     # default: target/images/vlltr-text-crawl-<version>.tar
#   VLLTR_VERIFY_KEEP=1 keeps the unpacked root and MinIO's folder (printed) for a look.
#
# Needs root (chroot, mounts), skopeo, umoci (apt-get install skopeo umoci), python3 with boto3 (python3-boto3),
# the MinIO binary, and for text-crawl the Debian packages wordnet-base and dict-gcide. Exit 2 when one is
# missing, 1 when a check fails. Costs about 1 minute for text-crawl on 2 shared cores (measured: see
# orchestration/README.md#images-orchestrationimages).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${VLLTR_CACHE:-$HOME/.cache/vlltr}"
TAG="$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$REPO/pom.xml")"
TARBALL="${1:-$REPO/target/images/vlltr-text-crawl-$TAG.tar}"
MINIO_BIN="${VLLTR_MINIO_BIN:-$CACHE/bin/minio}"

die2() { echo "verify-image.sh: $*" >&2; exit 2; }
fail() { echo "verify-image.sh: FAILED: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
((EUID == 0)) || die2 "needs root (chroot and mounts)"
[[ -f "$TARBALL" ]] || die2 "$TARBALL: no such image tarball; build it with orchestration/images/build.sh --stage text-crawl"
for tool in skopeo umoci chroot python3; do
  command -v "$tool" >/dev/null || die2 "$tool not found: apt-get install skopeo umoci"
done
python3 -c 'import boto3' 2>/dev/null || die2 "python3 has no boto3: apt-get install python3-boto3"

WORK="$(mktemp -d /var/tmp/vlltr-verify.XXXXXX)"
ROOT="$WORK/bundle/rootfs"
minio_pid=""
cleanup() {
  local rc=$?
  [[ -n "$minio_pid" ]] && kill "$minio_pid" 2>/dev/null && wait "$minio_pid" 2>/dev/null
  for m in "$ROOT/work" "$ROOT/tmp" "$ROOT/dev" "$ROOT/proc" "$ROOT"; do
    mountpoint -q "$m" 2>/dev/null && umount -l "$m"
  done
  if [[ -n "${VLLTR_VERIFY_KEEP:-}" ]]; then echo "kept $WORK"; else rm -rf --one-file-system "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
start=$SECONDS

# ---- unpack: the image's layers into a root folder, its config into a runtime config ---------------------------
skopeo copy --quiet "docker-archive:$TARBALL" "oci:$WORK/layout:image"
umoci unpack --image "$WORK/layout:image" "$WORK/bundle" >/dev/null
ok "unpacked $(basename "$TARBALL") into $ROOT ($(du -sh "$ROOT" | cut -f1), $((SECONDS - start)) s)"
# the image's entrypoint, environment, working directory and user, as a runtime would use them
# (the entrypoint alone: the stage arguments replace the image's CMD, as a pod's args do)
skopeo inspect --config "oci:$WORK/layout:image" > "$WORK/image-config.json"
python3 - "$WORK/bundle/config.json" "$WORK" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))["process"]
out = sys.argv[2]
entrypoint = json.load(open(f"{out}/image-config.json"))["config"]["Entrypoint"]
open(f"{out}/image.env", "w").write("\n".join(p["env"]) + "\n")
open(f"{out}/image.args", "w").write("\n".join(entrypoint) + "\n")
open(f"{out}/image.user", "w").write(f"{p['user']['uid']}:{p['user']['gid']}\n")
open(f"{out}/image.cwd", "w").write(p.get("cwd", "/") + "\n")
EOF
mapfile -t image_env < "$WORK/image.env"
mapfile -t image_args < "$WORK/image.args"
user="$(cat "$WORK/image.user")" cwd="$(cat "$WORK/image.cwd")"
for want in DJL_OFFLINE=true OPT_OUT_TRACKING=true \
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864; do
  [[ " ${image_env[*]} " == *" $want "* ]] || fail "the image's environment lacks $want: ${image_env[*]}"
done
ok "image environment has DJL_OFFLINE=true, OPT_OUT_TRACKING=true and the malloc GLIBC_TUNABLES; user $user, entrypoint ${image_args[*]}"
[[ "$user" == 185:* ]] || fail "the image runs as $user, the pods' securityContext expects uid 185"

# ---- the root, as a pod sees it: read-only, with an empty /tmp and /work --------------------------------------
mount --bind "$ROOT" "$ROOT"
mount -o remount,bind,ro "$ROOT"
mount -t proc proc "$ROOT/proc"
mount --rbind /dev "$ROOT/dev"
mount -t tmpfs -o mode=1777 tmpfs "$ROOT/tmp"
mkdir -p "$ROOT/work" 2>/dev/null || [[ -d "$ROOT/work" ]] || fail "the image has no /work mount point"
mount -t tmpfs -o mode=1777 tmpfs "$ROOT/work"

# run_in_image <extra env...> -- <command...>: chroot as the image's user with only the image's environment
run_in_image() {
  local env=("${image_env[@]}")
  while [[ "$1" != "--" ]]; do env+=("$1"); shift; done
  shift
  chroot --userspec="$user" "$ROOT" /usr/bin/env -i -C "$cwd" "${env[@]}" "$@"
}

# ---- self-check: libtorch loads offline from the image ---------------------------------------------------------
if [[ -d "$ROOT/deployments/tools" ]] && { compgen -G "$ROOT/deployments/.djl.ai/pytorch/*/libtorch_cpu.so" >/dev/null \
     || [[ " ${image_env[*]} " == *" PYTORCH_LIBRARY_PATH="* ]]; }; then
  out="$(run_in_image -- java -cp '/deployments/lib/main/*:/deployments/tools' DjlWarmUp 2>&1)" \
    || fail "self-check in the image: $out"
  echo "$out" | grep -q 'DJL warm-up: PyTorch 2.7.1, sum(ones(2,3)) = 6.0' || fail "self-check printed: $out"
  ok "libtorch loads offline from the read-only image and computes: $(echo "$out" | grep 'DJL warm-up: PyTorch')"
  loaded="$(echo "$out" | sed -n 's/^DJL warm-up: loaded //p')"
  if [[ " ${image_env[*]} " == *" PYTORCH_LIBRARY_PATH="* ]]; then
    # a -cuda image: the wheel's CUDA libtorch and CUDA runtime, not a CPU build
    for lib in /opt/torch/torch/lib/libtorch_cuda.so /opt/torch/torch/lib/libc10_cuda.so /opt/torch/nvidia/cuda_runtime/lib/libcudart.so.12; do
      [[ " $loaded " == *" $lib "* ]] || fail "the -cuda image's JVM did not load $lib; loaded: $loaded"
    done
    ok "the JVM runs the CUDA build of libtorch from /opt/torch (no GPU here: CPU compute): $loaded"
  else
    [[ "$loaded" == *libtorch_cpu.so* && "$loaded" != *libtorch_cuda* ]] || fail "expected the CPU libtorch; loaded: $loaded"
    ok "the JVM runs the CPU libtorch from the image's DJL cache: $loaded"
  fi
fi

# ---- text-crawl: the stage against a real MinIO ----------------------------------------------------------------
if ! compgen -G "$ROOT/deployments/app/text-crawl-*.jar" >/dev/null; then
  echo "== not a text-crawl image: stage run skipped"; exit 0
fi
[[ -x "$MINIO_BIN" ]] || die2 "MinIO binary $MINIO_BIN missing (bash .ci/setup.sh builds it; or set VLLTR_MINIO_BIN)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export VLLTR_S3_ENDPOINT="http://127.0.0.1:$port" VLLTR_S3_ACCESS_KEY="verify-$RANDOM$RANDOM"
VLLTR_S3_SECRET_KEY="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"; export VLLTR_S3_SECRET_KEY
MINIO_ROOT_USER="$VLLTR_S3_ACCESS_KEY" MINIO_ROOT_PASSWORD="$VLLTR_S3_SECRET_KEY" MINIO_BROWSER=off \
  "$MINIO_BIN" server "$WORK/minio" --address "127.0.0.1:$port" --quiet > "$WORK/minio.log" 2>&1 &
minio_pid=$!
for _ in $(seq 1 60); do
  curl -fsS "$VLLTR_S3_ENDPOINT/minio/health/live" >/dev/null 2>&1 && break
  kill -0 "$minio_pid" 2>/dev/null || fail "MinIO exited: $(tail -n 5 "$WORK/minio.log")"
  sleep 1
done
VLLTR_BUCKETS=vlltr python3 "$REPO/orchestration/stack/objectstore.py" buckets >/dev/null
VLLTR_BUCKETS=vlltr python3 "$REPO/orchestration/stack/objectstore.py" data >/dev/null
ok "MinIO on 127.0.0.1:$port with WordNet, GCIDE and Fashion-MNIST under s3://vlltr/datasets/"

crawl() {  # one text-crawl run inside the image; its XCom goes to the image's /tmp (visible here)
  mkdir -p "$ROOT/tmp/xcom-$1" && chown "$user" "$ROOT/tmp/xcom-$1"  # the stage writes return.json where a folder is
  run_in_image "VLLTR_S3_ENDPOINT=$VLLTR_S3_ENDPOINT" "VLLTR_S3_ACCESS_KEY=$VLLTR_S3_ACCESS_KEY" \
    "VLLTR_S3_SECRET_KEY=$VLLTR_S3_SECRET_KEY" "VLLTR_XCOM_DIR=/tmp/xcom-$1" -- "${image_args[@]}" \
    --run-id image-verify --artifact-root s3://vlltr/runs --tracking-uri none \
    --param dataset=fashion-mnist --param sources=templates,wordnet,gcide \
    --param wordnet.dir=s3://vlltr/datasets/wordnet --param gcide.dir=s3://vlltr/datasets/gcide \
    > "$WORK/crawl-$1.log" 2>&1 || fail "text-crawl run $1 in the image exited $?: $(tail -n 20 "$WORK/crawl-$1.log")"
}
t0=$SECONDS
crawl 1
ok "text-crawl ran from the image root (chroot, read-only, uid ${user%%:*}) in $((SECONDS - t0)) s"
crawl 2
python3 - "$ROOT/tmp/xcom-1/return.json" "$ROOT/tmp/xcom-2/return.json" <<'EOF' || fail "MinIO check"
import json, os, sys
from urllib.parse import urlparse
import boto3
from botocore.config import Config

s3 = boto3.client("s3", endpoint_url=os.environ["VLLTR_S3_ENDPOINT"], aws_access_key_id=os.environ["VLLTR_S3_ACCESS_KEY"],
                  aws_secret_access_key=os.environ["VLLTR_S3_SECRET_KEY"], region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}))
def obj(uri):
    u = urlparse(uri)
    assert u.scheme == "s3", uri
    return u.netloc, u.path.lstrip("/")
first, second = (json.load(open(p)) for p in sys.argv[1:3])
manifest_uri = first["manifest"]
assert manifest_uri == "s3://vlltr/runs/image-verify/text-crawl/manifest.json", manifest_uri
b, k = obj(manifest_uri)
head = s3.head_object(Bucket=b, Key=k)
manifest = json.loads(s3.get_object(Bucket=b, Key=k)["Body"].read())
assert manifest["stage"] == "text-crawl", manifest.get("stage")
assert manifest["outputs"], "the manifest lists no outputs"
for name, out in manifest["outputs"].items():
    ob, ok_ = obj(out["uri"])
    size = s3.head_object(Bucket=ob, Key=ok_)["ContentLength"]
    assert size == out["size"], f"output {name}: {size} bytes in MinIO, the manifest says {out['size']}"
print(f"ok: manifest {manifest_uri} and its {len(manifest['outputs'])} outputs are in MinIO with the sizes it states"
      f" ({', '.join(sorted(manifest['outputs']))})")
assert second["manifest"] == manifest_uri, second
again = s3.head_object(Bucket=b, Key=k)
assert (again["ETag"], again["LastModified"]) == (head["ETag"], head["LastModified"]), "manifest rewritten"
print("ok: the second run was memoised (manifest not rewritten)")
EOF
grep -q 'text-crawl of run image-verify: skipped' "$WORK/crawl-2.log" || fail "the second run's log does not say it was skipped: $(tail -n 5 "$WORK/crawl-2.log")"
echo "== verify-image: $(basename "$TARBALL") passed in $((SECONDS - start)) s"
