#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test, demo and benchmark.
# Usage: scripts/install-deps.sh [build|test|all]   (default: all). Idempotent; needs root.
set -euo pipefail

profile=${1:-all}

build_packages=(
  build-essential cmake ninja-build pkgconf git
  libmbedtls-dev nettle-dev libarchive-dev libuv1-dev nlohmann-json3-dev doctest-dev
)
# Independent tools the integration tests and benchmarks use to build, export and check images.
test_packages=(
  umoci skopeo zstd gzip openssl time xxd python3 busybox-static bc
)

case "$profile" in
  build) wanted=("${build_packages[@]}") ;;
  test | all) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  *) echo "install-deps: unknown profile '$profile' (expected build, test or all)" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}) and not root; install them or run as root" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || echo "install-deps: apt-get update reported errors; trying the install with the lists we have" >&2
apt-get install -y -q --no-install-recommends "${missing[@]}"
