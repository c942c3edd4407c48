#!/usr/bin/env bash
# Platform selection on a multi-arch image: two umoci images (linux/amd64 with busybox,
# linux/arm64) under one OCI image index, written by ocitool.py make-index because neither
# umoci 0.4.7 nor skopeo 1.9 can assemble an index from local images.
source "$(dirname "$0")/lib.sh"

hex() { echo "${1#*:}"; }
INDEX=$(jget "$FIX/multiarch/index.json" 'd["manifests"][0]["digest"]')
cp "$(blob_file "$FIX/multiarch" "$INDEX")" "$WORK/index-blob.json"
AMD64=$(jget "$WORK/index-blob.json" '[m["digest"] for m in d["manifests"] if m["platform"]["architecture"]=="amd64"][0]')
ARM64=$(jget "$WORK/index-blob.json" '[m["digest"] for m in d["manifests"] if m["platform"]["architecture"]=="arm64"][0]')
ARM64_LAYER=$(jget "$(blob_file "$FIX/multiarch" "$ARM64")" 'd["layers"][0]["digest"]')
# The machine edgeverify runs as: the build's target (ctest sets EDGEVERIFY_TARGET_ARCH; a cross
# build runs under QEMU, where uname -m names the build host), else this machine.
TARGET_ARCH=${EDGEVERIFY_TARGET_ARCH:-$(uname -m)}

# Default: the platform edgeverify runs on. The fixture has linux/amd64 and linux/arm64 only.
case "$TARGET_ARCH" in
  x86_64) DEFAULT=linux/amd64 DEFAULT_MANIFEST=$AMD64 ;;
  aarch64) DEFAULT=linux/arm64 DEFAULT_MANIFEST=$ARM64 ;;
  armv7l) DEFAULT=linux/arm/v7 DEFAULT_MANIFEST= ;;
  *) DEFAULT= DEFAULT_MANIFEST= ;;
esac
check_eq "a default platform is known for $TARGET_ARCH" "${DEFAULT:+known}" known
if [ -n "$DEFAULT_MANIFEST" ]; then
  expect_verified "multi-arch, default platform" -- "$FIX/multiarch"
  check_eq "default platform: one image" "$(jget "$WORK/verified.json" 'len(d["images"])')" 1
  check_eq "default platform: $DEFAULT" "$(jget "$WORK/verified.json" 'd["images"][0]["platform"]')" "$DEFAULT"
  check_eq "default platform: $DEFAULT manifest" "$(jget "$WORK/verified.json" 'd["images"][0]["manifestDigest"]')" "$DEFAULT_MANIFEST"
else
  expect_rejected platform-not-found "$DEFAULT" -- "$FIX/multiarch"
fi

expect_verified "multi-arch, --platform linux/arm64" -- "$FIX/multiarch" --platform linux/arm64
check_eq "arm64: platform" "$(jget "$WORK/verified.json" '[i["platform"] for i in d["images"]]')" '["linux/arm64"]'
check_eq "arm64: manifest" "$(jget "$WORK/verified.json" 'd["images"][0]["manifestDigest"]')" "$ARM64"
check_eq "arm64: one layer" "$(jget "$WORK/verified.json" 'len(d["images"][0]["layers"])')" 1

expect_verified "multi-arch, forced oci:DIR:REF with --platform linux/amd64" -- "oci:$FIX/multiarch:multi" --platform linux/amd64
check_eq "oci:DIR:multi amd64 manifest" "$(jget "$WORK/verified.json" 'd["images"][0]["manifestDigest"]')" "$AMD64"

expect_verified "multi-arch, --all-platforms" -- "$FIX/multiarch" --all-platforms
check_eq "--all-platforms: both platforms" "$(jget "$WORK/verified.json" 'sorted(i["platform"] for i in d["images"])')" '["linux/amd64", "linux/arm64"]'

expect_rejected platform-not-found "linux/s390x" -- "$FIX/multiarch" --platform linux/s390x

# A broken arm64 layer: only checked when arm64 is selected.
L=$(fixture_copy multiarch "$WORK/arm64-broken")
ocitool flip "$(blob_file "$L" "$ARM64_LAYER")" middle >/dev/null
expect_verified "broken arm64 layer, amd64 selected" -- "$L" --platform linux/amd64
expect_rejected digest-mismatch "$(hex "$ARM64_LAYER")" -- "$L" --platform linux/arm64
expect_rejected digest-mismatch "$(hex "$ARM64_LAYER")" -- "$L" --all-platforms

# A flipped byte in the index blob itself.
L=$(fixture_copy multiarch "$WORK/index-flip")
ocitool flip "$(blob_file "$L" "$INDEX")" last >/dev/null
expect_rejected digest-mismatch "$(hex "$INDEX")" -- "$L"

# index.json's descriptor of the index with a wrong size.
L=$(fixture_copy multiarch "$WORK/index-size")
ocitool set-index-entry "$L" size $(($(stat -c %s "$(blob_file "$L" "$INDEX")") + 3))
expect_rejected size-mismatch "$(hex "$INDEX")" -- "$L"

finish
