#!/bin/bash
# Makes RFC 3161 tokens with the openssl CLI (an independent implementation) for the timestamp
# unit tests: a root CA, a TSA certificate with the critical timeStamping EKU, one without it
# critical, a foreign root and TSA, and replies over data.bin. Usage: make_tokens.sh OUTDIR
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"
cat >ext.cnf <<'CNF'
[ext_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ext_tsa]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
[ext_tsa_noncritical]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = timeStamping
CNF
cat >ts.cnf <<'CNF'
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = ./serial
crypto_device = builtin
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
signer_digest = sha256
ess_cert_id_alg = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
CNF
echo 01 >serial
ca() {  # NAME SUBJECT
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.crt" \
        -subj "$2" -days 3650 -extensions ext_ca -config <(cat /usr/lib/ssl/openssl.cnf ext.cnf) 2>/dev/null
}
leaf() {  # NAME SUBJECT ISSUER EXTENSIONS
    openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
    openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -days 3650 -sha256 \
        -extfile ext.cnf -extensions "ext_$4" -out "$1.crt" 2>/dev/null
}
ca root "/C=US/O=Edgeverify Test/CN=Test TSA Root"
leaf tsa "/C=US/O=Edgeverify Test/CN=Test TSA" root tsa
leaf tsa-noeku "/C=US/O=Edgeverify Test/CN=Test TSA without critical EKU" root tsa_noncritical
ca foreign-root "/C=US/O=Elsewhere/CN=Foreign TSA Root"
leaf foreign-tsa "/C=US/O=Elsewhere/CN=Foreign TSA" foreign-root tsa
head -c 256 /dev/urandom >data.bin
openssl ts -query -data data.bin -sha256 -cert -out with-cert.tsq 2>/dev/null
openssl ts -query -data data.bin -sha384 -no_nonce -out no-cert.tsq 2>/dev/null
reply() {  # QUERY SIGNER OUT
    openssl ts -reply -config ts.cnf -queryfile "$1" -signer "$2.crt" -inkey "$2.key" -out "$3" 2>/dev/null
}
reply with-cert.tsq tsa good.tsr
reply no-cert.tsq tsa no-cert.tsr
reply with-cert.tsq foreign-tsa foreign.tsr
openssl ts -reply -in good.tsr -token_out -out good.token 2>/dev/null
# openssl's own verdict, so the tests compare against an independent verifier.
openssl ts -verify -in good.tsr -data data.bin -CAfile root.crt -untrusted tsa.crt >/dev/null 2>&1
for der in root tsa foreign-root; do openssl x509 -in "$der.crt" -outform DER -out "$der.der"; done
