#!/usr/bin/env bash
# Sigstore bundle referrers beside an image are not images: the skopeo-sigstore probe image with
# the real @sigstore/oci referrer (sigstore-js vectors, read in place) listed in index.json, behind
# a referrers-tag index sha256-<hex>, or unlisted as cosign save leaves it; verify --integrity-only
# reports exactly the one image every time.
source "$(dirname "$0")/lib.sh"

VECTORS="${EDGEVERIFY_SHARED_VECTORS:-$EDGEVERIFY_SOURCE_DIR/../shared/vectors}"
PROBE_ARCHIVE="$VECTORS/skopeo-sigstore/image-oci-archive.tar"
REFERRERS="$VECTORS/sigstore-js/oci-referrers"
BUNDLE="$VECTORS/sigstore-js/bundle-keyless-dsse.sigstore.json"
for f in "$PROBE_ARCHIVE" "$REFERRERS/attestation-manifest.json" "$REFERRERS/referrers-tag-index.json" "$BUNDLE"; do
    [ -f "$f" ] || bail "vector missing: $f"
done
PROBE_DIGEST=sha256:83e6b48d626e810769ca2571db8fdf7e4a76c2162a87060e8efcb6771a2d97c4
MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_INDEX=application/vnd.oci.image.index.v1+json
printf '{}' >"$WORK/empty.json"

probe_layout() {  # DIR: the probe image as a layout, with the referrer's blobs unlisted
    mkdir -p "$1"
    tar -xf "$PROBE_ARCHIVE" -C "$1"
    ocitool add-blob "$1" "$WORK/empty.json" "$BUNDLE" "$REFERRERS/attestation-manifest.json"
}

only_the_probe() {  # DESC
    check_eq "$1: one image" "$(jget "$WORK/verified.json" 'len(d["images"])')" "1"
    check_eq "$1: it is the probe" "$(jget "$WORK/verified.json" 'd["images"][0]["manifestDigest"]')" "$PROBE_DIGEST"
}

U="$WORK/unlisted"
REFERRER=$(probe_layout "$U" | tail -1)
expect_verified "unlisted referrer" -- "$U"
only_the_probe "unlisted referrer"

L="$WORK/listed"
probe_layout "$L" >/dev/null
ocitool add-index-entry "$L" "$MT_MANIFEST" "$REFERRER" artifactType=application/vnd.dev.sigstore.bundle.v0.3+json
expect_verified "listed referrer" -- "$L"
only_the_probe "listed referrer"

P="$WORK/plain-entry"
probe_layout "$P" >/dev/null
ocitool add-index-entry "$P" "$MT_MANIFEST" "$REFERRER"
expect_verified "referrer listed without artifactType (known by its subject)" -- "$P"
only_the_probe "referrer listed without artifactType"

T="$WORK/tagged"
probe_layout "$T" >/dev/null
TAG_INDEX=$(ocitool add-blob "$T" "$REFERRERS/referrers-tag-index.json")
ocitool add-index-entry "$T" "$MT_INDEX" "$TAG_INDEX" "ref=sha256-${PROBE_DIGEST#sha256:}"
expect_verified "referrers-tag index" -- "$T"
only_the_probe "referrers-tag index"

# The same layout as an oci-archive.
tar -C "$T" -cf "$WORK/tagged.oci.tar" .
expect_verified "referrers-tag index, oci-archive" -- "oci-archive:$WORK/tagged.oci.tar"
only_the_probe "referrers-tag index, oci-archive"

finish
