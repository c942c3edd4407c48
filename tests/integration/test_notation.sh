#!/usr/bin/env bash
# Notation (Notary Project) signatures in `edgeverify verify` on the real umoci image of
# rules_images.sh: a certificate chain made with the openssl CLI (as tests/data/notation/generate.sh
# does), JWS envelopes whose signing input openssl signs, COSE envelopes whose Sig_structure
# python3's standard library builds, attached as OCI referrers with ocitool.py add-notation-sig.
# The x509 signer's policy is the example of docs/trust-policy.md "x509 signers", read from there.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rules_images.sh"

export EDGEVERIFY_STATE_DIR="$WORK/state"
mkdir -p "$EDGEVERIFY_STATE_DIR"
chmod 0700 "$EDGEVERIFY_STATE_DIR"
PKI="$WORK/pki"
mkdir -p "$PKI"

# ---------------------------------------------------------------- certificates (openssl CLI)
cat >"$PKI/ext.cnf" <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
[leaf_crl]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
crlDistributionPoints = URI:http://crl.example.invalid/intermediate.crl
CNF
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$1.key" 2>/dev/null; }
root() {  # root NAME CN
    key "$1"
    openssl req -new -x509 -key "$PKI/$1.key" -subj "/C=US/ST=WA/O=Acme/CN=$2" -days 3 -sha256 \
        -config "$PKI/ext.cnf" -extensions root -out "$PKI/$1.crt" 2>/dev/null
}
issue() {  # issue NAME ISSUER SECTION CN
    key "$1"
    openssl req -new -key "$PKI/$1.key" -subj "/C=US/ST=WA/O=Acme/CN=$4" -out "$PKI/$1.csr" 2>/dev/null
    openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$2.crt" -CAkey "$PKI/$2.key" -set_serial "0x$(openssl rand -hex 8)" \
        -days 2 -sha256 -extfile "$PKI/ext.cnf" -extensions "$3" -out "$PKI/$1.crt" 2>/dev/null
}
root root "Acme Root"
issue intermediate root intermediate "Acme Intermediate"
issue release intermediate leaf release
issue intruder intermediate leaf intruder
issue revoked intermediate leaf_crl release
root foreign-root "Acme Root"
issue foreign-release foreign-root leaf release
for c in root intermediate release intruder revoked foreign-root foreign-release; do
    [ -s "$PKI/$c.crt" ] || bail "openssl did not make $c.crt"
done
# A CRL of the intermediate listing the revoked leaf.
mkdir -p "$PKI/ca"
: >"$PKI/ca/index.txt"
echo 01 >"$PKI/ca/crlnumber"
printf '[ca]\ndefault_ca = t\n[t]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 2\n' \
    "$PKI/ca/index.txt" "$PKI/ca/crlnumber" >"$PKI/ca.cnf"
openssl ca -config "$PKI/ca.cnf" -keyfile "$PKI/intermediate.key" -cert "$PKI/intermediate.crt" \
    -revoke "$PKI/revoked.crt" 2>/dev/null || bail "openssl ca -revoke failed"
openssl ca -config "$PKI/ca.cnf" -keyfile "$PKI/intermediate.key" -cert "$PKI/intermediate.crt" -gencrl \
    -out "$PKI/intermediate.crl" 2>/dev/null || bail "openssl ca -gencrl failed"

# ---------------------------------------------------------------- envelopes (openssl + python3)
# sign.py FORMAT LEAF DESCRIPTOR_JSON OUT [expiry=EPOCH] [tamper]: a Notation envelope over the
# payload {"targetArtifact": DESCRIPTOR} signed by PKI/LEAF.key (ES256), x5c/x5chain = LEAF,
# the issuing intermediate and root ("foreign-release" chains to foreign-root directly).
cat >"$WORK/sign.py" <<'PY'
import base64, json, struct, subprocess, sys, time
fmt, leaf, descriptor, out = sys.argv[1:5]
opts = sys.argv[5:]
pki = sys.argv[0].rsplit("/", 1)[0] + "/pki/"
chain = [leaf, "foreign-root"] if leaf.startswith("foreign") else [leaf, "intermediate", "root"]
ders = [subprocess.run(["openssl", "x509", "-in", pki + c + ".crt", "-outform", "DER"], check=True,
                       capture_output=True).stdout for c in chain]
expiry = next((int(o.split("=", 1)[1]) for o in opts if o.startswith("expiry=")), None)
payload = json.dumps({"targetArtifact": json.loads(descriptor)}, separators=(",", ":")).encode()
now = int(time.time()) - 60

def sign(data):  # ES256 raw r || s from openssl's DER signature
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", pki + leaf + ".key"], input=data, check=True,
                         capture_output=True).stdout
    pos, out = 2 if der[1] < 0x80 else 3, b""
    for _ in range(2):
        length = der[pos + 1]
        out += der[pos + 2:pos + 2 + length].lstrip(b"\0").rjust(32, b"\0")
        pos += 2 + length
    return out

def b64url(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def cbor(value):  # the CBOR subset COSE_Sign1 needs
    def head(major, n):
        if n < 24: return bytes([major << 5 | n])
        for info, fmt_ in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt_)): return bytes([major << 5 | info]) + struct.pack(fmt_, n)
    if isinstance(value, tuple) and value[0] == "tag": return head(6, value[1]) + cbor(value[2])
    if isinstance(value, int): return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes): return head(2, len(value)) + value
    if isinstance(value, str): return head(3, len(value.encode())) + value.encode()
    if isinstance(value, list): return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict): return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(value)

scheme = "io.cncf.notary.signingScheme"
crit = [scheme] + (["io.cncf.notary.expiry"] if expiry is not None else [])
if fmt == "jws":
    header = {"alg": "ES256", "crit": crit, "cty": "application/vnd.cncf.notary.payload.v1+json", scheme: "notary.x509",
              "io.cncf.notary.signingTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))}
    if expiry is not None:
        header["io.cncf.notary.expiry"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expiry))
    protected = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(payload)
    signature = sign((protected + "." + body).encode())
    if "tamper" in opts:  # the payload changed after signing: one digit of the size
        body = b64url(payload.replace(b'"size":', b'"size":1'))
    doc = {"payload": body, "protected": protected, "signature": b64url(signature),
           "header": {"x5c": [base64.b64encode(d).decode() for d in ders], "io.cncf.notary.signingAgent": "test_notation.sh"}}
    data = json.dumps(doc).encode()
else:
    header = {1: -7, 2: crit, 3: "application/vnd.cncf.notary.payload.v1+json", scheme: "notary.x509",
              "io.cncf.notary.signingTime": ("tag", 1, now)}
    if expiry is not None:
        header["io.cncf.notary.expiry"] = ("tag", 1, expiry)
    protected = cbor(header)
    signature = sign(cbor(["Signature1", protected, b"", payload]))
    if "tamper" in opts:
        payload = payload.replace(b'"size":', b'"size":1')
    data = cbor(("tag", 18, [protected, {33: ders}, payload, signature]))
open(out, "wb").write(data)
PY
sign() { "$PYTHON" "$WORK/sign.py" "$@" || bail "sign.py $* failed"; }

descriptor() {  # descriptor DIGEST: the OCI descriptor of a manifest in the rules layout
    printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d}' \
        "$1" "$(stat -c %s "$RULES/layout/blobs/sha256/${1#sha256:}")"
}
CLEAN=$(descriptor "$DIGEST_CLEAN")
RISKY=$(descriptor "$DIGEST_RISKY")

# signed NAME ENVELOPE [ocitool options]: a copy of the rules layout with ENVELOPE attached to the
# clean image as a Notation referrer (its manifest digest in REFERRER).
signed() {
    local name=$1 envelope=$2
    shift 2
    rm -rf "$WORK/$name"
    cp -a "$RULES/layout" "$WORK/$name"
    REFERRER=$(ocitool add-notation-sig "$WORK/$name" "$DIGEST_CLEAN" "$envelope" "$@")
}

# ---------------------------------------------------------------- trust store
TRUST="$WORK/trust"
mkdir -p "$TRUST/ca/acme" "$TRUST/crl"
cp "$PKI/root.crt" "$TRUST/ca/acme/root.pem"
# The x509 signer of docs/trust-policy.md, between its markers, so the page cannot drift.
"$PYTHON" - "$EDGEVERIFY_SOURCE_DIR/docs/trust-policy.md" "$TRUST/policy.json" <<'PY' || bail "no Notation example in docs/trust-policy.md"
import sys
text = open(sys.argv[1]).read()
start = text.index("<!-- notation-example -->")
block = text[start:].split("```json\n", 1)[1].split("```", 1)[0]
open(sys.argv[2], "w").write(block)
PY
POLICY=$(cat "$TRUST/policy.json")
# with_policy SED_EXPRESSION: the example policy, edited.
with_policy() { printf '%s\n' "$POLICY" | sed -e "$1" >"$TRUST/policy.json"; }

# notation_result DESC EXIT RESULT REASON -- ARGS: `verify ARGS --json` exits EXIT and the one
# Notation signature in the verdict has RESULT (accepted/refused) and exactly REASON.
notation_result() {
    local desc=$1 want=$2 result=$3 reason=$4
    shift 5
    run_ev verify "$@" --trust "$TRUST" --reference "$REF" --json
    local got
    got=$(jget "$WORK/last.out" "[s['result'] + ': ' + s['reason'] for i in d['images'] for s in i['trust']['signatures'] if s['kind']=='notation']")
    check_eq "$desc: exit" "$RC" "$want"
    check_eq "$desc: signature" "$got" "$("$PYTHON" -c 'import json,sys; print(json.dumps([sys.argv[1]]))' "$result: $reason")"
    [ "$RC" == "$want" ] || _show_run
}
VERIFIED='verified with x509 signer release (trust store ca/acme): signing certificate "C=US, ST=WA, O=Acme, CN=release"'

sign jws release "$CLEAN" "$WORK/good.jws.sig"
signed good-jws "$WORK/good.jws.sig"
notation_result "valid JWS referrer: admitted" 0 accepted "$VERIFIED" -- oci:"$WORK/good-jws":clean
check_eq "valid JWS referrer: the signer counts" "$(jget "$WORK/last.out" "d['images'][0]['trust']['satisfiedSigners']")" '["release"]'

tar -C "$WORK/good-jws" -cf "$WORK/good-jws.tar" .
notation_result "valid JWS referrer in an oci-archive: admitted" 0 accepted "$VERIFIED" -- oci-archive:"$WORK/good-jws.tar":clean

sign cose release "$CLEAN" "$WORK/good.cose.sig"
signed good-cose "$WORK/good.cose.sig" unlisted legacy
notation_result "valid COSE referrer (unlisted, Notation 1.0 config form): admitted" 0 accepted "$VERIFIED" -- oci:"$WORK/good-cose":clean

notation_result "detached --notation-signature .jws.sig: admitted" 0 accepted "$VERIFIED" -- \
    oci:"$RULES/layout":clean --notation-signature "$WORK/good.jws.sig"

sign jws intruder "$CLEAN" "$WORK/intruder.jws.sig"
signed intruder "$WORK/intruder.jws.sig"
notation_result "another subject: refused" 1 refused \
    'x509 signer release: untrusted: notation authenticity: signing certificate subject "C=US, ST=WA, O=Acme, CN=intruder" matches none of the trusted identities' \
    -- oci:"$WORK/intruder":clean

sign jws foreign-release "$CLEAN" "$WORK/foreign.jws.sig"
signed foreign "$WORK/foreign.jws.sig"
notation_result "chain to a foreign root: refused" 1 refused \
    'x509 signer release: untrusted: notation authenticity: the signature'"'"'s certificate chain contains no certificate of trust store "acme"' -- oci:"$WORK/foreign":clean

EXPIRY=$(($(date +%s) - 3600))
sign cose release "$CLEAN" "$WORK/expired.cose.sig" expiry=$EXPIRY
signed expired "$WORK/expired.cose.sig"
notation_result "expired signature: refused" 1 refused \
    "x509 signer release: untrusted: notation expiry: the signature expired at $EXPIRY (Unix seconds)" \
    -- oci:"$WORK/expired":clean

sign jws release "$CLEAN" "$WORK/tampered.jws.sig" tamper
signed tampered "$WORK/tampered.jws.sig"
notation_result "tampered payload: refused" 1 refused 'x509 signer release: signature-invalid: signature does not verify (ES256)' -- oci:"$WORK/tampered":clean

sign jws release "$RISKY" "$WORK/other.jws.sig"
signed other "$WORK/other.jws.sig"
notation_result "a signature about another image: refused" 1 refused \
    "x509 signer release: signature-invalid: content descriptor mismatch: the signature is for application/vnd.oci.image.manifest.v1+json $DIGEST_RISKY ($(stat -c %s "$RULES/layout/blobs/sha256/${DIGEST_RISKY#sha256:}") bytes), the artifact is application/vnd.oci.image.manifest.v1+json $DIGEST_CLEAN ($(stat -c %s "$RULES/layout/blobs/sha256/${DIGEST_CLEAN#sha256:}") bytes)" \
    -- oci:"$WORK/other":clean

printf '\xd2\x84garbage' >"$WORK/garbage.cose.sig"
signed garbage "$WORK/garbage.cose.sig"
notation_result "a malformed COSE envelope: refused" 1 refused \
    "signature-invalid: notation referrer $REFERRER: CBOR a string runs past the end" -- oci:"$WORK/garbage":clean

sign jws revoked "$CLEAN" "$WORK/revoked.jws.sig"
signed revoked "$WORK/revoked.jws.sig"
cp "$PKI/intermediate.crl" "$TRUST/crl/intermediate.crl"
REVOKED="certificate \"C=US, ST=WA, O=Acme, CN=release\" is revoked by $TRUST/crl/intermediate.crl"
notation_result "revoked leaf (crl/), strict: refused" 1 refused "x509 signer release: untrusted: notation revocation: $REVOKED" \
    -- oci:"$WORK/revoked":clean
with_policy 's/"subject"/"level": "permissive", "subject"/'
notation_result "revoked leaf (crl/), permissive: admitted with the revocation logged" 0 accepted "$VERIFIED; logged: revocation: $REVOKED" \
    -- oci:"$WORK/revoked":clean
notation_result "permissive: a valid signature logs nothing" 0 accepted "$VERIFIED" -- oci:"$WORK/good-jws":clean

printf '%s\n' "$POLICY" >"$TRUST/policy.json"
run_ev policy check --trust "$TRUST"
check_eq "policy check: an x509 signer is not called unverifiable" "$RC:$(grep -c '^warning' "$WORK/last.out" || true)" "0:0"
mkdir -p "$TRUST/tsa/acme"
cp "$PKI/root.crt" "$TRUST/tsa/acme/root.pem"
with_policy 's/"subject"/"tsaStore": "tsa\/acme", "subject"/'
run_ev policy check --trust "$TRUST"
check_eq "policy check: a tsaStore is not warned about (RFC 3161 countersignatures are verified)" \
    "$RC:$(grep -c '^warning' "$WORK/last.out" || true)" "0:0"
notation_result "tsaStore: a signature without a timestamp is refused" 1 refused \
    'x509 signer release: untrusted: notation authenticTimestamp: the policy requires an RFC 3161 timestamp and the signature has none' \
    -- oci:"$WORK/good-jws":clean
printf '%s\n' "$POLICY" >"$TRUST/policy.json"
run_ev verify oci:"$RULES/layout":clean --trust "$TRUST" --reference "$REF" --notation-signature "$WORK/good.sig"
check_eq "--notation-signature with another file name: exit 2" "$RC" 2
check_eq "--notation-signature with another file name: the error" "$(cat "$WORK/last.err")" \
    "edgeverify: usage: --notation-signature $WORK/good.sig: the file name must end in .jws.sig (JWS) or .cose.sig (COSE)"

with_policy 's|"ca/acme"|"ca/missing"|'
run_ev verify oci:"$WORK/good-jws":clean --trust "$TRUST" --reference "$REF"
check_eq "missing trust store: exit 2" "$RC" 2
check_eq "missing trust store: the error names it" "$(cat "$WORK/last.err")" \
    "edgeverify: config: $TRUST/policy.json: scopes[0].signatures.signers[0].x509.trustStore: trust store \"ca/missing\" does not exist in $TRUST"

finish
