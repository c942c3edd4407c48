#!/usr/bin/env bash
# Tamper with real oci-archive and docker-archive files (written by skopeo): flipped bytes in the
# tar entries, truncation, dropped and duplicated entries, unsafe entry names (built with python3
# tarfile, which writes names verbatim). Each must be rejected with its specific error.
source "$(dirname "$0")/lib.sh"

hex() { echo "${1#*:}"; }
ocitool archive-info "$FIX/image.oci.tar" >"$WORK/info.json"
MANIFEST=$(jget "$WORK/info.json" 'd["manifestDigest"]')
CONFIG=$(jget "$WORK/info.json" 'd["configDigest"]')
L0=$(jget "$WORK/info.json" 'd["layers"][0]["digest"]')
L1=$(jget "$WORK/info.json" 'd["layers"][1]["digest"]')
DIFF_IDS=($(jget "$WORK/info.json" '" ".join(d["diffIds"])'))
blob_entry() { echo "blobs/sha256/${1#*:}"; }
printf 'evil\n' >"$WORK/evil.txt"

oci_copy() { cp "$FIX/image.oci.tar" "$WORK/$1.tar"; echo "$WORK/$1.tar"; }
docker_copy() { cp "$FIX/image.docker.tar" "$WORK/$1.tar"; echo "$WORK/$1.tar"; }

# ================================================================ oci-archive
# Entries in another order (index.json and oci-layout first, blobs reversed) still verify.
A="$WORK/reordered.tar"
ocitool tar-edit "$FIX/image.oci.tar" "$A" --order reverse
check_eq "fixture: reordered archive starts with oci-layout" "$(ocitool tar-names "$A" | head -1)" oci-layout
expect_verified "oci-archive with entries in reverse order" -- "$A"

# --- flipped bytes inside the tar entries
A=$(oci_copy layer-flip)
ocitool tar-flip "$A" "$(blob_entry "$L0")" >/dev/null
expect_rejected digest-mismatch "$(hex "$L0")" -- "$A"

A=$(oci_copy config-flip)
ocitool tar-flip "$A" "$(blob_entry "$CONFIG")" >/dev/null
expect_rejected digest-mismatch "$(hex "$CONFIG")" -- "$A"

A=$(oci_copy manifest-flip)
ocitool tar-flip "$A" "$(blob_entry "$MANIFEST")" >/dev/null
expect_rejected digest-mismatch "$(hex "$MANIFEST")" -- "$A"

# --- truncation: inside the big layer's data, inside a tar header, and a truncated .tar.gz
A="$WORK/trunc-data.tar"
SIZE=$(stat -c %s "$FIX/image.oci.tar")
head -c $((SIZE / 2)) "$FIX/image.oci.tar" >"$A"
L0_END=$(ocitool tar-member-end "$FIX/image.oci.tar" "$(blob_entry "$L0")")
L0_SIZE=$(jget "$WORK/info.json" 'd["layers"][0]["size"]')
check_eq "fixture: the cut lies inside layer 0's data" "$((SIZE / 2 > L0_END - L0_SIZE && SIZE / 2 < L0_END))" 1
# the message names the entry that ends early
expect_rejected archive-truncated "$(hex "$L0")" -- "$A"

A="$WORK/trunc-header.tar"
END=$(ocitool tar-member-end "$FIX/image.oci.tar" "$(blob_entry "$L0")")
# data is padded to 512; the next header starts at the next multiple of 512: cut 100 bytes into it
head -c $(((END + 511) / 512 * 512 + 100)) "$FIX/image.oci.tar" >"$A"
expect_rejected archive-truncated "" -- "$A"

A="$WORK/trunc.tar.gz"
GZSIZE=$(stat -c %s "$FIX/image.oci.tar.gz")
head -c $((GZSIZE * 2 / 3)) "$FIX/image.oci.tar.gz" >"$A"
expect_rejected archive-truncated "" -- "$A"

# --- a dropped blob
A="$WORK/drop-layer.tar"
ocitool tar-edit "$FIX/image.oci.tar" "$A" --drop "$(blob_entry "$L1")"
expect_rejected blob-missing "$(hex "$L1")" -- "$A"

# --- unsafe entry names: path traversal, absolute, traversal through a subdirectory
A="$WORK/traversal.tar"
ocitool tar-edit "$FIX/image.oci.tar" "$A" --append "../x=$WORK/evil.txt"
check_eq "fixture: archive holds '../x'" "$(ocitool tar-names "$A" | grep -cx '\.\./x')" 1
expect_rejected unsafe-path "../x" -- "$A"

A="$WORK/absolute.tar"
ocitool tar-edit "$FIX/image.oci.tar" "$A" --append "/etc/evil=$WORK/evil.txt"
check_eq "fixture: archive holds '/etc/evil'" "$(ocitool tar-names "$A" | grep -cx '/etc/evil')" 1
expect_rejected unsafe-path "/etc/evil" -- "$A"

A="$WORK/traversal-deep.tar"
ocitool tar-edit "$FIX/image.oci.tar" "$A" --first "blobs/../../escape=$WORK/evil.txt"
expect_rejected unsafe-path "blobs/../../escape" -- "$A"

# --- duplicate entries with different content
A="$WORK/dup-index.tar"
tar -xOf "$FIX/image.oci.tar" index.json | "$PYTHON" -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=1))' >"$WORK/index-pretty.json"
ocitool tar-edit "$FIX/image.oci.tar" "$A" --append "index.json=$WORK/index-pretty.json"
check_eq "fixture: index.json twice" "$(ocitool tar-names "$A" | grep -cx index.json)" 2
expect_rejected archive-duplicate-entry "index.json" -- "$A"

A="$WORK/dup-blob.tar"
ocitool tar-edit "$FIX/image.oci.tar" "$A" --append "$(blob_entry "$L1")=$WORK/evil.txt"
expect_rejected archive-duplicate-entry "$(hex "$L1")" -- "$A"

# --- JSON over the 4 MiB document limit as index.json inside the archive
A="$WORK/big-index.tar"
ocitool big-index "$WORK/big-index.json" $((5 * 1024 * 1024))
ocitool tar-edit "$FIX/image.oci.tar" "$A" --replace "index.json=$WORK/big-index.json"
expect_rejected json-too-large "index.json" -- "$A"

# --- forcing the wrong kind: an oci-archive read as docker-archive has no manifest.json
expect_rejected archive-malformed "manifest.json" -- "docker-archive:$FIX/image.oci.tar"

# ================================================================ docker-archive
D0="${DIFF_IDS[0]}"
D1="${DIFF_IDS[1]}"

# A flipped byte in an uncompressed layer: its only identity is the config's diff_id.
A=$(docker_copy d-layer-flip)
ocitool tar-flip "$A" "$(hex "$D0").tar" >/dev/null
expect_rejected diff-id-mismatch "$(hex "$D0")" -- "$A"

A="$WORK/d-trunc.tar"
DSIZE=$(stat -c %s "$FIX/image.docker.tar")
head -c $((DSIZE / 2)) "$FIX/image.docker.tar" >"$A"
D0_END=$(ocitool tar-member-end "$FIX/image.docker.tar" "$(hex "$D0").tar")
check_eq "fixture: the cut lies inside the first layer's data" "$((DSIZE / 2 < D0_END))" 1
expect_rejected archive-truncated "$(hex "$D0")" -- "$A"

A="$WORK/d-drop.tar"
ocitool tar-edit "$FIX/image.docker.tar" "$A" --drop "$(hex "$D1").tar"
expect_rejected blob-missing "$(hex "$D1")" -- "$A"

# manifest.json naming a layer outside the archive root
A="$WORK/d-manifest-traversal.tar"
tar -xOf "$FIX/image.docker.tar" manifest.json |
    "$PYTHON" -c 'import json,sys; m=json.load(sys.stdin); m[0]["Layers"][1]="../"+m[0]["Layers"][1]; print(json.dumps(m))' \
        >"$WORK/manifest-traversal.json"
ocitool tar-edit "$FIX/image.docker.tar" "$A" --replace "manifest.json=$WORK/manifest-traversal.json"
expect_rejected unsafe-path "../$(hex "$D1").tar" -- "$A"

A="$WORK/d-absolute.tar"
ocitool tar-edit "$FIX/image.docker.tar" "$A" --append "/etc/evil=$WORK/evil.txt"
expect_rejected unsafe-path "/etc/evil" -- "$A"

A="$WORK/d-dup-manifest.tar"
tar -xOf "$FIX/image.docker.tar" manifest.json |
    "$PYTHON" -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=2))' >"$WORK/manifest-pretty.json"
ocitool tar-edit "$FIX/image.docker.tar" "$A" --append "manifest.json=$WORK/manifest-pretty.json"
expect_rejected archive-duplicate-entry "manifest.json" -- "$A"

finish
