#!/usr/bin/env bash
# Signature benchmark (not a ctest test; results go to docs/benchmarks.md):
#   1. one signature verification per key type with edgeverify's crypto (mbedTLS, nettle for
#      Ed25519) next to `openssl speed` on the same machine in the same run;
#   2. the whole `verify --trust` on the ~1 GiB image of bench_integrity.sh (signed here with
#      openssl, cosign's format) against `verify --integrity-only`, median of 3 after a warm-up.
# Environment: EDGEVERIFY_BUILD_DIR (default build), BENCH_DIR (default $EDGEVERIFY_BUILD_DIR/bench-fixtures).
set -euo pipefail
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${EDGEVERIFY_BUILD_DIR:-$SRC_DIR/build}
EDGEVERIFY=${EDGEVERIFY:-$BUILD_DIR/src/edgeverify}
BENCH_DIR=${BENCH_DIR:-$BUILD_DIR/bench-fixtures}
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

echo "## One signature verification"
echo
"$BUILD_DIR/tests/edgeverify-crypto-bench" "$SRC_DIR/tests/data/keys"
echo
echo "openssl speed (same machine, same run):"
openssl speed -seconds 2 ecdsap256 ecdsap384 rsa2048 rsa3072 ed25519 2>/dev/null | grep -E "bits|verify/s"
echo

# The 1 GiB image, built by bench_integrity.sh (generated there if missing).
"$SRC_DIR/tests/bench/bench_integrity.sh" --generate-only >/dev/null
LAYOUT=$(ls -d "$BENCH_DIR"/*/layout | head -n 1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# A signed copy that shares the blobs (hard links) and owns its index.json.
cp -al "$LAYOUT" "$WORK/layout"
rm "$WORK/layout/index.json"
cp "$LAYOUT/index.json" "$WORK/layout/index.json"
MANIFEST=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$WORK/layout/index.json")
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/release.key" 2>/dev/null
mkdir -p "$WORK/trust/keys"
openssl pkey -in "$WORK/release.key" -pubout -out "$WORK/trust/keys/release.pub"
printf '{"version":1,"scopes":[{"name":"bench","match":"registry.example.com/bench/*","signatures":{"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' >"$WORK/trust/policy.json"
printf '{"critical":{"identity":{"docker-reference":"registry.example.com/bench/image"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$MANIFEST" >"$WORK/payload"
SIG=$(openssl dgst -sha256 -sign "$WORK/release.key" "$WORK/payload" | base64 -w0)
"$PYTHON" "$SRC_DIR/tests/integration/ocitool.py" add-cosign-sig "$WORK/layout" "$MANIFEST" "$WORK/payload" "$SIG" >/dev/null

median_of_3() {  # after one warm-up run
    "$@" >/dev/null 2>&1
    local times=()
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}
echo "## verify --trust against --integrity-only (1 GiB gzip image, OCI layout)"
echo
echo "| command | wall s (median of 3) |"
echo "|---|---|"
echo "| edgeverify verify --integrity-only | $(median_of_3 "$EDGEVERIFY" verify "$WORK/layout" --integrity-only) |"
echo "| edgeverify verify --trust (1 cosign P-256 signature) | $(median_of_3 "$EDGEVERIFY" verify "$WORK/layout" --trust "$WORK/trust" --reference registry.example.com/bench/image:1) |"
"$EDGEVERIFY" verify "$WORK/layout" --trust "$WORK/trust" --reference registry.example.com/bench/image:1 >/dev/null
echo
echo "Load average: $(cut -d' ' -f1-3 /proc/loadavg)"
