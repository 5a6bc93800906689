#!/usr/bin/env bash
# The Debian bases of the images, made from Debian packages (nothing pulled from a container registry):
#   jre   Debian bookworm (minbase) + openjdk-17-jre-headless + ca-certificates, user 185 (group 0)
#   jdk   the same root + openjdk-17-jdk-headless (only for build steps that compile, e.g. the DJL warm-up)
# Each is a root-filesystem tarball cached under $VLLTR_CACHE/images/ (made once, ~3-6 minutes: debootstrap
# downloads ~120 MB of packages from deb.debian.org), named after a digest of this script so that a changed
# recipe makes new ones.
#   orchestration/images/base.sh            # prints the two tarball paths (builds them when missing)
# Needs root and debootstrap (apt-get install debootstrap). Sourced by build.sh (base_tarballs).
set -euo pipefail

VLLTR_CACHE="${VLLTR_CACHE:-$HOME/.cache/vlltr}"
DEBIAN_SUITE="${VLLTR_DEBIAN_SUITE:-bookworm}"
DEBIAN_MIRROR="${VLLTR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE_PACKAGES="openjdk-17-jre-headless,ca-certificates,tzdata"

base_recipe_digest() {
  { cat "${BASH_SOURCE[0]}"; echo "$DEBIAN_SUITE $DEBIAN_MIRROR $BASE_PACKAGES"; } | sha256sum | cut -c1-12
}

# Prints "<jre tarball> <jdk tarball>", building them first when missing.
base_tarballs() {
  local dir="$VLLTR_CACHE/images" digest
  digest="$(base_recipe_digest)"
  local jre="$dir/debian-$DEBIAN_SUITE-jre17-$digest.tar" jdk="$dir/debian-$DEBIAN_SUITE-jdk17-$digest.tar"
  if [[ ! -s "$jre" || ! -s "$jdk" ]]; then
    ( make_bases "$jre" "$jdk" ) >&2  # a subshell: its EXIT trap releases the build root
  fi
  echo "$jre $jdk"
}

make_bases() {
  local jre="$1" jdk="$2"
  for tool in debootstrap chroot tar; do
    command -v "$tool" >/dev/null || { echo "base.sh: $tool not found (apt-get install debootstrap)" >&2; exit 2; }
  done
  ((EUID == 0)) || { echo "base.sh: debootstrap needs root" >&2; exit 2; }
  mkdir -p "$(dirname "$jre")"
  local root
  root="$(mktemp -d /var/tmp/vlltr-base.XXXXXX)"
  chmod 755 "$root"  # it becomes the image's "/": mktemp's 0700 would lock every non-root user out
  # whatever happens (a failed download exits here): unmount what was mounted in the root, then remove it without
  # crossing into another filesystem (a leftover /proc mount must never be walked)
  # shellcheck disable=SC2064 # expand now: the trap must remove this root even after the variable is gone
  trap "release_root '$root'" EXIT
  echo "== base: debootstrap $DEBIAN_SUITE (minbase + $BASE_PACKAGES) into $root"
  debootstrap --variant=minbase --include="$BASE_PACKAGES" "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" \
    > "$root.debootstrap.log" 2>&1 || { tail -n 30 "$root.debootstrap.log" >&2; exit 1; }
  rm -f "$root.debootstrap.log"
  # the images' user: uid 185 (the Quarkus/UBI convention the pods' securityContext uses), group root so that
  # OpenShift-style arbitrary uids in group 0 can read /deployments too
  chroot "$root" useradd --uid 185 --gid 0 --home-dir /deployments --no-create-home --shell /usr/sbin/nologin app
  mkdir -p "$root/deployments" "$root/work"
  chown 185:0 "$root/deployments" "$root/work"
  chmod 775 "$root/deployments" "$root/work"
  clean_root "$root"
  pack_root "$root" "$jre"
  echo "== base: + openjdk-17-jdk-headless (build-time base)"
  mount -t proc proc "$root/proc"
  chroot "$root" apt-get update -q >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless \
    > "$root.apt.log" 2>&1 || { tail -n 30 "$root.apt.log" >&2; exit 1; }
  rm -f "$root.apt.log"
  umount "$root/proc"
  clean_root "$root"
  pack_root "$root" "$jdk"
}

release_root() {
  local root="$1" m
  for m in $(awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
  rm -rf --one-file-system "$root" "$root.debootstrap.log" "$root.apt.log"
}

clean_root() {
  local root="$1"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/tmp/* \
    "$root"/var/tmp/* 2>/dev/null || true
  # documentation files go, their folders stay: update-alternatives (openjdk's postinst) links man pages into them
  find "$root/usr/share/doc" "$root/usr/share/man" -type f -delete 2>/dev/null || true
}

pack_root() {
  local root="$1" out="$2"
  # numeric owners, sorted names, fixed mtimes of nothing we add: the tarball is a faithful copy of the root
  tar --numeric-owner --sort=name --xattrs -C "$root" -cf "$out.partial" .
  mv "$out.partial" "$out"
  echo "== base: $out ($(du -h "$out" | cut -f1))"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  base_tarballs
fi
