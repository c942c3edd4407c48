#!/usr/bin/env bash
# Installs what cross builds and their tests under QEMU need (docs/cross-compiling.md).
#   arm64: Debian's cross compiler and the arm64 libraries from Debian multiarch (the machine
#          gains the arm64 architecture), qemu-user-static to run the test binaries.
#   armhf: Debian's cross compiler (an amd64 package) and a library sysroot assembled by
#          scripts/make-armhf-sysroot.sh under a private apt state (the machine does NOT gain armhf).
# Usage: scripts/install-cross-deps.sh [arm64|armhf|all]   (default all). Idempotent; needs root.
set -euo pipefail

target=${1:-all}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

arm64_packages=(
  crossbuild-essential-arm64 qemu-user-static pkgconf:arm64
  # The run-time loader, C and C++ libraries the tests run with under QEMU (toolchains/aarch64-linux-gnu.cmake).
  libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64
  libmbedtls-dev:arm64 nettle-dev:arm64 libarchive-dev:arm64 libuv1-dev:arm64 libhttp-parser2.9:arm64
  # Static-link closure of libarchive (minimal static agent): its Libs.private, plus libxml2's.
  libacl1-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64 liblz4-dev:arm64 libbz2-dev:arm64
  zlib1g-dev:arm64 libxml2-dev:arm64 libgmp-dev:arm64
)
armhf_packages=(crossbuild-essential-armhf qemu-user-static)
# libhttp-parser-dev is not multi-arch: its arm64 build cannot sit beside the amd64 one the native
# build needs. Its files go to .cross/arm64-extra instead (toolchains/aarch64-linux-gnu.cmake).
arm64_extracted=(libhttp-parser-dev libhttp-parser2.9)

missing_of() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

install_missing() {
  local missing
  mapfile -t missing < <(missing_of "$@")
  if [ ${#missing[@]} -eq 0 ]; then
    echo "install-cross-deps: all $# packages present"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-cross-deps: missing packages (${missing[*]}) and not root" >&2
    exit 1
  fi
  echo "install-cross-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || echo "install-cross-deps: apt-get update reported errors; trying with the lists we have" >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

case "$target" in
  arm64 | all) ;;
  armhf) ;;
  *) echo "install-cross-deps: unknown target '$target' (expected arm64, armhf or all)" >&2; exit 2 ;;
esac

if [ "$target" = arm64 ] || [ "$target" = all ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    [ "$(id -u)" -eq 0 ] || { echo "install-cross-deps: arm64 is not a dpkg architecture and not root" >&2; exit 1; }
    dpkg --add-architecture arm64
  fi
  install_missing "${arm64_packages[@]}"
  extra=$root/.cross/arm64-extra
  if [ ! -f "$extra/.complete" ] || [ "$extra/.complete" -ot "${BASH_SOURCE[0]}" ]; then
    rm -rf "$extra" "$extra.debs" && mkdir -p "$extra.debs"
    (cd "$extra.debs" && for p in "${arm64_extracted[@]}"; do apt-get download -q -o APT::Sandbox::User=root "$p:arm64"; done)
    for d in "$extra.debs"/*.deb; do dpkg -x "$d" "$extra"; done
    rm -rf "$extra.debs"
    touch "$extra/.complete"
    echo "install-cross-deps: ${arm64_extracted[*]} (arm64) extracted into $extra"
  fi
fi
if [ "$target" = armhf ] || [ "$target" = all ]; then
  install_missing "${armhf_packages[@]}"
  "$root/scripts/make-armhf-sysroot.sh"
fi
