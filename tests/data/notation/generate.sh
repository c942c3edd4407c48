#!/bin/bash
# Regenerates the Notation unit-test fixtures (certificates, a CRL, JWS envelopes) with the
# openssl CLI and python3's standard library. Run from this directory; the outputs are committed
# so unit tests need neither tool. Validity runs to 2125 so the fixtures do not expire.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=36500
subj="/C=US/ST=WA/L=Seattle/O=Edgeverify Test"

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" -out "$1" 2>/dev/null; }

cat > "$work/ext.cnf" <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
[intermediate_noncritical]
basicConstraints = CA:TRUE
keyUsage = keyCertSign, cRLSign
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
[leaf_crl]
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
crlDistributionPoints = URI:http://crl.example.invalid/intermediate.crl
[leaf_server_auth]
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
[leaf_ku_not_critical]
keyUsage = digitalSignature
[leaf_key_encipherment]
keyUsage = critical, digitalSignature, keyEncipherment
[self_signed_leaf]
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
CNF

issue() {  # name issuer-name extension-section [key-kind]
    local name=$1 issuer=$2 section=$3
    openssl req -new -key "$name.key" -subj "$subj/CN=$name" -out "$work/$name.csr" 2>/dev/null
    openssl x509 -req -in "$work/$name.csr" -CA "$issuer.crt" -CAkey "$issuer.key" -set_serial "0x$(openssl rand -hex 8)" \
        -days $days -sha256 -extfile "$work/ext.cnf" -extensions "$section" -out "$name.crt" 2>/dev/null
}

for name in root foreign-root; do
    ec_key "$name.key"
    openssl req -new -x509 -key "$name.key" -subj "$subj/CN=$name" -days $days -sha256 \
        -config /dev/null -extensions root -config "$work/ext.cnf" -out "$name.crt" 2>/dev/null
done
ec_key intermediate.key;            issue intermediate root intermediate
ec_key intermediate-loose.key;      issue intermediate-loose root intermediate_noncritical
ec_key leaf.key;                    issue leaf intermediate leaf
ec_key leaf-crl.key;                issue leaf-crl intermediate leaf_crl
ec_key leaf-revoked.key;            issue leaf-revoked intermediate leaf_crl
ec_key leaf-server-auth.key;        issue leaf-server-auth intermediate leaf_server_auth
ec_key leaf-ku-not-critical.key;    issue leaf-ku-not-critical intermediate leaf_ku_not_critical
ec_key leaf-key-encipherment.key;   issue leaf-key-encipherment intermediate leaf_key_encipherment
ec_key leaf-under-loose.key;        issue leaf-under-loose intermediate-loose leaf
# A CA below the pathlen:0 intermediate, and a leaf below it: too long a path.
ec_key sub-ca.key;                  issue sub-ca intermediate root
ec_key leaf-under-sub-ca.key;       issue leaf-under-sub-ca sub-ca leaf
rsa_key leaf-rsa.key 3072;          issue leaf-rsa intermediate leaf

# A CRL from the intermediate listing leaf-revoked.
mkdir -p "$work/ca"; touch "$work/ca/index.txt"; echo 01 > "$work/ca/crlnumber"
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/ca/index.txt
crlnumber = $work/ca/crlnumber
default_md = sha256
default_crl_days = $days
CNF
openssl ca -config "$work/ca.cnf" -keyfile intermediate.key -cert intermediate.crt -revoke leaf-revoked.crt 2>/dev/null
openssl ca -config "$work/ca.cnf" -keyfile intermediate.key -cert intermediate.crt -gencrl -out intermediate.crl 2>/dev/null

# JWS envelopes over a fixed descriptor, signed by leaf (ES256) and leaf-rsa (PS384).
python3 - <<'PY'
import base64, json, subprocess

def b64url(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def der(path): return subprocess.run(["openssl", "x509", "-in", path, "-outform", "DER"], check=True, capture_output=True).stdout

def raw_ecdsa(sig_der, width):
    # SEQUENCE { INTEGER r, INTEGER s } -> r || s, each left-padded to `width` bytes.
    assert sig_der[0] == 0x30
    pos = 2 if sig_der[1] < 0x80 else 3
    out = b""
    for _ in range(2):
        assert sig_der[pos] == 0x02
        length = sig_der[pos + 1]
        value = sig_der[pos + 2:pos + 2 + length].lstrip(b"\0")
        out += value.rjust(width, b"\0")
        pos += 2 + length
    return out

def envelope(name, key, alg, chain, header_extra=None, crit_extra=(), payload=None):
    header = {"alg": alg, "crit": ["io.cncf.notary.signingScheme", *crit_extra],
              "cty": "application/vnd.cncf.notary.payload.v1+json",
              "io.cncf.notary.signingScheme": "notary.x509",
              "io.cncf.notary.signingTime": "2025-01-02T03:04:05Z"}
    header.update(header_extra or {})
    payload = payload or {"targetArtifact": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:" + "ab" * 32, "size": 1234}}
    protected = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = (protected + "." + body).encode()
    if alg == "ES256":
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input, check=True, capture_output=True).stdout
        sig = raw_ecdsa(sig, 32)
    else:
        sig = subprocess.run(["openssl", "dgst", "-sha384", "-sign", key, "-sigopt", "rsa_padding_mode:pss",
                              "-sigopt", "rsa_pss_saltlen:digest"], input=signing_input, check=True, capture_output=True).stdout
    doc = {"payload": body, "protected": protected,
           "header": {"x5c": [base64.b64encode(der(c)).decode() for c in chain],
                      "io.cncf.notary.signingAgent": "edgeverify-test"},
           "signature": b64url(sig)}
    open(name, "w").write(json.dumps(doc, indent=1) + "\n")

chain = ["leaf.crt", "intermediate.crt", "root.crt"]
envelope("es256.jws", "leaf.key", "ES256", chain)
envelope("ps384.jws", "leaf-rsa.key", "PS384", ["leaf-rsa.crt", "intermediate.crt", "root.crt"])
envelope("expired.jws", "leaf.key", "ES256", chain, {"io.cncf.notary.expiry": "2020-01-01T00:00:00Z"}, ["io.cncf.notary.expiry"])
envelope("unknown-critical.jws", "leaf.key", "ES256", chain, {"com.example.mustUnderstand": "1"}, ["com.example.mustUnderstand"])
envelope("expiry-not-critical.jws", "leaf.key", "ES256", chain, {"io.cncf.notary.expiry": "2120-01-01T00:00:00Z"})
envelope("plugin.jws", "leaf.key", "ES256", chain, {"io.cncf.notary.verificationPlugin": "com.example.plugin"}, ["io.cncf.notary.verificationPlugin"])
envelope("revoked.jws", "leaf-revoked.key", "ES256", ["leaf-revoked.crt", "intermediate.crt", "root.crt"])
envelope("crl-pointer.jws", "leaf-crl.key", "ES256", ["leaf-crl.crt", "intermediate.crt", "root.crt"])
envelope("alg-mismatch.jws", "leaf.key", "ES256", chain, {"alg": "ES384"})
PY
rm -f ./*.key.tmp
# Private keys are not needed by the tests.
rm -f ./*.key
echo "generated in $(pwd)"
