#!/usr/bin/env bash
# Signatures against the trust store: cosign legacy .sig manifests made with openssl (no cosign
# binary exists here), placed beside a umoci/skopeo image in its OCI layout, judged by
# `edgeverify verify --trust DIR`.
source "$(dirname "$0")/lib.sh"
require_tools openssl base64

REF=registry.example.com/fleet/app:1.0
MANIFEST=$(jget "$FIX/single/index.json" 'd["manifests"][0]["digest"]')

# Keys, made by openssl: P-256 (cosign's default), RSA-3072, Ed25519, and a stranger's P-256.
mkdir -p "$WORK/keys"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/keys/release.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$WORK/keys/ops.key" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$WORK/keys/edge.key" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/keys/stranger.key" 2>/dev/null

# payload DIGEST REPOSITORY: cosign's exact payload bytes (Go key order, "optional":null).
payload() {
    printf '{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$2" "$1"
}
sign() {  # sign KEYNAME FILE -> base64 signature as cosign stores it
    case "$1" in
        edge) openssl pkeyutl -sign -rawin -inkey "$WORK/keys/edge.key" -in "$2" | base64 -w0 ;;
        *) openssl dgst -sha256 -sign "$WORK/keys/$1.key" "$2" | base64 -w0 ;;
    esac
}
# trust_store DIR POLICY_JSON KEYNAME...: a trust directory with those public keys.
trust_store() {
    local dir=$1 policy=$2
    shift 2
    mkdir -p "$dir/keys"
    for k in "$@"; do openssl pkey -in "$WORK/keys/$k.key" -pubout -out "$dir/keys/$k.pub" 2>/dev/null; done
    printf '%s\n' "$policy" >"$dir/policy.json"
}
scope_policy() {  # scope_policy MODE THRESHOLD SIGNER_JSON...
    local mode=$1 threshold=$2
    shift 2
    local signers
    signers=$(IFS=,; echo "$*")
    printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"registry.example.com/fleet/*","mode":"%s","signatures":{"threshold":%s,"signers":[%s]}}]}' "$mode" "$threshold" "$signers"
}
signed_layout() {  # signed_layout NAME DIGEST REPOSITORY KEYNAME...: a copy of single with one .sig manifest
    local name=$1 digest=$2 repository=$3 layout
    shift 3
    layout=$(fixture_copy single "$WORK/$name")
    payload "$digest" "$repository" >"$WORK/$name.payload"
    local sigs=()
    for k in "$@"; do sigs+=("$(sign "$k" "$WORK/$name.payload")"); done
    ocitool add-cosign-sig "$layout" "$digest" "$WORK/$name.payload" "${sigs[@]}" >/dev/null
    echo "$layout"
}

# expect_trusted DESC EXPECTED_SIGNERS -- ARGS: exit 0, verified, the policy passed with those signers.
expect_trusted() {
    local desc=$1 signers=$2
    shift 2
    [ "$1" == "--" ] && shift
    run_ev verify "$@" --json
    local result trust got
    result=$(jget "$WORK/last.out" 'd.get("result")')
    trust=$(jget "$WORK/last.out" 'd["images"][0]["trust"]["result"]')
    got=$(jget "$WORK/last.out" 'd["images"][0]["trust"]["satisfiedSigners"]')
    if [ "$RC" -eq 0 ] && [ "$result" == verified ] && [ "$trust" == pass ] && [ "$got" == "$signers" ]; then
        pass "trusted: $desc"
    else
        fail "trusted: $desc: exit=$RC result=$result trust=$trust signers=$got (want $signers)"
        _show_run
    fi
}
# expect_untrusted DESC CODE SUBSTRING -- ARGS: lib.sh's expect_trust_error.
expect_untrusted() { expect_trust_error "$@"; }

REPO=registry.example.com/fleet/app
trust_store "$WORK/trust-one" "$(scope_policy enforce 1 '{"name":"release","key":"keys/release.pub"}')" release

# --- accepted
L=$(signed_layout good "$MANIFEST" "$REPO" release)
expect_trusted "P-256 signature by the release key" '["release"]' -- "$L" --trust "$WORK/trust-one" --reference "$REF"
check_eq "the signature names its origin" "$(jget "$WORK/last.out" 'd["images"][0]["trust"]["signatures"][0]["origin"]')" "sha256-${MANIFEST#sha256:}.sig layer 1/1"
check_eq "the trust store digest is reported" "$(jget "$WORK/last.out" 'd["trustStore"]["digest"][:7]')" "sha256:"
run_ev verify "$L" --trust "$WORK/trust-one" --reference "$REF"
check_eq "human output: exit 0" "$RC" 0
if grep -q "signature sha256-.*accepted, signer release" "$WORK/last.out"; then pass "human output names the signer"; else fail "human output names the signer"; _show_run; fi

# An oci-archive is the layout in a tar (skopeo 1.9 puts one image per oci-archive, so the
# signature manifest travels in a tar of the layout, as cosign save's directory would).
tar -C "$L" -cf "$WORK/good.tar" .
expect_trusted "oci-archive (tar of the signed layout)" '["release"]' -- "$WORK/good.tar" --trust "$WORK/trust-one" --reference "$REF"

# RSA-3072 (PKCS#1 v1.5) and Ed25519 signers.
trust_store "$WORK/trust-rsa-ed" "$(scope_policy enforce 2 '{"name":"ops","key":"keys/ops.pub"}' '{"name":"edge","key":"keys/edge.pub"}')" ops edge
L=$(signed_layout rsa-ed "$MANIFEST" "$REPO" ops edge)
expect_trusted "RSA-3072 and Ed25519 signers, threshold 2" '["ops", "edge"]' -- "$L" --trust "$WORK/trust-rsa-ed" --reference "$REF"

# --- refused
L=$(fixture_copy single "$WORK/unsigned")
expect_untrusted "no signature at all" untrusted "0 of the 1 distinct signer(s)" -- "$L" --trust "$WORK/trust-one" --reference "$REF"

L=$(signed_layout stranger "$MANIFEST" "$REPO" stranger)
expect_untrusted "signed by a key the store does not hold" untrusted "no key signer of scope fleet verifies the signature" -- "$L" --trust "$WORK/trust-one" --reference "$REF"

OTHER=sha256:$(printf '%064d' 7)
L=$(fixture_copy single "$WORK/other-digest")
payload "$OTHER" "$REPO" >"$WORK/other.payload"
ocitool add-cosign-sig "$L" "$MANIFEST" "$WORK/other.payload" "$(sign release "$WORK/other.payload")" >/dev/null
expect_untrusted "a valid signature over another image's digest" untrusted "signs $OTHER, not this image" -- "$L" --trust "$WORK/trust-one" --reference "$REF"

L=$(signed_layout other-repo "$MANIFEST" registry.example.com/fleet/other release)
expect_untrusted "signed for another repository" untrusted "signed for repository registry.example.com/fleet/other" -- "$L" --trust "$WORK/trust-one" --reference "$REF"

L=$(signed_layout flipped "$MANIFEST" "$REPO" release)
PAYLOAD_HEX=$("$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$WORK/flipped.payload")
ocitool flip "$(blob_file "$L" "sha256:$PAYLOAD_HEX")" middle >/dev/null
expect_untrusted "payload blob altered after signing" digest-mismatch "payload of sha256-" -- "$L" --trust "$WORK/trust-one" --reference "$REF"

L=$(signed_layout twice "$MANIFEST" "$REPO" ops ops)
expect_untrusted "one key twice does not meet a threshold of 2" untrusted "1 of the 2 distinct signer(s)" -- "$L" --trust "$WORK/trust-rsa-ed" --reference "$REF"

L=$(signed_layout elsewhere "$MANIFEST" "$REPO" release)
expect_untrusted "no scope matches and the default is reject" untrusted "no scope of the trust policy matches docker.io/library/alpine" -- "$L" --trust "$WORK/trust-one" --reference alpine

expect_untrusted "a docker-archive cannot carry the signed manifest" untrusted "docker-archive cannot carry the signed registry manifest" -- "$FIX/image.docker.tar" --trust "$WORK/trust-one" --reference "$REF"

# Integrity still comes first: a broken layer is rejected before any signature is judged.
L=$(signed_layout broken-layer "$MANIFEST" "$REPO" release)
LAYER=$(jget "$(blob_file "$L" "$MANIFEST")" 'd["layers"][0]["digest"]')
ocitool flip "$(blob_file "$L" "$LAYER")" middle >/dev/null
run_ev verify "$L" --trust "$WORK/trust-one" --reference "$REF" --json
check_eq "tampered layer: exit 1 before trust" "$RC" 1
check_eq "tampered layer: no trust decision" "$(jget "$WORK/last.out" '"trust" in d["images"][0]')" false

# --- audit mode admits and records
trust_store "$WORK/trust-audit" "$(scope_policy audit 1 '{"name":"release","key":"keys/release.pub"}')" release
L=$(fixture_copy single "$WORK/audit")
run_ev verify "$L" --trust "$WORK/trust-audit" --reference "$REF" --json
check_eq "audit: exit 0" "$RC" 0
check_eq "audit: trust result" "$(jget "$WORK/last.out" 'd["images"][0]["trust"]["result"]')" audit-fail
if grep -q "edgeverify: audit: untrusted: " "$WORK/last.err"; then pass "audit: failure printed"; else fail "audit: failure printed"; _show_run; fi

# --- usage and configuration
expect_error 2 usage "give --reference" -- verify "$FIX/single" --trust "$WORK/trust-one"
trust_store "$WORK/trust-dup" "$(scope_policy enforce 2 '{"name":"a","key":"keys/release.pub"}' '{"name":"b","key":"keys/release.pub"}')" release
expect_error 2 config "threshold" -- verify "$FIX/single" --trust "$WORK/trust-dup" --reference "$REF"
expect_error 3 not-found "$WORK/no-such-trust" -- verify "$FIX/single" --trust "$WORK/no-such-trust" --reference "$REF"
expect_error 2 usage "--integrity-only checks no signatures" -- verify "$FIX/single" --integrity-only --trust "$WORK/trust-one"

# --- policy check: the same loader as verify, plus warnings
run_ev policy check --trust "$WORK/trust-one" --json
check_eq "policy check: valid store exits 0" "$RC" 0
check_eq "policy check: result" "$(jget "$WORK/last.out" 'd["result"]')" valid
check_eq "policy check: key type" "$(jget "$WORK/last.out" 'd["keys"]["keys/release.pub"]')" ecdsa-p256
trust_store "$WORK/trust-keyless" "$(scope_policy enforce 1 '{"name":"ci","sigstore":{"issuer":"https://token.actions.githubusercontent.com","identityRegExp":"^https://github.com/acme/"}}')"
run_ev policy check --trust "$WORK/trust-keyless"
check_eq "policy check: keyless-only store is valid" "$RC" 0
if grep -q "warning: scope fleet: signer ci is a sigstore signer, which this build does not verify yet" "$WORK/last.out"; then
    pass "policy check warns about signers this build cannot verify"
else
    fail "policy check warns about signers this build cannot verify"; _show_run
fi
expect_error 2 config "threshold" -- policy check --trust "$WORK/trust-dup"
for example in "$EDGEVERIFY_SOURCE_DIR"/docs/examples/trust-policy/*/; do
    run_ev policy check --trust "$example"
    check_eq "policy check: docs example $(basename "$example") is valid" "$RC" 0
done

# An unreadable policy.json: exit 3, run as nobody since root reads everything.
cp -a "$WORK/trust-one" "$WORK/trust-private"
cp -a "$FIX/single" "$WORK/readable-layout"
chmod -R a+rX "$WORK/trust-private" "$WORK/readable-layout"
chmod 0600 "$WORK/trust-private/policy.json"
chmod 0755 "$WORK"
[ "$(id -u)" -eq 0 ] && EV_PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups)
expect_error 3 permission-denied "policy.json" -- verify "$WORK/readable-layout" --trust "$WORK/trust-private" --reference "$REF"
EV_PREFIX=()
chmod 0700 "$WORK"

finish
