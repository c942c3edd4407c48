#!/usr/bin/env bash
# Detached signatures on the verify command line and a dir: copy's signature-N files, made with
# openssl and python3 only (no Node): `--signature FILE --payload FILE` (cosign's base64 text over
# a simple-signing payload), `--bundle FILE [--payload FILE]` (key-based Sigstore bundles, a
# message signature and a DSSE envelope), and their usage and I/O errors.
source "$(dirname "$0")/lib.sh"
require_tools openssl base64

REF=registry.example.com/fleet/app:1.0
REPO=registry.example.com/fleet/app
MANIFEST=$(jget "$FIX/single/index.json" 'd["manifests"][0]["digest"]')
IMAGE="$FIX/single"

mkdir -p "$WORK/keys"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/keys/release.key" 2>/dev/null
openssl pkey -in "$WORK/keys/release.key" -pubout -out "$WORK/keys/release.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/keys/stranger.key" 2>/dev/null
openssl pkey -in "$WORK/keys/stranger.key" -pubout -out "$WORK/keys/stranger.pem" 2>/dev/null
trust_store_from_pems "$WORK/trust" "$(one_signer_policy 'registry.example.com/fleet/*' release)" "$WORK/keys/release.pem"
# The stranger's key filed under the release signer's name: a wrong key in the store.
mkdir -p "$WORK/trust-wrong/keys"
cp "$WORK/trust/policy.json" "$WORK/trust-wrong/policy.json"
cp "$WORK/keys/stranger.pem" "$WORK/trust-wrong/keys/release.pub"

# payload DIGEST REPOSITORY: cosign's exact payload bytes (Go key order, "optional":null).
payload() {
    printf '{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$2" "$1"
}
payload "$MANIFEST" "$REPO" >"$WORK/payload.json"
openssl dgst -sha256 -sign "$WORK/keys/release.key" "$WORK/payload.json" | base64 -w0 >"$WORK/payload.sig"
echo >>"$WORK/payload.sig"  # cosign writes a trailing newline; it is trimmed

# --- --signature / --payload (openssl over a simple-signing payload)
expect_admitted "--signature with --payload, openssl P-256" release "--signature $WORK/payload.sig" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/payload.sig" --payload "$WORK/payload.json"
check_eq "the detached signature's kind" "$(jget "$WORK/admitted.json" '[s["kind"] for s in d["images"][0]["trust"]["signatures"]]')" '["cosign"]'
check_eq "the detached signature's signed digest" "$(jget "$WORK/admitted.json" 'd["images"][0]["trust"]["signatures"][0]["signedDigest"]')" "$MANIFEST"
check_eq "no transparency log without a Rekor entry" "$(jget "$WORK/admitted.json" '[s["transparencyLogVerified"], s["transparencyLog"], s["integratedTime"]] if (s:=d["images"][0]["trust"]["signatures"][0]) else 0')" '[false, null, null]'
run_ev verify "$IMAGE" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/payload.sig" --payload "$WORK/payload.json"
if [ "$RC" -eq 0 ] && grep -qF "signature --signature $WORK/payload.sig (cosign): accepted, signer release" "$WORK/last.out"; then
    pass "human output: the detached signature, its kind and signer"
else
    fail "human output: the detached signature, its kind and signer"; _show_run
fi
# The same signature applies to every image of an archive source too.
expect_admitted "--signature against the oci-archive of the same image" release "--signature" -- \
    "$FIX/image.oci.tar" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/payload.sig" --payload "$WORK/payload.json"

cp "$WORK/payload.json" "$WORK/payload-tampered.json"
printf ' ' >>"$WORK/payload-tampered.json"
expect_refused "--payload one byte longer than what was signed" "signature" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/payload.sig" --payload "$WORK/payload-tampered.json"
payload "sha256:$(printf '0%.0s' {1..64})" "$REPO" >"$WORK/payload-other.json"
openssl dgst -sha256 -sign "$WORK/keys/release.key" "$WORK/payload-other.json" | base64 -w0 >"$WORK/payload-other.sig"
expect_refused "a valid signature over another image's digest" "sha256:0000" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/payload-other.sig" --payload "$WORK/payload-other.json"
expect_refused "--signature checked against a stranger's key in the store" "no key signer" -- \
    "$IMAGE" --trust "$WORK/trust-wrong" --reference "$REF" --signature "$WORK/payload.sig" --payload "$WORK/payload.json"

# --- usage and I/O errors
expect_error 2 usage "--signature needs --payload" -- verify "$IMAGE" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/payload.sig"
expect_error 2 usage "--payload is what --signature or --bundle signs" -- verify "$IMAGE" --trust "$WORK/trust" --reference "$REF" --payload "$WORK/payload.json"
expect_error 2 usage "--integrity-only checks no signatures" -- verify "$IMAGE" --integrity-only --bundle "$WORK/payload.json"
expect_error 2 usage "--integrity-only checks no signatures" -- verify "$IMAGE" --integrity-only --signature "$WORK/payload.sig" --payload "$WORK/payload.json"
expect_error 3 not-found "--signature $WORK/missing.sig" -- verify "$IMAGE" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/missing.sig" --payload "$WORK/payload.json"
expect_error 3 not-found "--bundle $WORK/missing.json" -- verify "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/missing.json"
truncate -s 5M "$WORK/huge.json"
expect_exit 1 -- "$EDGEVERIFY" verify "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/huge.json"
if grep -q "limit-exceeded.*kMaxJsonDocumentBytes" "$WORK/last.err"; then pass "an oversized --bundle names the limit"; else fail "an oversized --bundle names the limit"; _show_run; fi
printf 'not base64!\n' >"$WORK/garbage.sig"
expect_exit 1 -- "$EDGEVERIFY" verify "$IMAGE" --trust "$WORK/trust" --reference "$REF" --signature "$WORK/garbage.sig" --payload "$WORK/payload.json"
if grep -q "signature-invalid: --signature $WORK/garbage.sig: not valid base64" "$WORK/last.err"; then pass "signature text that is not base64 is signature-invalid"; else fail "signature text that is not base64 is signature-invalid"; _show_run; fi

# --- --bundle: key-based bundles written by hand (python3 + openssl), FORMATS.md B
# make_bundle KIND KEY OUT [FILE]: KIND message (a messageSignature over FILE) or dsse (an
# in-toto statement for MANIFEST, signed over its PAE).
make_bundle() {
    local kind=$1 key=$2 out=$3 file=${4:-}
    local hint
    hint=$(openssl pkey -in "$key" -pubout -outform DER 2>/dev/null | sha256sum | cut -c1-64)
    if [ "$kind" == message ]; then
        openssl dgst -sha256 -sign "$key" "$file" >"$out.sig"
        "$PYTHON" - "$file" "$out.sig" "$hint" >"$out" <<'PY'
import base64, hashlib, json, sys
data = open(sys.argv[1], "rb").read()
print(json.dumps({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
    "verificationMaterial": {"publicKey": {"hint": sys.argv[3]}, "tlogEntries": []},
    "messageSignature": {"messageDigest": {"algorithm": "SHA2_256",
        "digest": base64.b64encode(hashlib.sha256(data).digest()).decode()},
        "signature": base64.b64encode(open(sys.argv[2], "rb").read()).decode()}}))
PY
    else
        printf '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"%s","digest":{"sha256":"%s"}}],"predicateType":"https://edgeverify.invalid/test/v1","predicate":{}}' \
            "$REPO" "${MANIFEST#sha256:}" >"$out.statement"
        "$PYTHON" - "$out.statement" >"$out.pae" <<'PY'
import sys
body = open(sys.argv[1], "rb").read()
t = b"application/vnd.in-toto+json"
sys.stdout.buffer.write(b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body))
PY
        openssl dgst -sha256 -sign "$key" "$out.pae" >"$out.sig"
        "$PYTHON" - "$out.statement" "$out.sig" "$hint" >"$out" <<'PY'
import base64, json, sys
print(json.dumps({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
    "verificationMaterial": {"publicKey": {"hint": sys.argv[3]}, "tlogEntries": []},
    "dsseEnvelope": {"payload": base64.b64encode(open(sys.argv[1], "rb").read()).decode(),
        "payloadType": "application/vnd.in-toto+json",
        "signatures": [{"sig": base64.b64encode(open(sys.argv[2], "rb").read()).decode(), "keyid": ""}]}}))
PY
    fi
}
make_bundle message "$WORK/keys/release.key" "$WORK/message.sigstore.json" "$WORK/payload.json"
make_bundle dsse "$WORK/keys/release.key" "$WORK/dsse.sigstore.json"
expect_admitted "--bundle: a message-signature bundle over --payload" release "--bundle $WORK/message.sigstore.json" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/message.sigstore.json" --payload "$WORK/payload.json"
check_eq "the bundle's kind" "$(jget "$WORK/admitted.json" '[s["kind"] for s in d["images"][0]["trust"]["signatures"]]')" '["sigstore-bundle"]'
expect_admitted "--bundle: a DSSE bundle whose in-toto subject is the image" release "--bundle $WORK/dsse.sigstore.json" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/dsse.sigstore.json"
expect_refused "--bundle: message signature with a tampered --payload" "digest" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/message.sigstore.json" --payload "$WORK/payload-tampered.json"
expect_refused "--bundle: DSSE bundle checked against a stranger's key" "no key signer" -- \
    "$IMAGE" --trust "$WORK/trust-wrong" --reference "$REF" --bundle "$WORK/dsse.sigstore.json"
# Both detached kinds at once: each is listed, in command-line order (--signature first).
expect_admitted "--signature and --bundle together" release "--bundle" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/dsse.sigstore.json" \
    --signature "$WORK/payload.sig" --payload "$WORK/payload.json"
check_eq "both detached signatures listed, --signature first" \
    "$(jget "$WORK/admitted.json" '[s["origin"].split(" ")[0] for s in d["images"][0]["trust"]["signatures"]]')" '["--signature", "--bundle"]'

# --- a dir: copy (skopeo) with signature-N files in containers-image's sigstore-json format
# (FORMATS.md A: 0x00 "sigstore-json" '\n' then {"mimeType", "payload", "annotations"}); Debian's
# skopeo is built without sigstore signing, so the file is written here, the copy by skopeo.
skopeo_copy oci:"$FIX/single":1.0 dir:"$WORK/dircopy"
DIR_MANIFEST="sha256:$(sha256sum "$WORK/dircopy/manifest.json" | cut -c1-64)"
payload "$DIR_MANIFEST" "$REPO" >"$WORK/dir-payload.json"
openssl dgst -sha256 -sign "$WORK/keys/release.key" "$WORK/dir-payload.json" | base64 -w0 >"$WORK/dir-payload.sig"
write_sigstore_json() {  # write_sigstore_json OUT PAYLOAD SIGNATURE_B64_FILE
    {
        printf '\000sigstore-json\n'
        "$PYTHON" - "$2" "$3" <<'PY'
import base64, json, sys
print(json.dumps({"mimeType": "application/vnd.dev.cosign.simplesigning.v1+json",
    "payload": base64.b64encode(open(sys.argv[1], "rb").read()).decode(),
    "annotations": {"dev.cosignproject.cosign/signature": open(sys.argv[2]).read().strip()}},
    separators=(",", ":")), end="")
PY
    } >"$1"
}
write_sigstore_json "$WORK/dircopy/signature-1" "$WORK/dir-payload.json" "$WORK/dir-payload.sig"
expect_admitted "dir: copy with a signature-1 file" release "signature-1" -- \
    "dir:$WORK/dircopy" --trust "$WORK/trust" --reference "$REF"
expect_refused "dir: copy whose signature-1 is checked against a stranger's key" "no key signer" -- \
    "dir:$WORK/dircopy" --trust "$WORK/trust-wrong" --reference "$REF"

finish
