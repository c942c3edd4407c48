#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test, demo and benchmark, and
# (profiles test and all) the npm packages of tests/interop, pinned by its package-lock.json.
# Usage: scripts/install-deps.sh [build|test|all]   (default: all). Idempotent; needs root for apt.
set -euo pipefail

profile=${1:-all}

build_packages=(
  build-essential cmake ninja-build pkgconf git
  libmbedtls-dev nettle-dev libarchive-dev libuv1-dev nlohmann-json3-dev doctest-dev
  libhttp-parser-dev libsqlite3-dev libpq-dev
  # libarchive's static closure, for the minimal static agent (EDGEVERIFY_STATIC)
  libzstd-dev liblz4-dev libacl1-dev
  # the sanitizer build and the libFuzzer targets of tests/fuzz (EDGEVERIFY_FUZZ): clang 14 and its
  # runtime libraries (libclang_rt.fuzzer, ASan, UBSan)
  clang-14 libclang-rt-14-dev
)
# Independent tools the integration tests and benchmarks use to build, export and check images.
test_packages=(
  umoci skopeo zstd gzip openssl time xxd python3 busybox-static bc containerd runc curl
  postgresql-15
  chromium
)

case "$profile" in
  build) wanted=("${build_packages[@]}") ;;
  test | all) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  *) echo "install-deps: unknown profile '$profile' (expected build, test or all)" >&2; exit 2 ;;
esac

# Node.js and npm for the Sigstore interop tests (tests/interop). A node that is already on PATH
# (say a newer one from another repository) is kept: Debian's is only the fallback.
if [ "$profile" != build ]; then
  command -v node >/dev/null 2>&1 || wanted+=(nodejs)
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}) and not root; install them or run as root" >&2
  exit 1
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || echo "install-deps: apt-get update reported errors; trying the install with the lists we have" >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ "$profile" = build ] && exit 0

# npm packages for tests/interop and tests/dashboard (playwright-core, which drives Debian's
# chromium above and downloads no browser), exactly as each package-lock.json pins them. `npm ci` runs when
# node_modules is missing or older than the lock file (npm writes its own copy of the lock into
# node_modules/.package-lock.json, so a changed lock file means a stale tree).
interop_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/interop" && pwd)
dashboard_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/dashboard" && pwd)
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "install-deps: node $(node --version) is too old for the sigstore packages in tests/interop (they need Node >= 20.17)" >&2
  exit 1
fi
installed_lock="$interop_dir/node_modules/.package-lock.json"
if [ ! -f "$installed_lock" ] || [ "$interop_dir/package-lock.json" -nt "$installed_lock" ]; then
  echo "install-deps: npm ci in tests/interop"
  (cd "$interop_dir" && npm ci --no-audit --no-fund)
else
  echo "install-deps: tests/interop/node_modules up to date"
fi
installed_lock="$dashboard_dir/node_modules/.package-lock.json"
if [ ! -f "$installed_lock" ] || [ "$dashboard_dir/package-lock.json" -nt "$installed_lock" ]; then
  echo "install-deps: npm ci in tests/dashboard"
  (cd "$dashboard_dir" && npm ci --no-audit --no-fund)
else
  echo "install-deps: tests/dashboard/node_modules up to date"
fi
