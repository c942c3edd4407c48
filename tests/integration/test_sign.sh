#!/usr/bin/env bash
# `edgeverify keygen` and `edgeverify sign`: the key pair openssl accepts, signatures written into
# a copy of a skopeo layout that edgeverify's verifier admits, that openssl verifies on its own,
# and that leave a layout umoci and skopeo still read.
source "$(dirname "$0")/lib.sh"
require_tools openssl base64 stat

REF=registry.example.com/fleet/app:1.0
REPO=registry.example.com/fleet/app
MANIFEST=$(jget "$FIX/single/index.json" 'd["manifests"][0]["digest"]')

# --- keygen
mkdir -p "$WORK/keys"
run_ev keygen --out "$WORK/keys/release"
check_eq "keygen: exit 0" "$RC" 0
check_eq "keygen: private key mode 0600" "$(stat -c %a "$WORK/keys/release.key" 2>/dev/null)" 600
check_eq "keygen: PKCS#8 PEM" "$(head -n1 "$WORK/keys/release.key")" "-----BEGIN PRIVATE KEY-----"
check_eq "keygen: SPKI PEM" "$(head -n1 "$WORK/keys/release.pub")" "-----BEGIN PUBLIC KEY-----"
expect_exit 0 -- openssl pkey -in "$WORK/keys/release.key" -noout
if openssl pkey -in "$WORK/keys/release.key" -noout -text 2>/dev/null | grep -q "NIST CURVE: P-256"; then
    pass "keygen: the key is ECDSA P-256"
else
    fail "keygen: the key is ECDSA P-256"
fi
check_eq "keygen: .pub is the key's public half" \
    "$(openssl pkey -in "$WORK/keys/release.key" -pubout 2>/dev/null)" "$(cat "$WORK/keys/release.pub")"
BEFORE=$(sha256sum "$WORK/keys/release.key")
run_ev keygen --out "$WORK/keys/release"
if [ "$RC" -eq 2 ] && grep -q "already exists; refusing to overwrite" "$WORK/last.err"; then
    pass "keygen: refuses to overwrite an existing key (exit 2)"
else
    fail "keygen: refuses to overwrite an existing key"
    _show_run
fi
check_eq "keygen: the existing key is untouched" "$(sha256sum "$WORK/keys/release.key")" "$BEFORE"
printf 'x\n' >"$WORK/keys/half.pub"
run_ev keygen --out "$WORK/keys/half"
check_eq "keygen: an existing .pub is refused too (exit 2)" "$RC" 2
check_eq "keygen: no .key left behind" "$([ -e "$WORK/keys/half.key" ] && echo yes || echo no)" no
run_ev keygen
check_eq "keygen: --out is required (exit 2)" "$RC" 2

# A trust store holding the new public key.
mkdir -p "$WORK/trust/keys"
cp "$WORK/keys/release.pub" "$WORK/trust/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"registry.example.com/fleet/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' >"$WORK/trust/policy.json"

# --- sign
L=$(fixture_copy single "$WORK/signed")
run_ev verify "$L" --trust "$WORK/trust" --reference "$REF"
check_eq "unsigned copy is refused before signing (exit 1)" "$RC" 1

run_ev sign "$L" --key "$WORK/keys/release.key" --reference "$REF" --json
check_eq "sign: exit 0" "$RC" 0
check_eq "sign: result" "$(jget "$WORK/last.out" 'd["result"]')" signed
check_eq "sign: the manifest digest signed" "$(jget "$WORK/last.out" 'd["signed"][0]["manifestDigest"]')" "$MANIFEST"
check_eq "sign: the tag" "$(jget "$WORK/last.out" 'd["signed"][0]["tag"]')" "sha256-${MANIFEST#sha256:}.sig"
SIGMAN=$(jget "$WORK/last.out" 'd["signed"][0]["signatureManifest"]')
check_eq "sign: index.json tags the signature manifest" \
    "$(jget "$L/index.json" "[m['digest'] for m in d['manifests'] if m.get('annotations',{}).get('org.opencontainers.image.ref.name')=='sha256-${MANIFEST#sha256:}.sig']")" "[\"$SIGMAN\"]"
check_eq "sign: no temporary files left" "$(find "$L" -name '.edgeverify-tmp-*' | wc -l)" 0

# (a) edgeverify's verifier admits it.
run_ev verify "$L" --trust "$WORK/trust" --reference "$REF" --json
check_eq "verify --trust admits the signed layout (exit 0)" "$RC" 0
check_eq "verify --trust: signer release" "$(jget "$WORK/last.out" 'd["images"][0]["trust"]["satisfiedSigners"]')" '["release"]'

# (b) openssl verifies the signature on its own, over the payload blob's exact bytes.
"$PYTHON" - "$L" "$SIGMAN" "$WORK" <<'PY'
import base64, json, sys
layout, digest, work = sys.argv[1:4]
blob = lambda d: open(f"{layout}/blobs/sha256/{d.split(':', 1)[1]}", "rb").read()
manifest = json.loads(blob(digest))
layer = manifest["layers"][0]
open(f"{work}/payload", "wb").write(blob(layer["digest"]))
open(f"{work}/sig.der", "wb").write(base64.b64decode(layer["annotations"]["dev.cosignproject.cosign/signature"], validate=True))
open(f"{work}/sigman.json", "w").write(json.dumps(manifest))
PY
expect_exit 0 -- openssl dgst -sha256 -verify "$WORK/keys/release.pub" -signature "$WORK/sig.der" "$WORK/payload"
check_eq "openssl: Verified OK" "$(cat "$WORK/last.out")" "Verified OK"
check_eq "payload: cosign's exact bytes" "$(cat "$WORK/payload")" \
    "{\"critical\":{\"identity\":{\"docker-reference\":\"$REPO\"},\"image\":{\"docker-manifest-digest\":\"$MANIFEST\"},\"type\":\"cosign container image signature\"},\"optional\":null}"
check_eq "signature manifest: one simple-signing layer" "$(jget "$WORK/sigman.json" '[l["mediaType"] for l in d["layers"]]')" '["application/vnd.dev.cosign.simplesigning.v1+json"]'
CONFIG=$(jget "$WORK/sigman.json" 'd["config"]["digest"]')
check_eq "signature config: diff_ids name the payload" "$(jget "$(blob_file "$L" "$CONFIG")" 'd["rootfs"]["diff_ids"]')" \
    "[\"$(jget "$WORK/sigman.json" 'd["layers"][0]["digest"]')\"]"

# (c) openssl accepts the key (checked above), and the key signs what openssl verifies.
# (d) still a valid OCI layout for edgeverify, umoci and skopeo.
expect_verified "the signed layout keeps its integrity" -- "$L"
expect_exit 0 -- umoci ls --layout "$L"
if grep -qx "1.0" "$WORK/last.out" && grep -qx "sha256-${MANIFEST#sha256:}.sig" "$WORK/last.out"; then
    pass "umoci ls lists the image tag and the signature tag"
else
    fail "umoci ls lists the image tag and the signature tag"
    _show_run
fi
expect_exit 0 -- "${SKOPEO[@]}" inspect "oci:$L:1.0"

# Signing again appends a second signature to the same .sig manifest (as cosign does).
run_ev keygen --out "$WORK/keys/second"
run_ev sign "$L" --key "$WORK/keys/second.key" --reference "$REF" --json
check_eq "second sign: exit 0" "$RC" 0
check_eq "second sign: appended" "$(jget "$WORK/last.out" '[d["signed"][0]["appended"], d["signed"][0]["signatures"]]')" '[true, 2]'
check_eq "second sign: still one .sig entry in index.json" \
    "$(jget "$L/index.json" "len([m for m in d['manifests'] if m.get('annotations',{}).get('org.opencontainers.image.ref.name','').endswith('.sig')])")" 1
run_ev verify "$L" --trust "$WORK/trust" --reference "$REF"
check_eq "verify --trust still admits it after the second signature" "$RC" 0

# Human output.
L2=$(fixture_copy single "$WORK/human")
run_ev sign "$L2" --key "$WORK/keys/release.key" --reference "$REF"
if [ "$RC" -eq 0 ] && grep -q "^signed $MANIFEST .*as $REPO: sha256-" "$WORK/last.out"; then
    pass "sign: human output names digest, repository and tag"
else
    fail "sign: human output"
    _show_run
fi

# --- refused
T=$(fixture_copy single "$WORK/tampered")
LAYER=$(jget "$(blob_file "$T" "$MANIFEST")" 'd["layers"][0]["digest"]')
ocitool flip "$(blob_file "$T" "$LAYER")" middle >/dev/null
INDEX_BEFORE=$(sha256sum <"$T/index.json")
run_ev sign "$T" --key "$WORK/keys/release.key" --reference "$REF"
if [ "$RC" -eq 1 ] && grep -q "refusing to sign content that fails integrity" "$WORK/last.err"; then
    pass "sign refuses a tampered layout (exit 1)"
else
    fail "sign refuses a tampered layout (exit 1)"
    _show_run
fi
check_eq "the tampered layout's index.json is untouched" "$(sha256sum <"$T/index.json")" "$INDEX_BEFORE"

cp "$FIX/image.oci.tar" "$WORK/image.oci.tar"
ARCHIVE_BEFORE=$(sha256sum <"$WORK/image.oci.tar")
expect_error 2 usage "oci-archive" -- sign "$WORK/image.oci.tar" --key "$WORK/keys/release.key" --reference "$REF"
check_eq "the oci-archive is untouched" "$(sha256sum <"$WORK/image.oci.tar")" "$ARCHIVE_BEFORE"
expect_error 2 usage "--reference" -- sign "$(fixture_copy single "$WORK/noref")" --key "$WORK/keys/release.key"
printf 'not a key\n' >"$WORK/keys/bad.key"
run_ev sign "$(fixture_copy single "$WORK/badkey")" --key "$WORK/keys/bad.key" --reference "$REF"
check_eq "sign: an unparsable key is refused (exit 2)" "$RC" 2

finish
