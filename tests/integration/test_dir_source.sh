#!/usr/bin/env bash
# containers-image dir: copies (skopeo copy ... dir:D) as a SOURCE: detected and forced with dir:,
# verified end to end (manifest.json -> config -> layers), a manifest list from `skopeo copy
# --all` with platform selection, and the specific rejections of a tampered, missing or
# symlinked blob. Every copy is made by skopeo from the shared fixtures or the probe image.
source "$(dirname "$0")/lib.sh"

PROBE_ARCHIVE="${EDGEVERIFY_SHARED_VECTORS:-$EDGEVERIFY_SOURCE_DIR/../shared/vectors}/skopeo-sigstore/image-oci-archive.tar"
[ -f "$PROBE_ARCHIVE" ] || bail "probe image missing: $PROBE_ARCHIVE"
PROBE_DIGEST=sha256:83e6b48d626e810769ca2571db8fdf7e4a76c2162a87060e8efcb6771a2d97c4

hexof() { sha256sum "$1" | cut -c1-64; }

# --- the probe image (umoci-built, 3 gzip layers) as skopeo writes a dir: copy
D="$WORK/probe"
skopeo_copy "oci-archive:$PROBE_ARCHIVE" "dir:$D"
check_eq "skopeo wrote version 1.1" "$(cat "$D/version")" "Directory Transport Version: 1.1"
expect_verified "probe dir: copy, detected" -- "$D"
check_eq "source kind is dir" "$(jget "$WORK/verified.json" 'd["source"]["kind"]')" "dir"
check_eq "manifest digest is sha256(manifest.json)" \
    "$(jget "$WORK/verified.json" 'd["images"][0].get("manifestDigest")')" "$PROBE_DIGEST"
expect_verified "probe dir: copy, forced" -- "dir:$D"

# --- the shared fixture image (4 layers, one a whiteout)
S="$WORK/single"
skopeo_copy "oci:$FIX/single:1.0" "dir:$S"
expect_verified "fixture dir: copy" -- "dir:$S"
L0=$(jget "$S/manifest.json" 'd["layers"][0]["digest"]')
L0=${L0#sha256:}
CONFIG=$(jget "$S/manifest.json" 'd["config"]["digest"]')
CONFIG=${CONFIG#sha256:}

# --- a byte flipped in a layer: digest mismatch naming the file
cp -a "$S" "$WORK/flip"
ocitool flip "$WORK/flip/$L0" middle >/dev/null
expect_rejected digest-mismatch "blob $L0 hashes to sha256:" -- "dir:$WORK/flip"

# --- the config removed: blob-missing naming its bare-hex file
cp -a "$S" "$WORK/noconfig"
rm "$WORK/noconfig/$CONFIG"
expect_rejected blob-missing "is missing ($CONFIG)" -- "dir:$WORK/noconfig"

# --- a symlinked layer is refused, not followed
cp -a "$S" "$WORK/link"
mv "$WORK/link/$L0" "$WORK/link/moved"
ln -s moved "$WORK/link/$L0"
expect_rejected unsafe-path "is a symbolic link" -- "dir:$WORK/link"

# --- a truncated layer: size mismatch
cp -a "$S" "$WORK/trunc"
truncate -s -10 "$WORK/trunc/$L0"
expect_rejected size-mismatch "blob sha256:$L0 has" -- "dir:$WORK/trunc"

# --- skopeo copy --all of a multi-arch index: manifest.json is the index, instances are
#     <hex>.manifest.json; the platform is selected as for an OCI index
M="$WORK/multi"
skopeo_copy --all "oci:$FIX/multiarch:multi" "dir:$M"
expect_verified "multi-arch dir: copy, linux/arm64" -- "dir:$M" --platform linux/arm64
expect_verified "multi-arch dir: copy, every platform" -- "dir:$M" --all-platforms
check_eq "two platform images" "$(jget "$WORK/verified.json" 'len(d["images"])')" "2"
ARM=$(jget "$M/manifest.json" '[m["digest"] for m in d["manifests"] if m["platform"]["architecture"]=="arm64"][0]')
ocitool flip "$M/${ARM#sha256:}.manifest.json" last >/dev/null
expect_rejected digest-mismatch "${ARM#sha256:}.manifest.json hashes to" -- "dir:$M" --platform linux/arm64

# --- usage: dir: on a file, and a name after dir:PATH
expect_error 2 usage "names a directory" -- verify "dir:$PROBE_ARCHIVE" --integrity-only
expect_error 2 usage "takes no name" -- verify "dir:$D:app:1.0" --integrity-only

finish
