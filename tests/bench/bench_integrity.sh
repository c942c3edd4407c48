#!/usr/bin/env bash
# Integrity-verification benchmark (not a ctest test; results go to docs/benchmarks.md).
#
#   tests/bench/bench_integrity.sh [--size-mib N] [--runs N] [--no-zstd] [--markdown FILE] [--generate-only]
#
# Generates (once, cached) a real multi-layer gzip image of ~1 GiB uncompressed with umoci:
# regular files taken in sorted order from /usr (binaries, libraries, headers, text: realistic,
# semi-compressible content), split into 5 layers of 40/25/20/10/5 %. skopeo exports it as an
# oci-archive (and, unless --no-zstd, a zstd-layer oci-archive). Then, in one run with a warm page
# cache, it times side by side (median of --runs, default 3; a warm-up run first):
#   edgeverify verify --integrity-only   on the oci-archive and on the OCI layout
#   sha256sum, openssl dgst -sha256      over the archive
#   gzip -dc                             of the layer blobs
#   python3 zlib + hashlib               hash stored bytes, inflate, hash inflated (1 thread): the
#                                        work the verifier does, in the simplest form
#   skopeo copy oci-archive: -> oci:     (also checks digests)
# with wall time, MB/s (10^6 B/s) of uncompressed and stored bytes and peak RSS (/usr/bin/time).
# Prints a markdown table and the machine description; --markdown FILE also writes them there.
#
# Environment: EDGEVERIFY (binary; default build/src/edgeverify), BENCH_DIR (cache; default
# build/bench-fixtures), EDGEVERIFY_BUILD_DIR.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${EDGEVERIFY_BUILD_DIR:-$SRC_DIR/build}
EDGEVERIFY=${EDGEVERIFY:-$BUILD_DIR/src/edgeverify}
BENCH_DIR=${BENCH_DIR:-$BUILD_DIR/bench-fixtures}
SIZE_MIB=1024
RUNS=3
ZSTD=1
MARKDOWN=""
GENERATE_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --size-mib) SIZE_MIB=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --no-zstd) ZSTD=0; shift ;;
        --markdown) MARKDOWN=$2; shift 2 ;;
        --generate-only) GENERATE_ONLY=1; shift ;;
        *) echo "bench_integrity: unknown argument $1" >&2; exit 2 ;;
    esac
done

die() { echo "bench_integrity: $*" >&2; exit 1; }
for t in umoci skopeo gzip zstd sha256sum openssl python3 lscpu; do
    command -v "$t" >/dev/null || die "required tool '$t' missing (scripts/install-deps.sh test)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time missing (package time)"
[ -x "$EDGEVERIFY" ] || [ "$GENERATE_ONLY" -eq 1 ] || die "edgeverify binary not found: $EDGEVERIFY"
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi

SKOPEO=(skopeo)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/edgeverify-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
if [ ! -f /etc/containers/policy.json ]; then
    printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$TMP/policy.json"
    SKOPEO=(skopeo --policy "$TMP/policy.json")
fi

GEN_VERSION=1
DATA="$BENCH_DIR/v$GEN_VERSION-${SIZE_MIB}mib"

# ------------------------------------------------------------------------------------------------
# Image generation (cached).

generate() {
    local d="$DATA.tmp"
    rm -rf "$d"
    mkdir -p "$d"
    echo "# generating a ${SIZE_MIB} MiB image in $DATA (umoci repack per layer; takes a while)" >&2
    (
        cd "$d"
        umoci init --layout layout
        umoci new --image layout:bench
        umoci unpack --image layout:bench bundle >/dev/null
        # Split sorted regular files of /usr into layers: copy each layer's share, then repack.
        "$PYTHON" - "$SIZE_MIB" bundle/rootfs >"$d/plan.txt" <<'PY'
import os, sys
total = int(sys.argv[1]) * 1024 * 1024
shares = [0.40, 0.25, 0.20, 0.10, 0.05]
files = []
for root, dirs, names in os.walk("/usr"):
    dirs.sort()
    if root.startswith(("/usr/local", "/usr/src")):
        dirs[:] = []
        continue
    for n in sorted(names):
        p = os.path.join(root, n)
        try:
            st = os.lstat(p)
        except OSError:
            continue
        if os.path.islink(p) or not os.path.isfile(p) or st.st_size == 0 or st.st_size > 64 << 20:
            continue
        if not os.access(p, os.R_OK):
            continue
        files.append((p, st.st_size))
layer, acc, target = 0, 0, shares[0] * total
for p, size in files:
    if layer >= len(shares):
        break
    print("%d\t%s" % (layer, p))
    acc += size
    if acc >= target:
        layer += 1
        acc = 0
        target = shares[layer] * total if layer < len(shares) else 0
if layer < len(shares) - 1:
    sys.exit("not enough data under /usr for %d MiB" % (total >> 20))
PY
        local i
        for i in 0 1 2 3 4; do
            awk -F'\t' -v L="$i" '$1 == L { print $2 }' plan.txt | sed 's|^/||' >"list$i.txt"
            { tar -C / --files-from="list$i.txt" -cf - 2>/dev/null || true; } | tar -C bundle/rootfs -xf -
            echo "#   layer $i: $(wc -l <"list$i.txt") files" >&2
            umoci repack --refresh-bundle --image layout:bench bundle
        done
        umoci config --image layout:bench --config.cmd /bin/true
        umoci gc --layout layout
        rm -rf bundle list*.txt plan.txt
        "${SKOPEO[@]}" copy --quiet oci:layout:bench oci-archive:image.oci.tar:localhost/edgeverify/bench:1.0
        if [ "$ZSTD" -eq 1 ]; then
            "${SKOPEO[@]}" copy --quiet --dest-compress --dest-compress-format zstd \
                oci:layout:bench oci-archive:image-zstd.oci.tar:localhost/edgeverify/bench:1.0-zstd
        fi
        # Stored and uncompressed layer sizes, measured once by independent tools.
        "$PYTHON" - layout >sizes.txt <<'PY'
import json, os, sys, zlib
root = sys.argv[1]
idx = json.load(open(os.path.join(root, "index.json")))
m = json.load(open(os.path.join(root, "blobs/sha256", idx["manifests"][0]["digest"].split(":")[1])))
stored = unc = 0
paths = []
for l in m["layers"]:
    p = os.path.join(root, "blobs/sha256", l["digest"].split(":")[1])
    paths.append(p)
    stored += l["size"]
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(p, "rb") as f:
        while True:
            c = f.read(1 << 20)
            if not c:
                break
            unc += len(d.decompress(c))
print("LAYERS=%d" % len(m["layers"]))
print("STORED=%d" % stored)
print("UNCOMPRESSED=%d" % unc)
print("LAYER_PATHS='%s'" % " ".join(paths))
PY
    )
    mv "$d" "$DATA"
}

mkdir -p "$BENCH_DIR"
if [ ! -f "$DATA/sizes.txt" ] || { [ "$ZSTD" -eq 1 ] && [ ! -f "$DATA/image-zstd.oci.tar" ]; }; then
    generate
fi
[ "$GENERATE_ONLY" -eq 1 ] && { echo "# image ready in $DATA" >&2; exit 0; }
cd "$DATA"
# shellcheck disable=SC1091
source ./sizes.txt
ARCHIVE="$DATA/image.oci.tar"
ARCHIVE_BYTES=$(stat -c %s "$ARCHIVE")
read -r -a LAYER_FILES <<<"$LAYER_PATHS"

# The verifier must accept the image before we time it.
"$EDGEVERIFY" verify "$ARCHIVE" --integrity-only --json >"$TMP/check.json" ||
    die "edgeverify does not verify the benchmark image (exit $?): $(head -c 2000 "$TMP/check.json")"

# ------------------------------------------------------------------------------------------------
# Timing: warm-up run, then RUNS timed runs; median wall time and the max RSS of the median run.

ROWS=()
# measure NAME UNCOMPRESSED_BYTES STORED_BYTES -- CMD...
measure() {
    local name=$1 ubytes=$2 sbytes=$3
    shift 4
    "$@" >/dev/null 2>"$TMP/err" || die "$name failed: $(cat "$TMP/err")"
    local i results=() load
    load=$(cut -d' ' -f1 /proc/loadavg)
    for ((i = 0; i < RUNS; i++)); do
        if [ -n "${BENCH_SETUP:-}" ]; then eval "$BENCH_SETUP"; fi
        /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" || die "$name failed: $(cat "$TMP/err")"
        results+=("$(cat "$TMP/time")")
    done
    local median
    median=$(printf '%s\n' "${results[@]}" | sort -n -k1,1 | sed -n "$(((RUNS + 1) / 2))p")
    local wall=${median% *} rss=${median#* }
    local row
    row=$("$PYTHON" - "$name" "$wall" "$rss" "$ubytes" "$sbytes" "$load" <<'PY'
import sys
name, wall, rss, u, s = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
mbs = lambda b: "%.0f" % (b / wall / 1e6) if b and wall > 0 else "–"
print("| %s | %.2f | %s | %s | %.1f | %s |" % (name, wall, mbs(u), mbs(s), rss / 1024, sys.argv[6]))
PY
)
    ROWS+=("$row")
    echo "$row" >&2
}

# What the verifier does, in its simplest form: hash the stored bytes, inflate, hash the inflated
# stream; single-threaded Python (OpenSSL SHA-256, zlib).
cat >"$TMP/reference.py" <<'PY'
import hashlib, sys, zlib
for p in sys.argv[1:]:
    hs, hu = hashlib.sha256(), hashlib.sha256()
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(p, "rb") as f:
        while True:
            c = f.read(1 << 20)
            if not c:
                break
            hs.update(c)
            hu.update(d.decompress(c))
    hu.update(d.flush())
PY

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# image: $LAYERS layers, stored $STORED B, uncompressed $UNCOMPRESSED B, archive $ARCHIVE_BYTES B" >&2
measure "edgeverify verify --integrity-only (oci-archive)" "$UNCOMPRESSED" "$ARCHIVE_BYTES" -- \
    "$EDGEVERIFY" verify "$ARCHIVE" --integrity-only --json
measure "edgeverify verify --integrity-only (OCI layout)" "$UNCOMPRESSED" "$STORED" -- \
    "$EDGEVERIFY" verify "$DATA/layout" --integrity-only --json
measure "sha256sum (archive)" 0 "$ARCHIVE_BYTES" -- sha256sum "$ARCHIVE"
measure "openssl dgst -sha256 (archive)" 0 "$ARCHIVE_BYTES" -- openssl dgst -sha256 "$ARCHIVE"
measure "gzip -dc (layer blobs)" "$UNCOMPRESSED" "$STORED" -- gzip -dc "${LAYER_FILES[@]}"
measure "python3 zlib+hashlib: hash, inflate, hash (1 thread)" "$UNCOMPRESSED" "$STORED" -- "$PYTHON" "$TMP/reference.py" "${LAYER_FILES[@]}"
BENCH_SETUP='rm -rf "$TMP/skopeo-out"' \
    measure "skopeo copy oci-archive: -> oci:" "$UNCOMPRESSED" "$ARCHIVE_BYTES" -- \
    "${SKOPEO[@]}" copy --quiet "oci-archive:$ARCHIVE" "oci:$TMP/skopeo-out:bench"
rm -rf "$TMP/skopeo-out"

if [ "$ZSTD" -eq 1 ]; then
    ZARCHIVE="$DATA/image-zstd.oci.tar"
    ZBYTES=$(stat -c %s "$ZARCHIVE")
    mkdir -p "$TMP/zstd"
    tar -C "$TMP/zstd" -xf "$ZARCHIVE"
    mapfile -t ZLAYERS < <("$PYTHON" -c '
import json, sys
r = sys.argv[1]
i = json.load(open(r + "/index.json"))
m = json.load(open(r + "/blobs/sha256/" + i["manifests"][0]["digest"].split(":")[1]))
for l in m["layers"]:
    print(r + "/blobs/sha256/" + l["digest"].split(":")[1])' "$TMP/zstd")
    measure "edgeverify verify --integrity-only (zstd oci-archive)" "$UNCOMPRESSED" "$ZBYTES" -- \
        "$EDGEVERIFY" verify "$ZARCHIVE" --integrity-only --json
    measure "zstd -dc (zstd layer blobs)" "$UNCOMPRESSED" "$ZBYTES" -- zstd -dc -q "${ZLAYERS[@]}"
    rm -rf "$TMP/zstd"
fi

# ------------------------------------------------------------------------------------------------
# Report.

report() {
    local ev_version
    ev_version=$("$EDGEVERIFY" --version 2>/dev/null | head -1 || true)
    echo "Machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores" \
        "($(lscpu | sed -n 's/^Flags:.*\(sha_ni\).*/sha_ni/p' | head -1)), $(awk '/^MemTotal:/{printf "%.0f", $2/1048576}' /proc/meminfo) GiB RAM," \
        "kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")."
    echo "Load average before the timed runs: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every row alike)."
    echo "edgeverify: ${ev_version:-unknown version} ($EDGEVERIFY); gzip $(gzip --version | head -1 | awk '{print $2}')," \
        "zstd $(zstd --version | grep -o 'v[0-9.]*' | head -1), $(openssl version | awk '{print $1, $2}'), skopeo $(skopeo --version | awk '{print $3}')," \
        "umoci $(umoci --version | awk '{print $3}'), Python $("$PYTHON" -c 'import platform; print(platform.python_version())')."
    echo
    echo "Image: $LAYERS gzip layers built by umoci from files under /usr, uncompressed $UNCOMPRESSED B" \
        "($((UNCOMPRESSED / 1048576)) MiB), stored $STORED B (ratio $("$PYTHON" -c "print('%.2f' % ($UNCOMPRESSED / $STORED))")), oci-archive $ARCHIVE_BYTES B."
    echo "Median of $RUNS runs after a warm-up run (page cache warm). MB/s = 10^6 B/s; '–' = not applicable."
    echo
    echo "| command | wall s | MB/s uncompressed | MB/s stored | peak RSS MiB | load (1 min) at start |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
}
report | tee "$TMP/report.md"
if [ -n "$MARKDOWN" ]; then
    cp "$TMP/report.md" "$MARKDOWN"
fi
