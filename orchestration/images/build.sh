#!/usr/bin/env bash
# Builds the stage images and the registry image from the repository, without a container daemon and without
# pulling anything from a container registry:
#   1. the Debian bases from Debian packages (base.sh: debootstrap + openjdk-17, cached under $VLLTR_CACHE/images),
#      imported into a private podman store ($VLLTR_CACHE/containers);
#   2. each image with `podman build --isolation=chroot --pull=never` from orchestration/images/Dockerfile.* on
#      those bases (the DJL warm-up runs in a chroot of the JDK base);
#   3. each image saved as a docker-archive tarball (loadable by `docker load`, `podman load`, `kind load
#      image-archive`, `skopeo copy docker-archive:... docker://REGISTRY/...`) in target/images/.
#
#   orchestration/images/build.sh --all                 # six stage images, the -cuda variants of the GPU stages
#                                                       # (pipeline.yaml gpu > 0) and the registry image
#   orchestration/images/build.sh --stage text-crawl [--stage cvlp] [--cuda] [--registry]
#   options: --tag TAG (default: the project version, 0.1.0-SNAPSHOT)   --out DIR (default target/images)
#            --build-jars (run ./mvnw package for the selected apps first; default: they must be built)
#
# Needs root, debootstrap and podman (apt-get install debootstrap podman); the -cuda variants need
# target/images/libtorch-cuda (made here by libtorch-cuda.sh when missing). Exit 2 for a missing tool, fast-jar or
# an unknown option (the message says which and what to run). Image names: docker.io/vlltr/<stage>:<tag>[-cuda],
# docker.io/vlltr/registry-service:<tag> (pipeline.yaml images.prefix vlltr/, cudaTagSuffix -cuda).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=base.sh
source "$HERE/base.sh"

ALL_STAGES=(text-crawl cvlp anchor-selection lgr recalibration evaluation)
TAG="$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$REPO/pom.xml")"
OUT="$REPO/target/images"
stages=() cuda=0 registry=0 build_jars=0

die2() { echo "build.sh: $*" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --all) stages=("${ALL_STAGES[@]}"); cuda=1; registry=1; shift ;;
    --stage)
      [[ " ${ALL_STAGES[*]} " == *" ${2:-} "* ]] || die2 "--stage: expected one of ${ALL_STAGES[*]}, got '${2:-}'"
      stages+=("$2"); shift 2 ;;
    --cuda) cuda=1; shift ;;
    --registry) registry=1; shift ;;
    --tag) TAG="${2:?--tag needs a value}"; shift 2 ;;
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    --build-jars) build_jars=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die2 "unknown option '$1'; expected --all, --stage NAME, --cuda, --registry, --tag TAG, --out DIR, --build-jars" ;;
  esac
done
((${#stages[@]} + registry > 0)) || die2 "nothing to build: give --all, --stage NAME or --registry"
((EUID == 0)) || die2 "needs root (debootstrap, chroot isolation)"
for tool in podman debootstrap python3; do
  command -v "$tool" >/dev/null || die2 "$tool not found: apt-get install debootstrap podman"
done

# GPU stages get a -cuda variant (pipeline.yaml: gpu > 0, images.cudaTagSuffix)
read -r -a gpu_stages <<< "$(python3 -c '
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
print(" ".join(s["name"] for s in spec["stages"] if s.get("gpu", 0) > 0), spec["images"].get("cudaTagSuffix", "-cuda"))
' "$REPO/orchestration/pipeline.yaml")"
CUDA_SUFFIX="${gpu_stages[-1]}"; unset 'gpu_stages[-1]'

# ---- fast-jars -------------------------------------------------------------------------------------------------
modules=()
for s in "${stages[@]}"; do modules+=("stages/$s"); done
((registry)) && modules+=("registry-service/server")
if ((build_jars)); then
  (cd "$REPO" && ./mvnw -B -ntp -q package -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am)
fi
for m in "${modules[@]}"; do
  [[ -f "$REPO/$m/target/quarkus-app/quarkus-run.jar" ]] \
    || die2 "$m/target/quarkus-app/quarkus-run.jar missing: ./mvnw -B package -DskipTests -pl $m -am (or --build-jars)"
done

# ---- podman, on a private store --------------------------------------------------------------------------------
STORE="$VLLTR_CACHE/containers"
mkdir -p "$STORE/storage" "$STORE/run" "$OUT"
# no registry is ever consulted: an empty registries.conf, and --pull=never on every build
printf 'unqualified-search-registries = []\n' > "$STORE/registries.conf"
export CONTAINERS_REGISTRIES_CONF="$STORE/registries.conf"
pm() {
  podman --root "$STORE/storage" --runroot "$STORE/run" --storage-driver "${VLLTR_STORAGE_DRIVER:-overlay}" \
    --cgroup-manager cgroupfs --events-backend file "$@"
}

read -r jre_tar jdk_tar < <(base_tarballs)
digest="$(base_recipe_digest)"
JRE_IMAGE="localhost/vlltr/debian-jre17:$digest"
JDK_IMAGE="localhost/vlltr/debian-jdk17:$digest"
for pair in "$JRE_IMAGE=$jre_tar" "$JDK_IMAGE=$jdk_tar"; do
  if ! pm image exists "${pair%%=*}"; then
    echo "== import ${pair#*=} as ${pair%%=*}"
    pm import --quiet --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "${pair#*=}" "${pair%%=*}" >/dev/null
    pm tag "${pair%%=*}" "${pair%%:*}:$DEBIAN_SUITE"
  fi
done

vcs_ref="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
built=()
build() {  # build <image name> <Dockerfile> <target> [build args...]
  local name="$1" file="$2" target="$3"; shift 3
  local start=$SECONDS tarball
  echo "== build $name ($file --target $target)"
  pm build --quiet --isolation=chroot --pull=never --layers -f "$HERE/$file" --target "$target" \
    --build-arg JRE_IMAGE="$JRE_IMAGE" --build-arg JDK_IMAGE="$JDK_IMAGE" --build-arg VCS_REF="$vcs_ref" \
    "$@" -t "$name" "$REPO" >/dev/null
  tarball="$OUT/$(echo "${name#docker.io/}" | tr '/:' '--').tar"
  rm -f "$tarball"
  pm save --quiet --format docker-archive -o "$tarball" "$name"
  echo "   $tarball ($(du -h "$tarball" | cut -f1), $((SECONDS - start)) s)"
  built+=("$name $tarball")
}

for s in "${stages[@]}"; do
  build "docker.io/vlltr/$s:$TAG" Dockerfile.jvm-stage cpu --build-arg STAGE="$s"
  if ((cuda)) && [[ " ${gpu_stages[*]} " == *" $s "* ]]; then
    bash "$HERE/libtorch-cuda.sh"
    build "docker.io/vlltr/$s:$TAG$CUDA_SUFFIX" Dockerfile.jvm-stage cuda --build-arg STAGE="$s"
  fi
done
((registry)) && build "docker.io/vlltr/registry-service:$TAG" Dockerfile.registry jvm

printf '%s\n' "${built[@]}" > "$OUT/images.txt"
echo "== built ${#built[@]} image(s); list in $OUT/images.txt"
