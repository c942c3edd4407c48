#!/usr/bin/env bash
# Keyless Sigstore interop (issue 8 item 5): the npm @sigstore/sign package signs the umoci image's
# manifest against @sigstore/mock's Fulcio, CT log, Rekor and TSA on 127.0.0.1
# (tests/interop/sign-keyless-bundles.js; the server is closed before the script exits), and
# `edgeverify verify --bundle` checks both bundles (a messageSignature over the manifest, a DSSE
# in-toto statement naming it) with a `sigstore` signer: the Fulcio path at the Rekor SET time, the
# embedded SCT against the trusted root's ctlogs, the identity. Each refusal by its exact reason.
source "$(dirname "$0")/lib.sh"
require_tools "$PYTHON"
require_interop_npm

REF=registry.example.com/fleet/app:1.0
REPO=registry.example.com/fleet/app
IMAGE="$FIX/single"
OTHER="$FIX/zstd"  # the same image recompressed: another manifest digest
MANIFEST=$(jget "$IMAGE/index.json" 'd["manifests"][0]["digest"]')
KL="$WORK/keyless"

if interop_node "$INTEROP_DIR/sign-keyless-bundles.js" "$KL" "$(blob_file "$IMAGE" "$MANIFEST")" "$REPO" \
    >"$WORK/sign.log" 2>&1; then
    pass "sign-keyless-bundles.js signed $MANIFEST with the mock Fulcio"
else
    fail "sign-keyless-bundles.js signed $MANIFEST with the mock Fulcio"
    sed 's/^/    /' "$WORK/sign.log"
    finish || true
    exit 1
fi
IDENTITY=$(cat "$KL/identity.txt")
ISSUER=$(cat "$KL/issuer.txt")

# keyless_trust DIR ROOT_JSON [IDENTITY]: the keyless example policy of docs/trust-policy.md (read
# from between its markers, so the page cannot drift), or that policy with its signer's identity
# regex replaced by the exact IDENTITY; ROOT_JSON as sigstore/trusted_root.json.
keyless_trust() {
    mkdir -p "$1/sigstore"
    cp "$2" "$1/sigstore/trusted_root.json"
    "$PYTHON" - "$EDGEVERIFY_SOURCE_DIR/docs/trust-policy.md" "$1/policy.json" "${3:-}" <<'PY' || bail "no keyless example in docs/trust-policy.md"
import json, sys
text = open(sys.argv[1]).read()
start = text.index("<!-- keyless-example -->")
policy = json.loads(text[start:].split("```json\n", 1)[1].split("```", 1)[0])
if sys.argv[3]:
    signer = policy["scopes"][0]["signatures"]["signers"][0]["sigstore"]
    del signer["identityRegExp"]
    signer["identity"] = sys.argv[3]
json.dump(policy, open(sys.argv[2], "w"))
PY
}
keyless_trust "$WORK/trust" "$KL/trusted_root.json"
keyless_trust "$WORK/trust-other-identity" "$KL/trusted_root.json" "https://github.com/acme/other/.github/workflows/release.yml@refs/heads/main"
keyless_trust "$WORK/trust-foreign-ca" "$KL/trusted_root-foreign-ca.json"
keyless_trust "$WORK/trust-no-ctlog" "$KL/trusted_root-no-ctlog.json"
keyless_trust "$WORK/trust-no-tsa" "$KL/trusted_root-no-tsa.json"
keyless_trust "$WORK/trust-foreign-ctlog" "$KL/trusted_root-foreign-ctlog.json"

# accepted_reason: the reason of the accepted signature in $WORK/admitted.json.
accepted_reason() {
    jget "$WORK/admitted.json" '[s["reason"] for s in d["images"][0]["trust"]["signatures"] if s["result"]=="accepted"][0]'
}

for kind in messagesig dsse; do
    BUNDLE="$KL/$kind.sigstore.json"
    expect_admitted "mock-Fulcio $kind bundle" release "--bundle" -- \
        "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$BUNDLE"
    REASON=$(accepted_reason || true)
    case "$REASON" in
    "verified with the Fulcio certificate of $IDENTITY (issuer $ISSUER), chained to sigstore/trusted_root.json certificateAuthorities[0] at the integrated time "*"; SCT verified with sigstore/trusted_root.json ctlogs[0]"*"tlogs[0]"*)
        pass "$kind: the reason names the CA, the SCT's CT log and the Rekor log" ;;
    *) fail "$kind: the reason names the CA, the SCT's CT log and the Rekor log: $REASON" ;;
    esac
    case "$REASON" in
    *"verified times: the Rekor SET of sigstore/trusted_root.json tlogs[0] at "*", the RFC 3161 timestamp of sigstore/trusted_root.json timestampAuthorities[0] (CN=tsa signing, O=sigstore.mock) at "*)
        pass "$kind: judged at the Rekor SET time and at the mock TSA's RFC 3161 time" ;;
    *) fail "$kind: judged at the Rekor SET time and at the mock TSA's RFC 3161 time: $REASON" ;;
    esac
    # Without the TSA in the trusted root the Rekor SET still gives a time; the reason says why the
    # timestamp gave none.
    expect_admitted "$kind bundle under a trusted root without the TSA" release "--bundle" -- \
        "$IMAGE" --trust "$WORK/trust-no-tsa" --reference "$REF" --bundle "$BUNDLE"
    REASON=$(accepted_reason || true)
    case "$REASON" in
    *"; verified times: the Rekor SET of sigstore/trusted_root.json tlogs[0] at "*"; rfc3161Timestamps[0]: the trusted root has no timestampAuthorities")
        pass "$kind: the untrusted timestamp is named and gives no time" ;;
    *) fail "$kind: the untrusted timestamp is named and gives no time: $REASON" ;;
    esac
    expect_refused "$kind bundle under another identity" \
        "the certificate identity matches no sigstore signer of scope fleet; release: untrusted: certificate identity (SAN) $IDENTITY is not" -- \
        "$IMAGE" --trust "$WORK/trust-other-identity" --reference "$REF" --bundle "$BUNDLE"
    expect_refused "$kind bundle under a trusted root whose Fulcio CA is a foreign one" \
        "the signing certificate does not chain to a trusted Fulcio CA at the integrated time " -- \
        "$IMAGE" --trust "$WORK/trust-foreign-ca" --reference "$REF" --bundle "$BUNDLE"
    expect_refused "$kind bundle with the CT log key removed from the trusted root" \
        "the trust store has no CT log key (sigstore/trusted_root.json ctlogs)" -- \
        "$IMAGE" --trust "$WORK/trust-no-ctlog" --reference "$REF" --bundle "$BUNDLE"
    expect_refused "$kind bundle with another CT log's key in the trusted root" \
        "no SCT verifies with a trusted CT log key (SCT 0: log " -- \
        "$IMAGE" --trust "$WORK/trust-foreign-ctlog" --reference "$REF" --bundle "$BUNDLE"
done

# Another image (its manifest digest differs): neither bundle binds it.
expect_refused "messageSignature bundle presented for another image" "is not this image" -- \
    "$OTHER" --trust "$WORK/trust" --reference "$REF" --bundle "$KL/messagesig.sigstore.json"
expect_refused "DSSE bundle presented for another image" "in-toto subject sha256:${MANIFEST#sha256:}, not this image" -- \
    "$OTHER" --trust "$WORK/trust" --reference "$REF" --bundle "$KL/dsse.sigstore.json"

# Tampered artifacts: the DSSE statement with one byte more, the message signature's bytes flipped.
"$PYTHON" - "$KL/dsse.sigstore.json" "$KL/messagesig.sigstore.json" "$WORK" <<'PY'
import base64, json, sys
dsse, message, work = sys.argv[1:4]
b = json.load(open(dsse))
env = b["dsseEnvelope"]
env["payload"] = base64.b64encode(base64.b64decode(env["payload"]) + b" ").decode()
json.dump(b, open(f"{work}/dsse-tampered.json", "w"))
b = json.load(open(message))
sig = bytearray(base64.b64decode(b["messageSignature"]["signature"]))
sig[-3] ^= 0x01
b["messageSignature"]["signature"] = base64.b64encode(bytes(sig)).decode()
json.dump(b, open(f"{work}/messagesig-tampered.json", "w"))
PY
expect_refused "DSSE bundle with a tampered statement" \
    "the signature does not verify with the signing certificate's key" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/dsse-tampered.json"
expect_refused "messageSignature bundle with a flipped signature byte" \
    "the signature does not verify with the signing certificate's key" -- \
    "$IMAGE" --trust "$WORK/trust" --reference "$REF" --bundle "$WORK/messagesig-tampered.json"

finish
