#!/usr/bin/env bash
# Hostile and broken input: empty and random files, incomplete layouts, nonexistent and
# unreadable paths, usage errors, JSON over the size and depth limits, a decompression bomb.
source "$(dirname "$0")/lib.sh"

hex() { echo "${1#*:}"; }

# --- empty file, random bytes, gzip of random bytes: not an archive (exit 1)
: >"$WORK/empty.tar"
expect_rejected archive-malformed "empty.tar" -- "$WORK/empty.tar"
expect_rejected archive-malformed "empty.tar" -- "oci-archive:$WORK/empty.tar"
"$PYTHON" -c 'import random,sys; r=random.Random(20261127); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(262144)))' >"$WORK/random.bin"
expect_rejected archive-malformed "random.bin" -- "$WORK/random.bin"
expect_rejected archive-malformed "random.bin" -- "docker-archive:$WORK/random.bin"
gzip -c -n "$WORK/random.bin" >"$WORK/random.tar.gz"
expect_rejected archive-malformed "random.tar.gz" -- "$WORK/random.tar.gz"

# --- directories that are not OCI layouts
mkdir "$WORK/no-oci-layout"
cp "$FIX/single/index.json" "$WORK/no-oci-layout/"
cp -a "$FIX/single/blobs" "$WORK/no-oci-layout/"
expect_rejected archive-malformed "oci-layout" -- "$WORK/no-oci-layout"
mkdir "$WORK/no-index"
cp "$FIX/single/oci-layout" "$WORK/no-index/"
cp -a "$FIX/single/blobs" "$WORK/no-index/"
expect_rejected archive-malformed "index.json" -- "$WORK/no-index"

# --- nonexistent paths (exit 3)
expect_error 3 not-found "$WORK/does-not-exist" -- verify "$WORK/does-not-exist" --integrity-only
expect_error 3 not-found "$WORK/does-not-exist.tar" -- verify "oci-archive:$WORK/does-not-exist.tar" --integrity-only
expect_error 3 not-found "$WORK/nodir" -- verify "oci:$WORK/nodir" --integrity-only

# --- unreadable sources (exit 3): run as nobody when root, since root reads everything
if [ "$(id -u)" -eq 0 ]; then
    EV_PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
chmod 0755 "$WORK"
cp "$FIX/image.oci.tar" "$WORK/private.tar"
chmod 0600 "$WORK/private.tar"
expect_error 3 permission-denied "private.tar" -- verify "$WORK/private.tar" --integrity-only
cp -a "$FIX/single" "$WORK/private-layout"
chmod -R a+rX "$WORK/private-layout"
L1=$(ocitool info "$FIX/single" | ocitool jq - 'd["layers"][1]["digest"]')
chmod 0600 "$(blob_file "$WORK/private-layout" "$L1")"
expect_error 3 permission-denied "$(hex "$L1")" -- verify "$WORK/private-layout" --integrity-only
EV_PREFIX=()
chmod 0700 "$WORK"

# --- usage errors (exit 2)
expect_error 2 usage "--bogus-flag" -- verify "$FIX/single" --integrity-only --bogus-flag
expect_error 2 usage "nonsense" -- verify "$FIX/single" --integrity-only --platform nonsense
expect_error 2 usage "lots" -- verify "$FIX/single" --integrity-only --max-layer-size lots
expect_exit 2 -- "$EDGEVERIFY" verify --integrity-only
expect_exit 2 -- "$EDGEVERIFY" no-such-subcommand
expect_exit 2 -- "$EDGEVERIFY"

# --- JSON limits (4 MiB, depth 64) on index.json of a layout
L=$(fixture_copy single "$WORK/big-index")
ocitool big-index "$L/index.json" $((4 * 1024 * 1024 + 1))
check_eq "fixture: index.json over 4 MiB" "$(($(stat -c %s "$L/index.json") > 4 * 1024 * 1024))" 1
expect_rejected json-too-large "index.json" -- "$L"

L=$(fixture_copy single "$WORK/deep-index")
ocitool deep-index "$L/index.json" 100
expect_rejected json-too-deep "index.json" -- "$L"

# Within the depth limit (object + 60 arrays = 61 levels) the document parses; with no image
# listed, the verdict is no-image, not a JSON limit.
L=$(fixture_copy single "$WORK/deep-ok-index")
ocitool deep-index "$L/index.json" 60
expect_rejected no-image "index.json" -- "$L"

# Not JSON at all
L=$(fixture_copy single "$WORK/garbage-index")
printf '{"schemaVersion":2,"manifests":[' >"$L/index.json"
expect_rejected json-malformed "index.json" -- "$L"

# Duplicate keys (strict parsing)
L=$(fixture_copy single "$WORK/dupkey-index")
"$PYTHON" - "$L/index.json" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
assert s.startswith('{"schemaVersion":2,')
open(p, "w").write('{"schemaVersion":2,"schemaVersion":2,' + s[len('{"schemaVersion":2,'):])
PY
expect_rejected json-duplicate-key "schemaVersion" -- "$L"

# --- decompression bomb: 128 MiB of zeros in a ~130 KB gzip layer (umoci-built)
BOMB_LAYER=$(ocitool info "$FIX/bomb" | ocitool jq - 'd["layers"][0]["digest"]')
BOMB_STORED=$(ocitool info "$FIX/bomb" | ocitool jq - 'd["layers"][0]["size"]')
check_eq "fixture: bomb layer stored under 1 MiB" "$((BOMB_STORED < 1048576))" 1
expect_rejected limit-exceeded "$(hex "$BOMB_LAYER")" -- "$FIX/bomb" --max-layer-size 16777216
# The default limit (16 GiB) lets the honest 128 MiB layer through.
expect_verified "bomb layer under the default limit" -- "$FIX/bomb"
check_eq "bomb: uncompressedSize over 128 MiB" \
    "$(jget "$WORK/verified.json" 'd["images"][0]["layers"][0]["uncompressedSize"] > 128*1024*1024')" true

finish
