#!/bin/sh
# Regenerates the public keys of the example trust stores (docs/trust-policy.md). The private
# halves are thrown away: these stores exist to be loaded by tests, not to verify real images.
# The committed keys were made with this script; rerunning it changes the stores' digests only.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pub() {  # pub KEYFILE OUT: write the SubjectPublicKeyInfo PEM of a private key
    mkdir -p "$(dirname "$2")"
    openssl pkey -in "$1" -pubout -out "$2"
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/release.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$tmp/ci.key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$tmp/vendor.key" 2>/dev/null

pub "$tmp/release.key" single-key/keys/release.pub
pub "$tmp/release.key" two-keys-threshold/keys/release.pub
pub "$tmp/ci.key" two-keys-threshold/keys/ci.pub
pub "$tmp/vendor.key" default-audit/keys/vendor.pub
