#!/usr/bin/env bash
# Real images built by umoci and exported by skopeo verify in every source kind (OCI layout,
# oci-archive, docker-archive, gzip-compressed archives, zstd layers, forced-kind syntax, several
# images in one layout), and the JSON report agrees with what umoci and the documents say.
source "$(dirname "$0")/lib.sh"

# Independent expectations: digests from the layout's own documents, diff_ids from `umoci stat`.
ocitool info "$FIX/single" >"$WORK/single.info"
MANIFEST=$(jget "$WORK/single.info" 'd["manifestDigest"]')
CONFIG=$(jget "$WORK/single.info" 'd["configDigest"]')
LAYERS=$(jget "$WORK/single.info" '[l["digest"] for l in d["layers"]]')
DIFF_IDS=$(jget "$WORK/single.info" 'd["diffIds"]')
umoci stat --image "$FIX/layout:1.0-wh" --json >"$WORK/umoci-stat.json"
UMOCI_DIFF_IDS=$(jget "$WORK/umoci-stat.json" '[h["diff_id"] for h in d["history"] if h.get("layer")]')
check_eq "fixture: config diff_ids equal umoci stat's" "$DIFF_IDS" "$UMOCI_DIFF_IDS"
check_eq "fixture: 4 layers" "$(jget "$WORK/single.info" 'len(d["layers"])')" 4
# Uncompressed size of the first layer, by gzip itself.
LAYER0_BLOB=$(blob_file "$FIX/single" "$(jget "$WORK/single.info" 'd["layers"][0]["digest"]')")
LAYER0_USIZE=$(gzip -dc "$LAYER0_BLOB" | wc -c)
ZSTD_INFO=$(ocitool info "$FIX/zstd")

# check_report DESC KIND COMPRESSION [MANIFEST] [LAYER-DIGESTS]: the last verified JSON describes
# the fixture image.
check_report() {
    local desc=$1 kind=$2 comp=$3 manifest=${4:-} layers=${5:-}
    local j="$WORK/verified.json"
    check_eq "$desc: schemaVersion/tool" "$(jget "$j" '[d.get("schemaVersion"), d.get("tool")]')" '[1, "edgeverify"]'
    check_eq "$desc: source.kind" "$(jget "$j" 'd["source"]["kind"]')" "$kind"
    if [ "$(jget "$j" 'len(d.get("images") or [])')" != 1 ]; then
        fail "$desc: one image in the report (got $(jget "$j" 'len(d.get("images") or [])'); details not checked)"
        return 0
    fi
    check_eq "$desc: platform" "$(jget "$j" 'd["images"][0].get("platform")')" linux/amd64
    check_eq "$desc: containerImage" "$(jget "$j" 'd["images"][0].get("containerImage")')" true
    check_eq "$desc: configDigest" "$(jget "$j" 'd["images"][0].get("configDigest")')" "$CONFIG"
    check_eq "$desc: layer count" "$(jget "$j" 'len(d["images"][0]["layers"])')" 4
    check_eq "$desc: layer indexes" "$(jget "$j" '[l.get("index") for l in d["images"][0]["layers"]]')" '[0, 1, 2, 3]'
    check_eq "$desc: diffIds equal umoci stat" "$(jget "$j" '[l.get("diffId") for l in d["images"][0]["layers"]]')" "$UMOCI_DIFF_IDS"
    check_eq "$desc: compression" "$(jget "$j" 'sorted(set(l.get("compression") for l in d["images"][0]["layers"]))')" "[\"$comp\"]"
    check_eq "$desc: layer 0 uncompressedSize (gzip -dc | wc -c)" "$(jget "$j" 'd["images"][0]["layers"][0].get("uncompressedSize")')" "$LAYER0_USIZE"
    check_eq "$desc: facts recorded per layer" "$(jget "$j" 'all(isinstance(l.get("facts"), dict) for l in d["images"][0]["layers"])')" true
    check_eq "$desc: bytesRead > 0" "$(jget "$j" 'd.get("bytesRead", 0) > 0')" true
    if [ -n "$manifest" ]; then
        check_eq "$desc: manifestDigest" "$(jget "$j" 'd["images"][0].get("manifestDigest")')" "$manifest"
    fi
    if [ -n "$layers" ]; then
        check_eq "$desc: layer digests" "$(jget "$j" '[l.get("digest") for l in d["images"][0]["layers"]]')" "$layers"
    fi
}

# --- control image (umoci repack only, well-formed layer tars) in the three kinds
ocitool info "$FIX/plain" >"$WORK/plain.info"
umoci stat --image "$FIX/plain:1.0" --json >"$WORK/plain-stat.json"
PLAIN_DIFF_IDS=$(jget "$WORK/plain-stat.json" '[h["diff_id"] for h in d["history"] if h.get("layer")]')
check_eq "fixture: plain has 2 layers" "$(jget "$WORK/plain.info" 'len(d["layers"])')" 2
for src in "$FIX/plain" "$FIX/plain.oci.tar" "$FIX/plain.docker.tar"; do
    expect_verified "control image $(basename "$src")" -- "$src"
    check_eq "control image $(basename "$src"): diffIds equal umoci stat" \
        "$(jget "$WORK/verified.json" '[l.get("diffId") for i in d["images"] for l in i["layers"]]')" "$PLAIN_DIFF_IDS"
done
check_eq "control image plain.docker.tar: kind" "$(jget "$WORK/verified.json" 'd["source"]["kind"]')" docker-archive

# --- OCI image layout (skopeo-written, one image)
expect_verified "oci layout (detected)" -- "$FIX/single"
check_report "oci layout" oci gzip "$MANIFEST" "$LAYERS"
expect_verified "oci layout (forced oci:DIR)" -- "oci:$FIX/single"
check_eq "oci:DIR kind" "$(jget "$WORK/verified.json" 'd["source"]["kind"]')" oci
expect_verified "oci layout (forced oci:DIR:REF)" -- "oci:$FIX/single:1.0"
check_report "oci:DIR:REF" oci gzip "$MANIFEST" "$LAYERS"

# Layer facts agree with Python's tarfile on the same layers: the busybox base layer (symlinks,
# /etc/passwd, a setuid file) and the whiteout layer.
for i in 0 3; do
    blob=$(blob_file "$FIX/single" "$(jget "$WORK/single.info" "d['layers'][$i]['digest']")")
    ocitool layer-stats "$blob" >"$WORK/stats$i.json"
    for field in entries regularFiles directories symlinks hardlinks whiteouts; do
        check_eq "layer $i facts.$field equals tarfile's count" \
            "$(jget "$WORK/verified.json" "d['images'][0]['layers'][$i]['facts'].get('$field')")" \
            "$(jget "$WORK/stats$i.json" "d['$field']")"
    done
done
check_eq "fixture: layer 0 holds usr/bin/suidhelper setuid" "$(jget "$WORK/stats0.json" 'd["setuid"]')" '["usr/bin/suidhelper"]'
check_eq "layer 0 findings: setuid usr/bin/suidhelper" \
    "$(jget "$WORK/verified.json" 'sorted(f["path"] for f in d["images"][0]["layers"][0]["facts"]["findings"] if f["kind"]=="setuid")')" \
    '["usr/bin/suidhelper"]'
check_eq "layer 0 facts.hasEtcPasswd" "$(jget "$WORK/verified.json" 'd["images"][0]["layers"][0]["facts"]["hasEtcPasswd"]')" true
check_eq "layer 3 findings: whiteout" \
    "$(jget "$WORK/verified.json" '[f["path"] for f in d["images"][0]["layers"][3]["facts"]["findings"] if f["kind"]=="whiteout"]')" \
    "$(jget "$WORK/stats3.json" 'd["whiteoutPaths"]')"

# --- oci-archive (skopeo), plain and gzip-compressed
expect_verified "oci-archive (detected)" -- "$FIX/image.oci.tar"
check_report "oci-archive" oci-archive gzip "$MANIFEST" "$LAYERS"
expect_verified "oci-archive (forced)" -- "oci-archive:$FIX/image.oci.tar"
expect_verified "oci-archive (forced, :REF)" -- "oci-archive:$FIX/image.oci.tar:localhost/edgeverify/test:1.0"
check_report "oci-archive:FILE:REF" oci-archive gzip "$MANIFEST" "$LAYERS"
expect_verified "oci-archive.tar.gz (detected)" -- "$FIX/image.oci.tar.gz"
check_report "oci-archive.tar.gz" oci-archive gzip "$MANIFEST" "$LAYERS"

# --- docker-archive (skopeo: uncompressed <diff_id>.tar layers, legacy <id>/layer.tar symlinks)
expect_verified "docker-archive (detected)" -- "$FIX/image.docker.tar"
check_report "docker-archive" docker-archive none
check_eq "docker-archive: layer sizes equal uncompressed sizes" \
    "$(jget "$WORK/verified.json" 'all(l.get("size") == l.get("uncompressedSize") for l in d["images"][0]["layers"])')" true
expect_verified "docker-archive (forced)" -- "docker-archive:$FIX/image.docker.tar"
expect_verified "docker-archive (forced, :NAME:TAG)" -- "docker-archive:$FIX/image.docker.tar:localhost/edgeverify/test:1.0"
check_report "docker-archive:FILE:NAME:TAG" docker-archive none
expect_verified "docker-archive.tar.gz (detected)" -- "$FIX/image.docker.tar.gz"
check_report "docker-archive.tar.gz" docker-archive none

# --- zstd layers (skopeo --dest-compress-format zstd): same diff_ids as the gzip image
ZSTD_MANIFEST=$(echo "$ZSTD_INFO" | ocitool jq - 'd["manifestDigest"]')
ZSTD_LAYERS=$(echo "$ZSTD_INFO" | ocitool jq - '[l["digest"] for l in d["layers"]]')
check_eq "fixture: zstd layer media types" \
    "$(echo "$ZSTD_INFO" | ocitool jq - 'sorted(set(l["mediaType"] for l in d["layers"]))')" \
    '["application/vnd.oci.image.layer.v1.tar+zstd"]'
expect_verified "zstd layout" -- "$FIX/zstd"
check_report "zstd layout" oci zstd "$ZSTD_MANIFEST" "$ZSTD_LAYERS"
expect_verified "zstd oci-archive" -- "$FIX/zstd.oci.tar"
check_report "zstd oci-archive" oci-archive zstd "$ZSTD_MANIFEST" "$ZSTD_LAYERS"

# --- a layout with two images (umoci tags 1.0 and 1.0-wh): all verified, or one by REF
expect_verified "umoci layout with two images" -- "$FIX/layout"
check_eq "two images verified" "$(jget "$WORK/verified.json" 'len(d["images"])')" 2
check_eq "two images: layer counts" "$(jget "$WORK/verified.json" 'sorted(len(i["layers"]) for i in d["images"])')" '[3, 4]'
expect_verified "umoci layout, oci:DIR:1.0" -- "oci:$FIX/layout:1.0"
check_eq "oci:DIR:1.0 selects one image with 3 layers" "$(jget "$WORK/verified.json" '[len(i["layers"]) for i in d["images"]]')" '[3]'
expect_verified "umoci layout, oci:DIR:1.0-wh" -- "oci:$FIX/layout:1.0-wh"
check_eq "oci:DIR:1.0-wh: diffIds" "$(jget "$WORK/verified.json" '[l["diffId"] for l in d["images"][0]["layers"]]')" "$UMOCI_DIFF_IDS"

# --- human output: result lines and a summary with throughput
run_ev verify "$FIX/plain.oci.tar" --integrity-only
if [ "$RC" -eq 0 ] && grep -q 'MB/s' "$WORK/last.out" && grep -qi 'verified' "$WORK/last.out"; then
    pass "human output: exit 0, 'verified' and a MB/s summary on stdout"
else
    fail "human output: exit 0, 'verified' and a MB/s summary on stdout"
    _show_run
fi
if [ ! -s "$WORK/last.err" ] || ! grep -q 'rejected' "$WORK/last.err"; then
    pass "human output: no rejection on stderr"
else
    fail "human output: no rejection on stderr"
    _show_run
fi

finish
