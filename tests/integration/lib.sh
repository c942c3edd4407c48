# Shared helpers for the integration tests (sourced by tests/integration/test_*.sh).
#
# Environment (set by ctest, see tests/CMakeLists.txt):
#   EDGEVERIFY             path to the edgeverify binary
#   EDGEVERIFY_SOURCE_DIR  repository root (default: two levels above this file)
#   EDGEVERIFY_BUILD_DIR   build tree; fixtures are cached in $EDGEVERIFY_BUILD_DIR/test-fixtures
#
# Fixtures are built with independent tools only (umoci, skopeo, GNU tar, gzip, python3's
# tarfile/hashlib); edgeverify never produces its own test input. Assertions never stop a script
# early: every failure is printed as "not ok - ..." with the evidence, and the script exits 1 at
# the end if any assertion failed. A missing tool is a failure, never a skip.

set -euo pipefail
shopt -s inherit_errexit

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EDGEVERIFY_SOURCE_DIR=${EDGEVERIFY_SOURCE_DIR:-$(cd "$IT_DIR/../.." && pwd)}
EDGEVERIFY_BUILD_DIR=${EDGEVERIFY_BUILD_DIR:-$EDGEVERIFY_SOURCE_DIR/build}
EDGEVERIFY=${EDGEVERIFY:-$EDGEVERIFY_BUILD_DIR/src/edgeverify}
OCITOOL="$IT_DIR/ocitool.py"
# Debian's python3 when present (what scripts/install-deps.sh installs), else the one on PATH.
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=$(command -v python3 || true); fi
# Per-run ceiling for one edgeverify invocation: a hang is a failure, not a stuck ctest.
EV_TIMEOUT=${EV_TIMEOUT:-120}

TEST_NAME=$(basename "${0%.sh}")
FAILURES=0
PASSES=0

bail() {  # fatal: setup cannot continue
    echo "FATAL [$TEST_NAME]: $*" >&2
    exit 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/edgeverify-it.$TEST_NAME.XXXXXX")
_it_cleanup() {
    local rc=$?
    chmod -R u+rwX "$WORK" 2>/dev/null || true
    rm -rf "$WORK"
    exit "$rc"
}
trap _it_cleanup EXIT

make_server_pki() {  # make_server_pki DIR: DIR/ca.{key,pem} (a test CA), DIR/server.{key,pem} for DNS:localhost
    local dir=$1
    mkdir -p "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$TEST_NAME CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
        -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
        -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
    [ -s "$dir/server.pem" ] || bail "openssl did not make the server certificate"
}

require_tools() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || bail "required tool '$t' is not installed (scripts/install-deps.sh test)"
    done
}
require_tools umoci skopeo tar gzip zstd flock timeout sha256sum
[ -n "$PYTHON" ] || bail "python3 is not installed"
[ -x /bin/busybox ] || bail "/bin/busybox missing (busybox-static)"
[ -x "$EDGEVERIFY" ] || bail "edgeverify binary not found or not executable: $EDGEVERIFY"

ocitool() { "$PYTHON" "$OCITOOL" "$@"; }

# skopeo needs a signature policy; Debian ships /etc/containers/policy.json with
# golang-github-containers-common, but a minimal machine may lack it.
SKOPEO=(skopeo)
if [ ! -f /etc/containers/policy.json ]; then
    printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$WORK/policy.json"
    SKOPEO=(skopeo --policy "$WORK/policy.json")
fi
skopeo_copy() { "${SKOPEO[@]}" copy --quiet "$@"; }

wait_until() {  # wait_until SECONDS CMD...: 0 once CMD succeeds, 1 after SECONDS
    local deadline=$((SECONDS + $1))
    shift
    while [ "$SECONDS" -lt "$deadline" ]; do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    return 1
}

# ------------------------------------------------------------------------------------------------
# Assertions. Each prints "ok - DESC" or "not ok - DESC" plus evidence, and never exits.

pass() { PASSES=$((PASSES + 1)); echo "ok - $*"; }
fail() { FAILURES=$((FAILURES + 1)); echo "not ok - $*"; }

finish() {
    echo "# $TEST_NAME: $PASSES passed, $FAILURES failed"
    [ "$FAILURES" -eq 0 ]
}

check_eq() {  # check_eq DESC ACTUAL EXPECTED
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}

# Evaluate a Python expression over a JSON file (d = the document); prints '<invalid JSON>' when
# the file does not parse, so comparisons fail with evidence instead of aborting the script.
jget() {  # jget FILE EXPR
    "$PYTHON" - "$1" "$2" <<'PY' 2>/dev/null || echo "<error evaluating $2>"
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("<invalid JSON>"); sys.exit(0)
v = eval(sys.argv[2], {"d": d, "len": len, "sorted": sorted, "set": set, "any": any, "all": all})
print(v if isinstance(v, str) else json.dumps(v))
PY
}

_show_run() {  # evidence of the last run
    echo "    command: ${LAST_CMD[*]}"
    echo "    exit: $RC"
    # head first, so no SIGPIPE (with pipefail and errexit that would end the script)
    head -c 3000 "$WORK/last.out" | sed -e 's/^/    stdout: /' || true
    echo
    head -c 3000 "$WORK/last.err" | sed -e 's/^/    stderr: /' || true
    echo
}

# run_ev ARGS...: run edgeverify, stdout -> $WORK/last.out, stderr -> $WORK/last.err, exit in RC.
# EV_PREFIX (an array, normally empty) is put before the binary, e.g. (setpriv --reuid=...).
EV_PREFIX=()
run_ev() {
    LAST_CMD=("${EV_PREFIX[@]}" "$EDGEVERIFY" "$@")
    set +e
    timeout --kill-after=5 "$EV_TIMEOUT" "${EV_PREFIX[@]}" "$EDGEVERIFY" "$@" >"$WORK/last.out" 2>"$WORK/last.err"
    RC=$?
    set -e
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
        echo "    (edgeverify did not finish within ${EV_TIMEOUT}s)"
    fi
}

# expect_exit CODE -- CMD...: run any command, assert its exit code.
expect_exit() {
    local want=$1
    shift
    [ "$1" == "--" ] && shift
    LAST_CMD=("$@")
    set +e
    timeout --kill-after=5 "$EV_TIMEOUT" "$@" >"$WORK/last.out" 2>"$WORK/last.err"
    RC=$?
    set -e
    if [ "$RC" -eq "$want" ]; then
        pass "exit $want: $*"
    else
        fail "exit $want expected: $*"
        _show_run
    fi
}

# expect_verified DESC -- SOURCE [ARGS...]: verify --integrity-only --json exits 0 with
# result "verified", no errors and every image and layer "pass". The JSON stays in $WORK/last.out
# (copied to $WORK/verified.json) for further checks.
expect_verified() {
    local desc=$1
    shift
    [ "$1" == "--" ] && shift
    run_ev verify "$@" --integrity-only --json
    cp "$WORK/last.out" "$WORK/verified.json"
    local verdict
    verdict=$(jget "$WORK/last.out" \
        'd.get("result")=="verified" and d.get("errors",[])==[] and len(d.get("images",[]))>0 and all(i.get("result")=="pass" and len(i.get("layers",[]))>0 and all(l.get("result")=="pass" for l in i["layers"]) for i in d["images"])')
    if [ "$RC" -eq 0 ] && [ "$verdict" == "true" ]; then
        pass "verified: $desc"
    else
        fail "verified: $desc (exit 0, result verified, all images and layers pass expected)"
        _show_run
    fi
}

# Search every error in a --json document (top-level errors[], images[].error, layers[].error)
# for CODE with a message containing SUBSTRING. Prints "top", "nested" or "none".
_find_error() {  # FILE CODE SUBSTRING
    "$PYTHON" - "$@" <<'PY'
import json, sys
path, code, sub = sys.argv[1:4]
try:
    d = json.load(open(path))
except Exception:
    print("invalid-json"); sys.exit(0)
def match(e):
    return isinstance(e, dict) and e.get("code") == code and sub in str(e.get("message", ""))
if any(match(e) for e in d.get("errors", []) or []):
    print("top"); sys.exit(0)
for i in d.get("images", []) or []:
    if match(i.get("error")) or any(match(l.get("error")) for l in i.get("layers", []) or []):
        print("nested"); sys.exit(0)
print("none")
PY
}

# expect_rejected CODE SUBSTRING -- SOURCE [ARGS...]
#   1. `verify SOURCE ARGS --integrity-only --json` exits 1, prints result "rejected" and an error
#      (top-level errors[], or an image's or layer's error) with code CODE whose message contains
#      SUBSTRING;
#   2. the same without --json exits 1 and prints `edgeverify: rejected: CODE: ...SUBSTRING...`
#      on stderr.
expect_rejected() {
    local code=$1 sub=$2
    shift 2
    [ "$1" == "--" ] && shift
    local what="rejected $code ('$sub'): ${*}"
    run_ev verify "$@" --integrity-only --json
    local result found
    result=$(jget "$WORK/last.out" 'd.get("result")')
    found=$(_find_error "$WORK/last.out" "$code" "$sub")
    if [ "$RC" -eq 1 ] && [ "$result" == "rejected" ] && { [ "$found" == "top" ] || [ "$found" == "nested" ]; }; then
        pass "$what [json]"
    else
        fail "$what [json]: exit=$RC result=$result error-match=$found"
        _show_run
    fi
    run_ev verify "$@" --integrity-only
    if [ "$RC" -eq 1 ] && grep -F "edgeverify: rejected: $code: " "$WORK/last.err" | grep -qF -- "$sub"; then
        pass "$what [human]"
    else
        fail "$what [human]: exit=$RC, wanted stderr line 'edgeverify: rejected: $code: ...$sub...'"
        _show_run
    fi
}

# expect_error EXIT CODE SUBSTRING -- ARGS...: usage/I-O errors (exit 2 or 3). With --json the
# document says result "error" and lists CODE; without, stderr names the problem.
expect_error() {
    local want=$1 code=$2 sub=$3
    shift 3
    [ "$1" == "--" ] && shift
    local what="error exit $want $code ('$sub'): ${*}"
    # --json right after the subcommand, so it is seen before whatever is wrong later on the line
    run_ev "$1" --json "${@:2}"
    local result found
    result=$(jget "$WORK/last.out" 'd.get("result")')
    found=$(_find_error "$WORK/last.out" "$code" "$sub")
    if [ "$RC" -eq "$want" ] && [ "$result" == "error" ] && [ "$found" == "top" ]; then
        pass "$what [json]"
    else
        fail "$what [json]: exit=$RC result=$result error-match=$found"
        _show_run
    fi
    run_ev "$@"
    if [ "$RC" -eq "$want" ] && grep -qF -- "$sub" "$WORK/last.err"; then
        pass "$what [human]"
    else
        fail "$what [human]: exit=$RC, wanted '$sub' on stderr"
        _show_run
    fi
}

# ------------------------------------------------------------------------------------------------
# Fixtures, built once per version stamp and cached; tests copy them before tampering.
#
#   $FIX/layout          umoci layout, tags 1.0 (3 gzip layers) and 1.0-wh (4 layers, the 4th a
#                        whiteout); busybox-static, symlinks, a setuid file, a sticky 1777 dir.
#                        Layers 2-4 come from `umoci insert`, which in umoci 0.4.7 (Debian 12) never
#                        closes its tar writer: those layer tars end right after the last file's
#                        data, without padding or the two zero blocks (opencontainers/umoci#436,
#                        fixed upstream by PR #534 in 2024). GNU tar and Python's tarfile call that
#                        an unexpected EOF; Go's archive/tar (containerd, umoci, skopeo) and bsdtar
#                        accept it. The bytes are still fully covered by the diff_id, so images
#                        made by the distribution's own umoci are expected to verify.
#   $FIX/single          skopeo copy of 1.0-wh into a one-image layout (tag 1.0)
#   $FIX/image.oci.tar   skopeo oci-archive of single (ref localhost/edgeverify/test:1.0), and .gz
#   $FIX/image.docker.tar skopeo docker-archive (localhost/edgeverify/test:1.0), and .gz
#   $FIX/zstd            skopeo --dest-compress-format zstd copy of single; zstd.oci.tar its archive
#   $FIX/plain           control: umoci unpack/repack only (2 layers), plain.oci.tar, plain.docker.tar
#   $FIX/multiarch       umoci images for linux/amd64 and linux/arm64 under one hand-written image
#                        index (tag multi), see ocitool.py make-index
#   $FIX/bomb            umoci image whose only layer holds 128 MiB of zeros (~130 KB gzip)

FIXTURE_STAMP=$(cat "$IT_DIR/lib.sh" "$OCITOOL" <(umoci --version) <(skopeo --version) | sha256sum | cut -c1-16)
FIXTURE_ROOT="$EDGEVERIFY_BUILD_DIR/test-fixtures"
FIX="$FIXTURE_ROOT/v-$FIXTURE_STAMP"

_build_base_rootfs() {  # ROOTFS
    local r=$1
    mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/usr/bin" "$r/var/log"
    cp /bin/busybox "$r/bin/busybox"
    local a
    for a in sh ls cat echo sha256sum; do ln -s busybox "$r/bin/$a"; done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
    # A setuid helper (a shell script: content does not matter, the mode bits do).
    printf '#!/bin/sh\necho privileged\n' >"$r/usr/bin/suidhelper"
    chmod 4755 "$r/usr/bin/suidhelper"
    chmod 1777 "$r/tmp"
    ln -s ../bin/busybox "$r/usr/bin/env"
    seq 1 5000 | sed 's/^/log line /' >"$r/var/log/boot.log"
}

_build_fixtures() {  # DEST
    local d=$1 s="$1/src"
    mkdir -p "$s"
    (
        cd "$d"
        umoci init --layout layout
        umoci new --image layout:base
        umoci unpack --image layout:base bundle >/dev/null
        _build_base_rootfs bundle/rootfs
        umoci repack --image layout:1.0 bundle
        mkdir -p src/l2 src/l3
        printf '{"server":"https://fleet.example.com","interval":30}\n' >src/l2/config.json
        printf 'to be deleted by a whiteout\n' >src/l2/remove-me.txt
        umoci insert --image layout:1.0 src/l2 /etc/agent
        printf 'hello from edgeverify tests\n' >src/l3/hello.txt
        umoci insert --image layout:1.0 src/l3 /app
        umoci config --image layout:1.0 --config.entrypoint /bin/sh --config.cmd -c \
            --config.cmd 'cat /app/hello.txt' --config.env PATH=/bin:/usr/bin \
            --config.label org.example.test=edgeverify
        umoci tag --image layout:1.0 1.0-wh
        umoci insert --image layout:1.0-wh --whiteout /etc/agent/remove-me.txt
        umoci rm --image layout:base
        umoci gc --layout layout
        rm -rf bundle

        skopeo_copy oci:layout:1.0-wh oci:single:1.0
        skopeo_copy oci:single:1.0 oci-archive:image.oci.tar:localhost/edgeverify/test:1.0
        skopeo_copy oci:single:1.0 docker-archive:image.docker.tar:localhost/edgeverify/test:1.0
        gzip -6 -k -n image.oci.tar
        gzip -6 -k -n image.docker.tar
        skopeo_copy --dest-compress --dest-compress-format zstd oci:single:1.0 oci:zstd:1.0
        skopeo_copy oci:zstd:1.0 oci-archive:zstd.oci.tar:localhost/edgeverify/test:1.0-zstd

        # A control image made with `umoci repack` only (well-formed layer tars, see above):
        # 2 layers, and its skopeo exports.
        umoci init --layout plain
        umoci new --image plain:1.0
        umoci unpack --image plain:1.0 bundle >/dev/null
        _build_base_rootfs bundle/rootfs
        umoci repack --refresh-bundle --image plain:1.0 bundle
        mkdir -p bundle/rootfs/app
        printf 'second layer\n' >bundle/rootfs/app/hello.txt
        umoci repack --image plain:1.0 bundle
        rm -rf bundle
        skopeo_copy oci:plain:1.0 oci-archive:plain.oci.tar:localhost/edgeverify/plain:1.0
        skopeo_copy oci:plain:1.0 docker-archive:plain.docker.tar:localhost/edgeverify/plain:1.0

        # Multi-arch: two platform images made by umoci, joined by a hand-written index.
        umoci init --layout multiarch
        umoci new --image multiarch:amd64
        umoci unpack --image multiarch:amd64 bundle >/dev/null
        _build_base_rootfs bundle/rootfs
        umoci repack --image multiarch:amd64 bundle
        rm -rf bundle
        umoci config --image multiarch:amd64 --os linux --architecture amd64
        umoci new --image multiarch:arm64
        mkdir -p src/arm64
        printf 'arm64 payload\n' >src/arm64/README
        umoci insert --image multiarch:arm64 src/arm64 /opt/arm64
        umoci config --image multiarch:arm64 --os linux --architecture arm64
        ocitool make-index multiarch multi amd64=linux/amd64 arm64=linux/arm64 >/dev/null
        umoci gc --layout multiarch 2>/dev/null || true  # umoci gc keeps blobs reachable from index.json

        # Decompression bomb: 128 MiB of zeros in one layer.
        umoci init --layout bomb
        umoci new --image bomb:1.0
        mkdir -p src/bomb
        truncate -s 128M src/bomb/zeros.bin
        umoci insert --image bomb:1.0 src/bomb/zeros.bin /zeros.bin
        rm -rf src
    )
    printf '%s\n' "$FIXTURE_STAMP" >"$d/STAMP"
}

ensure_fixtures() {
    mkdir -p "$FIXTURE_ROOT"
    exec 9>"$FIXTURE_ROOT/.lock"
    flock 9
    if [ ! -f "$FIX/STAMP" ]; then
        echo "# building fixtures in $FIX"
        local tmp="$FIXTURE_ROOT/.building.$$"
        rm -rf "$tmp"
        mkdir -p "$tmp"
        _build_fixtures "$tmp" || { rm -rf "$tmp"; bail "fixture build failed"; }
        # Drop stale versions, then publish atomically.
        find "$FIXTURE_ROOT" -mindepth 1 -maxdepth 1 -name 'v-*' -exec rm -rf {} +
        mv "$tmp" "$FIX"
    fi
    flock -u 9
    exec 9>&-
}
ensure_fixtures

# fixture_copy NAME [DEST]: private copy of a fixture for tampering; prints its path.
fixture_copy() {
    local dest=${2:-$WORK/$1}
    rm -rf "$dest"
    cp -a "$FIX/$1" "$dest"
    echo "$dest"
}

# Digest helpers over a layout copy (index.json -> single manifest).
layout_info() { ocitool info "$@"; }
blob_file() {  # blob_file LAYOUT DIGEST
    echo "$1/blobs/${2%%:*}/${2#*:}"
}

# ------------------------------------------------------------------------------------------------
# Signature tests: trust stores, policies and verdict assertions shared by the bundle and interop
# scripts (test_bundles.sh, test_sigstore_interop.sh).

# The public vector sets, read in place (never copied into the repository).
SHARED_VECTORS=${EDGEVERIFY_SHARED_VECTORS:-$EDGEVERIFY_SOURCE_DIR/../shared/vectors}
# require_vector_set NAME: the set's directory, or a failure (never a skip) when it is absent.
require_vector_set() {
    [ -d "$SHARED_VECTORS/$1" ] || bail "public vector set '$1' not found under $SHARED_VECTORS (set EDGEVERIFY_SHARED_VECTORS)"
    echo "$SHARED_VECTORS/$1"
}

# The npm sigstore packages of tests/interop (scripts/install-deps.sh runs `npm ci` there).
INTEROP_DIR="$EDGEVERIFY_SOURCE_DIR/tests/interop"
require_interop_npm() {
    require_tools node
    [ -f "$INTEROP_DIR/node_modules/@sigstore/verify/package.json" ] &&
        [ -f "$INTEROP_DIR/node_modules/@sigstore/sign/package.json" ] ||
        bail "the npm sigstore packages are not installed in tests/interop/node_modules: run scripts/install-deps.sh"
}
# interop_node SCRIPT ARGS...: a tests/interop script, or any script with its requires resolved
# from tests/interop/node_modules (NODE_PATH), e.g. a public vector script run in place.
interop_node() {
    NODE_PATH="$INTEROP_DIR/node_modules" node "$@"
}

# trust_store_from_pems DIR POLICY_JSON PEM...: a trust directory holding each PEM public key as
# keys/<basename without extension>.pub.
trust_store_from_pems() {
    local dir=$1 policy=$2 pem
    shift 2
    mkdir -p "$dir/keys"
    for pem in "$@"; do
        local name
        name=$(basename "$pem")
        cp "$pem" "$dir/keys/${name%.*}.pub"
    done
    printf '%s\n' "$policy" >"$dir/policy.json"
}
# one_signer_policy MATCH SIGNER [REQUIRE_TLOG]: enforce, threshold 1, one key signer
# keys/SIGNER.pub for references matching MATCH; REQUIRE_TLOG true|false (default false).
one_signer_policy() {
    printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"%s","mode":"enforce","signatures":{"threshold":1,"requireTransparencyLog":%s,"signers":[{"name":"%s","key":"keys/%s.pub"}]}}]}' \
        "$1" "${3:-false}" "$2" "$2"
}

# expect_admitted DESC SIGNER ORIGIN_SUBSTRING -- ARGS: `verify ARGS --json` exits 0, result
# verified, trust pass, SIGNER among the satisfied signers, and an accepted signature whose origin
# contains ORIGIN_SUBSTRING names SIGNER. The document stays in $WORK/admitted.json.
expect_admitted() {
    local desc=$1 signer=$2 origin=$3
    shift 3
    [ "$1" == "--" ] && shift
    run_ev verify "$@" --json
    cp "$WORK/last.out" "$WORK/admitted.json"
    local verdict
    verdict=$(jget "$WORK/last.out" "d.get('result')=='verified' and all(i.get('trust',{}).get('result')=='pass' and '$signer' in i['trust']['satisfiedSigners'] and any(s['result']=='accepted' and s['signer']=='$signer' and '''$origin''' in s['origin'] for s in i['trust']['signatures']) for i in d['images'])")
    if [ "$RC" -eq 0 ] && [ "$verdict" == true ]; then
        pass "admitted: $desc"
    else
        fail "admitted: $desc (exit 0, trust pass, signer $signer from '$origin' expected): exit=$RC"
        _show_run
    fi
}
# expect_trust_error DESC CODE SUBSTRING -- ARGS: `verify ARGS --json` exits 1, result rejected,
# trust error CODE, and SUBSTRING in the trust error or in a refused signature's reason; without
# --json, exit 1 and `edgeverify: rejected: CODE:` on stderr.
expect_trust_error() {
    local desc=$1 code=$2 sub=$3
    shift 3
    [ "$1" == "--" ] && shift
    run_ev verify "$@" --json
    local verdict
    verdict=$(jget "$WORK/last.out" "d.get('result')=='rejected' and any(i.get('trust',{}).get('error',{}).get('code')=='$code' and ('''$sub''' in i['trust']['error']['message'] or any(s['result']=='refused' and '''$sub''' in s['reason'] for s in i['trust']['signatures'])) for i in d['images'])")
    if [ "$RC" -eq 1 ] && [ "$verdict" == true ]; then
        pass "refused: $desc [json]"
    else
        fail "refused: $desc [json] (exit 1, $code, '$sub' in a reason expected): exit=$RC"
        _show_run
    fi
    run_ev verify "$@"
    if [ "$RC" -eq 1 ] && grep -qF "edgeverify: rejected: $code: " "$WORK/last.err"; then
        pass "refused: $desc [human]"
    else
        fail "refused: $desc [human]: exit=$RC, wanted 'edgeverify: rejected: $code: ...'"
        _show_run
    fi
}
# expect_refused DESC SUBSTRING -- ARGS: expect_trust_error with the code `untrusted`.
expect_refused() {
    local desc=$1
    shift
    expect_trust_error "$desc" untrusted "$@"
}
