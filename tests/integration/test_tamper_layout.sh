#!/usr/bin/env bash
# Tamper with each part of a real OCI layout (skopeo copy of a umoci image) and assert the
# specific rejection. Where a tamper would change a digest that something else names, ocitool.py
# re-hashes the edited document and rewrites its parents, so exactly one thing is wrong.
# Messages are matched on the hex part of digests (a message may print "sha256:<hex>" or the blob
# path "blobs/sha256/<hex>"; both name the blob).
source "$(dirname "$0")/lib.sh"

ocitool info "$FIX/single" >"$WORK/info.json"
hex() { echo "${1#*:}"; }
MANIFEST=$(jget "$WORK/info.json" 'd["manifestDigest"]')
CONFIG=$(jget "$WORK/info.json" 'd["configDigest"]')
L0=$(jget "$WORK/info.json" 'd["layers"][0]["digest"]')
L0_SIZE=$(jget "$WORK/info.json" 'd["layers"][0]["size"]')
L1=$(jget "$WORK/info.json" 'd["layers"][1]["digest"]')
L2=$(jget "$WORK/info.json" 'd["layers"][2]["digest"]')
CONFIG_SIZE=$(stat -c %s "$(blob_file "$FIX/single" "$CONFIG")")

# The untouched copy verifies: every rejection below is caused by its tamper alone.
L=$(fixture_copy single "$WORK/pristine")
expect_verified "pristine copy" -- "$L"

# --- a byte flipped in a layer (big gzip layer, and a small one)
L=$(fixture_copy single "$WORK/layer-flip")
ocitool flip "$(blob_file "$L" "$L0")" middle >/dev/null
expect_rejected digest-mismatch "$(hex "$L0")" -- "$L"

L=$(fixture_copy single "$WORK/layer2-flip")
ocitool flip "$(blob_file "$L" "$L2")" last >/dev/null
expect_rejected digest-mismatch "$(hex "$L2")" -- "$L"

# --- a byte flipped in the config (its last byte, '}' -> '|')
L=$(fixture_copy single "$WORK/config-flip")
ocitool flip "$(blob_file "$L" "$CONFIG")" last >/dev/null
expect_rejected digest-mismatch "$(hex "$CONFIG")" -- "$L"

# --- a byte flipped in the manifest: its config digest now names another blob (valid JSON,
#     valid digest grammar, same size): only the manifest's own digest can catch it.
L=$(fixture_copy single "$WORK/manifest-flip")
last=${CONFIG: -1}
if [ "$last" == "0" ]; then other=1; else other=0; fi
ocitool replace-bytes "$(blob_file "$L" "$MANIFEST")" "$CONFIG" "${CONFIG%?}$other"
expect_rejected digest-mismatch "$(hex "$MANIFEST")" -- "$L"

# --- dropped blobs
L=$(fixture_copy single "$WORK/drop-layer")
rm "$(blob_file "$L" "$L1")"
expect_rejected blob-missing "$(hex "$L1")" -- "$L"

L=$(fixture_copy single "$WORK/drop-config")
rm "$(blob_file "$L" "$CONFIG")"
expect_rejected blob-missing "$(hex "$CONFIG")" -- "$L"

L=$(fixture_copy single "$WORK/drop-manifest")
rm "$(blob_file "$L" "$MANIFEST")"
expect_rejected blob-missing "$(hex "$MANIFEST")" -- "$L"

# --- wrong size in a descriptor (manifest re-hashed, index.json rewritten): larger and smaller
L=$(fixture_copy single "$WORK/size-layer-plus")
ocitool set-layer "$L" 0 size $((L0_SIZE + 1)) >/dev/null
expect_rejected size-mismatch "$(hex "$L0")" -- "$L"

L=$(fixture_copy single "$WORK/size-layer-minus")
ocitool set-layer "$L" 0 size $((L0_SIZE - 1)) >/dev/null
expect_rejected size-mismatch "$(hex "$L0")" -- "$L"

L=$(fixture_copy single "$WORK/size-config")
ocitool set-config-desc "$L" size $((CONFIG_SIZE + 7)) >/dev/null
expect_rejected size-mismatch "$(hex "$CONFIG")" -- "$L"

# index.json's descriptor of the manifest (index.json itself is not content-addressed)
L=$(fixture_copy single "$WORK/size-manifest")
MANIFEST_SIZE=$(stat -c %s "$(blob_file "$L" "$MANIFEST")")
ocitool set-index-entry "$L" size $((MANIFEST_SIZE + 1))
expect_rejected size-mismatch "$(hex "$MANIFEST")" -- "$L"

# --- wrong diff_id in the config (config re-hashed, manifest re-hashed, index.json rewritten)
L=$(fixture_copy single "$WORK/diff-id")
FAKE_DIFF_ID="sha256:$(printf 'not the layer' | sha256sum | cut -c1-64)"
ocitool set-diff-id "$L" 0 "$FAKE_DIFF_ID" >/dev/null
check_eq "fixture: only the diff_id changed (layers untouched)" \
    "$(ocitool info "$L" | ocitool jq - '[l["digest"] for l in d["layers"]]')" \
    "$(jget "$WORK/info.json" '[l["digest"] for l in d["layers"]]')"
expect_rejected diff-id-mismatch "$(hex "$FAKE_DIFF_ID")" -- "$L"

# --- a layer blob that is a symlink (to a byte-identical copy outside the layout)
L=$(fixture_copy single "$WORK/symlink-blob")
mv "$(blob_file "$L" "$L1")" "$WORK/outside-blob"
ln -s "$WORK/outside-blob" "$(blob_file "$L" "$L1")"
expect_rejected unsafe-path "$(hex "$L1")" -- "$L"

# ... and a symlink to another blob inside the same layout
L=$(fixture_copy single "$WORK/symlink-blob-inside")
cp "$(blob_file "$L" "$L2")" "$L/blobs/sha256/copy-of-layer"
rm "$(blob_file "$L" "$L2")"
ln -s copy-of-layer "$(blob_file "$L" "$L2")"
expect_rejected unsafe-path "$(hex "$L2")" -- "$L"

# --- manifest mediaType contradictions
# The manifest document says image index while index.json's descriptor says OCI manifest.
L=$(fixture_copy single "$WORK/mt-document")
NEW_MANIFEST=$(ocitool set-manifest "$L" mediaType application/vnd.oci.image.index.v1+json)
expect_rejected media-type-mismatch "$(hex "$NEW_MANIFEST")" -- "$L"
# An OCI descriptor for a manifest whose document says Docker schema 2 names the same kind:
# accepted, as containerd accepts it (docs/integrity.md).
L=$(fixture_copy single "$WORK/mt-same-kind")
ocitool set-manifest "$L" mediaType application/vnd.docker.distribution.manifest.v2+json >/dev/null
expect_verified "OCI descriptor, Docker schema 2 document (same kind)" -- "$L"
# index.json's descriptor says image index while the blob is an OCI manifest (skopeo writes
# manifests without a mediaType field: the document's shape is what contradicts).
L=$(fixture_copy single "$WORK/mt-descriptor")
ocitool set-index-entry "$L" mediaType application/vnd.oci.image.index.v1+json
expect_rejected media-type-mismatch "$(hex "$MANIFEST")" -- "$L"

# --- layer data that is not what its media type says
L=$(fixture_copy single "$WORK/gzip-as-zstd")
ocitool set-layer "$L" 0 mediaType application/vnd.oci.image.layer.v1.tar+zstd >/dev/null
expect_rejected media-type-mismatch "$(hex "$L0")" -- "$L"

L=$(fixture_copy single "$WORK/gzip-as-tar")
ocitool set-layer "$L" 0 mediaType application/vnd.oci.image.layer.v1.tar >/dev/null
expect_rejected media-type-mismatch "$(hex "$L0")" -- "$L"

Z0=$(ocitool info "$FIX/zstd" | ocitool jq - 'd["layers"][0]["digest"]')
L=$(fixture_copy zstd "$WORK/zstd-as-gzip")
ocitool set-layer "$L" 0 mediaType application/vnd.oci.image.layer.v1.tar+gzip >/dev/null
expect_rejected media-type-mismatch "$(hex "$Z0")" -- "$L"

# --- digests the verifier cannot check
# sha384 is grammatical but not supported; the blob is even present under blobs/sha384/.
L=$(fixture_copy single "$WORK/digest-sha384")
SHA384_HEX=$(openssl dgst -sha384 -r "$(blob_file "$L" "$L1")" | cut -c1-96)
mkdir -p "$L/blobs/sha384"
cp "$(blob_file "$L" "$L1")" "$L/blobs/sha384/$SHA384_HEX"
ocitool set-layer "$L" 1 digest "sha384:$SHA384_HEX" >/dev/null
expect_rejected digest-unsupported "sha384" -- "$L"
# Uppercase hex breaks the OCI digest grammar.
L=$(fixture_copy single "$WORK/digest-upper")
UPPER=$(hex "$L1" | tr 'a-f' 'A-F')
ocitool set-layer "$L" 1 digest "sha256:$UPPER" >/dev/null
expect_rejected digest-invalid "$UPPER" -- "$L"

finish
