#!/usr/bin/env bash
# The skopeo-sigstore public vectors (../shared/vectors/skopeo-sigstore/README.md), read in place:
# a cosign-format signature made with openssl in containers/image's exact bytes, carried as a
# `.sig` tag of an OCI layout, as detached payload + base64 signature, and as the signature-1 file
# skopeo's dir: transport writes; the tampered payload must fail; the OpenPGP ("atomic")
# signature skopeo made itself is refused by name, never taken for a sigstore one.
source "$(dirname "$0")/lib.sh"
require_tools skopeo
V=$(require_vector_set skopeo-sigstore)

REF=127.0.0.1:5000/probe/agent:1.0
DIGEST=sha256:83e6b48d626e810769ca2571db8fdf7e4a76c2162a87060e8efcb6771a2d97c4

trust_store_from_pems "$WORK/trust" "$(one_signer_policy '127.0.0.1:5000/probe/*' key)" "$V/key.pub"
# The same store with referenceMatch exact: the payload names 127.0.0.1:5000/probe/agent:1.0.
mkdir -p "$WORK/trust-exact/keys"
cp "$V/key.pub" "$WORK/trust-exact/keys/key.pub"
printf '%s\n' '{"version":1,"default":"reject","scopes":[{"name":"probe","match":"127.0.0.1:5000/probe/*","signatures":{"threshold":1,"referenceMatch":"exact","signers":[{"name":"key","key":"keys/key.pub"}]}}]}' >"$WORK/trust-exact/policy.json"
# A key that did not sign: containers-image-cosign's cosign.pub filed under the signer's name.
mkdir -p "$WORK/trust-wrong/keys"
cp "$WORK/trust/policy.json" "$WORK/trust-wrong/policy.json"
cp "$(require_vector_set containers-image-cosign)/keys/cosign.pub" "$WORK/trust-wrong/keys/key.pub"

# --- the .sig tag in the OCI layout (skopeo copied both tags from a real registry)
expect_admitted "the layout's sha256-<hex>.sig signature (openssl, c/image bytes)" key ".sig" -- \
    "oci:$V/oci-layout-with-sig:1.0" --trust "$WORK/trust" --reference "$REF"
check_eq "the signature signs the image manifest" \
    "$(jget "$WORK/admitted.json" 'd["images"][0]["trust"]["signatures"][0]["signedDigest"]')" "$DIGEST"
check_eq "the signed reference is c/image's full reference" \
    "$(jget "$WORK/admitted.json" 'd["images"][0]["trust"]["signatures"][0]["signedReference"]')" "$REF"
expect_admitted "referenceMatch exact: the same tag" key ".sig" -- \
    "oci:$V/oci-layout-with-sig:1.0" --trust "$WORK/trust-exact" --reference "$REF"
expect_refused "referenceMatch exact: another tag of the repository" "127.0.0.1:5000/probe/agent:1.0" -- \
    "oci:$V/oci-layout-with-sig:1.0" --trust "$WORK/trust-exact" --reference 127.0.0.1:5000/probe/agent:2.0
expect_refused "the layout's signature against a key that did not sign it" "no key signer" -- \
    "oci:$V/oci-layout-with-sig:1.0" --trust "$WORK/trust-wrong" --reference "$REF"

# --- detached: payload.json + signature.b64 over the image-oci-archive.tar
expect_admitted "detached payload.json + signature.b64" key "--signature" -- \
    "$V/image-oci-archive.tar" --trust "$WORK/trust" --reference "$REF" \
    --signature "$V/signature.b64" --payload "$V/payload.json"
expect_refused "payload-tampered.json (timestamp changed by one)" "signature" -- \
    "$V/image-oci-archive.tar" --trust "$WORK/trust" --reference "$REF" \
    --signature "$V/signature.b64" --payload "$V/payload-tampered.json"

# --- dir: copies. The image comes from skopeo; the signature file is the vector's bytes.
skopeo_copy "oci-archive:$V/image-oci-archive.tar" "dir:$WORK/dir-sigstore"
cp "$V/skopeo-dir-signature-1.sigstore-json" "$WORK/dir-sigstore/signature-1"
expect_admitted "skopeo's dir: signature-1 (sigstore-json)" key "signature-1" -- \
    "dir:$WORK/dir-sigstore" --trust "$WORK/trust" --reference "$REF"
skopeo_copy "oci-archive:$V/image-oci-archive.tar" "dir:$WORK/dir-gpg"
cp "$V/gpg/signature-1" "$WORK/dir-gpg/signature-1"
expect_refused "skopeo's OpenPGP signature-1 is listed and refused by name" "OpenPGP" -- \
    "dir:$WORK/dir-gpg" --trust "$WORK/trust" --reference "$REF"
run_ev verify "dir:$WORK/dir-gpg" --trust "$WORK/trust" --reference "$REF" --json
check_eq "the OpenPGP file is a refused signature of kind unreadable" \
    "$(jget "$WORK/last.out" '[(s["origin"], s["kind"], s["result"]) for s in d["images"][0]["trust"]["signatures"]]')" \
    '[["signature-1", "unreadable", "refused"]]'
# An OpenPGP file beside a good sigstore signature does not hide it.
cp "$V/gpg/signature-1" "$WORK/dir-sigstore/signature-2"
expect_admitted "signature-1 sigstore + signature-2 OpenPGP: the sigstore one counts" key "signature-1" -- \
    "dir:$WORK/dir-sigstore" --trust "$WORK/trust" --reference "$REF"

finish
