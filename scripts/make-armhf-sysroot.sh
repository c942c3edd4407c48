#!/usr/bin/env bash
# Assembles the armhf library sysroot that toolchains/arm-linux-gnueabihf.cmake builds against:
# `apt-get download` of the armhf .debs + `dpkg -x` into DIR, under a PRIVATE apt state (own
# lists, cache and status file, APT::Architectures=armhf), so the machine's apt never gains the
# armhf architecture. Why: with armhf as a foreign architecture, an out-of-sync armhf security
# index on the mirror made every `apt-get update` on the machine fail (docs/cross-compiling.md).
# Here an index that cannot be fetched is tolerated: the packages come from whatever indexes did
# load (bookworm main at least), and a package with no candidate at all is a clear error.
# Usage: scripts/make-armhf-sysroot.sh [DIR]   (default: .cross/sysroot-armhf in the checkout)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sysroot=${1:-$root/.cross/sysroot-armhf}
state=$root/.cross/apt-armhf

packages=(
  libmbedtls-dev libmbedcrypto7 libmbedtls14 libmbedx509-1
  libarchive-dev libarchive13 libacl1 libacl1-dev libbz2-1.0 libbz2-dev liblz4-1 liblz4-dev
  liblzma5 liblzma-dev libxml2 libxml2-dev libicu72 libicu-dev libzstd1 libzstd-dev zlib1g zlib1g-dev
  nettle-dev libnettle8 libhogweed6 libgmp10 libgmp-dev
  libuv1-dev libuv1 libhttp-parser-dev libhttp-parser2.9
)

if [ -f "$sysroot/.complete" ] && [ "$sysroot/.complete" -nt "${BASH_SOURCE[0]}" ]; then
  echo "make-armhf-sysroot: $sysroot is complete"
  exit 0
fi

mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/debs"
: > "$state/status"
apt_opts=(
  -o "Dir::State=$state" -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status"
  -o "Dir::Cache=$state/cache" -o "APT::Architecture=armhf" -o "APT::Architectures::=armhf"
  -o "Debug::NoLocking=true" -o "APT::Sandbox::User=root" -q
)

echo "make-armhf-sysroot: apt-get update (private state in $state)"
if ! apt-get "${apt_opts[@]}" update; then
  echo "make-armhf-sysroot: some armhf indexes failed to load (mirror sync?); going on with those that did" >&2
fi

cd "$state/debs"
rm -f ./*.deb
missing=()
for p in "${packages[@]}"; do
  apt-get "${apt_opts[@]}" download "$p:armhf" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make-armhf-sysroot: no armhf candidate for: ${missing[*]} (did the bookworm main index load?)" >&2
  exit 1
fi

rm -rf "$sysroot.new"
mkdir -p "$sysroot.new"
for d in ./*.deb; do dpkg -x "$d" "$sysroot.new"; done
rm -rf "$sysroot"
mv "$sysroot.new" "$sysroot"
touch "$sysroot/.complete"
echo "make-armhf-sysroot: $(ls ./*.deb | wc -l) packages extracted into $sysroot"
