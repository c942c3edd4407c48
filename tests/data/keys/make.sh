#!/bin/sh
# Regenerates the key and signature fixtures of tests/unit/core/crypto with openssl (3.0).
# Each .hint is cosign's key hint: base64(sha256(SubjectPublicKeyInfo DER)).
set -eu
cd "$(dirname "$0")"
printf 'edgeverify test message\n' > message.txt

key() {  # name, genpkey arguments...
    name=$1; shift
    openssl genpkey "$@" -out "$name.key"
    openssl pkey -in "$name.key" -pubout -out "$name.pub"
    openssl pkey -pubin -in "$name.pub" -outform DER | openssl dgst -sha256 -binary | openssl base64 -A > "$name.hint"
}

key p256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key p384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
key p521 -algorithm EC -pkeyopt ec_paramgen_curve:P-521
key rsa2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key rsa3072 -algorithm RSA -pkeyopt rsa_keygen_bits:3072
key rsa1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
key ed25519 -algorithm ED25519
key secp256k1 -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1
key brainpool -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1
key x25519 -algorithm X25519
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.params
openssl genpkey -paramfile dsa.params -out dsa.key
openssl pkey -in dsa.key -pubout -out dsa.pub
rm dsa.params

# PKCS#1 "RSA PUBLIC KEY" form of the RSA-2048 key; SEC1 "EC PRIVATE KEY" form of the P-256 key.
openssl rsa -in rsa2048.key -RSAPublicKey_out -out rsa2048.pkcs1.pub
openssl ec -in p256.key -out p256.sec1.key

# Default schemes: ECDSA with SHA-256 (P-256), SHA-384 (P-384), SHA-512 (P-521); RSA PKCS#1 v1.5.
openssl dgst -sha256 -sign p256.key -out p256.sig message.txt
openssl dgst -sha384 -sign p384.key -out p384.sig message.txt
openssl dgst -sha512 -sign p521.key -out p521.sig message.txt
openssl dgst -sha256 -sign p384.key -out p384.sha256.sig message.txt
openssl dgst -sha256 -sign rsa2048.key -out rsa2048.sig message.txt
openssl dgst -sha256 -sign rsa3072.key -out rsa3072.sig message.txt
# RSA-PSS, SHA-256: salt length equal to the hash (cosign) and the maximum (Go's auto).
openssl dgst -sha256 -sign rsa2048.key -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -out rsa2048.pss32.sig message.txt
openssl dgst -sha256 -sign rsa2048.key -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max \
    -out rsa2048.pssmax.sig message.txt
# Pure Ed25519 over the message.
openssl pkeyutl -sign -rawin -inkey ed25519.key -in message.txt -out ed25519.sig
