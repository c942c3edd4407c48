#!/usr/bin/env bash
# The vulnerabilityAttestation rule (docs/rules.md) on the real umoci image of rules_images.sh:
# cosign-style `.att` attestations (a Trivy cosign-vuln predicate in an in-toto statement, DSSE
# signed with the openssl CLI over the PAE) added beside the image. A clean scan is admitted, a
# CRITICAL finding refused in enforce and reported in audit, a stale scan refused, and an
# attestation signed by another key, unsigned, about another image or absent is refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rules_images.sh"

export EDGEVERIFY_STATE_DIR="$WORK/state"
mkdir -p "$EDGEVERIFY_STATE_DIR"
chmod 0700 "$EDGEVERIFY_STATE_DIR"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/scanner.key" 2>/dev/null
openssl pkey -in "$WORK/scanner.key" -pubout -out "$RULES/trust/keys/scanner.pub" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/other.key" 2>/dev/null
PREDICATE=https://cosign.sigstore.dev/attestation/vuln/v1
IN_TOTO=application/vnd.in-toto+json
TAG="sha256-${DIGEST_CLEAN#sha256:}.att"

# statement FILE FINISHED VULNERABILITIES_JSON [SUBJECT_DIGEST]: what `cosign attest --type vuln`
# wraps around `trivy --format cosign-vuln` output.
statement() {
    local subject=${4:-$DIGEST_CLEAN}
    cat >"$1" <<JSON
{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"$PREDICATE","subject":[{"name":"registry.example.com/fleet/app","digest":{"sha256":"${subject#sha256:}"}}],"predicate":{"invocation":{"parameters":null,"uri":"","event_id":"","builder.id":""},"scanner":{"uri":"pkg:github/aquasecurity/trivy@v0.57.0","version":"0.57.0","db":{"uri":"","version":"2"},"result":{"SchemaVersion":2,"ArtifactName":"registry.example.com/fleet/app:1.0","ArtifactType":"container_image","Results":[{"Target":"app (debian 12.8)","Class":"os-pkgs","Type":"debian","Vulnerabilities":$3}]}},"metadata":{"scanStartedOn":"$2","scanFinishedOn":"$2"}}}
JSON
}

# envelope STATEMENT KEY|none OUT: a DSSE envelope; the signature is openssl's ECDSA (DER, SHA-256)
# over the pre-authentication encoding "DSSEv1 <len type> <type> <len payload> <payload>".
envelope() {
    local signatures='[]'
    if [ "$2" != none ]; then
        { printf 'DSSEv1 %d %s %d ' "${#IN_TOTO}" "$IN_TOTO" "$(stat -c %s "$1")"; cat "$1"; } >"$1.pae"
        signatures="[{\"keyid\":\"\",\"sig\":\"$(openssl dgst -sha256 -sign "$2" "$1.pae" | base64 -w0)\"}]"
    fi
    printf '{"payloadType":"%s","payload":"%s","signatures":%s}' "$IN_TOTO" "$(base64 -w0 "$1")" "$signatures" >"$3"
}

# attested NAME ENVELOPE...: a copy of the rules layout with one .att manifest for the clean image.
attested() {
    local name=$1
    shift
    rm -rf "$WORK/$name"
    cp -a "$RULES/layout" "$WORK/$name"
    [ $# -eq 0 ] || ocitool add-cosign-att "$WORK/$name" "$DIGEST_CLEAN" "$PREDICATE" "$@" >/dev/null
}

# expect_att DESC EXIT OUTCOME EVIDENCE -- LAYOUT: verify --json's vulnerabilityAttestation result.
expect_att() {
    local desc=$1 want=$2 outcome=$3 evidence=$4
    run_ev verify oci:"$WORK/$6":clean --trust "$RULES/trust" --reference "$REF" --json
    local got
    got=$(jget "$WORK/last.out" "[r['outcome'] + ': ' + r['evidence'] for r in d['images'][0]['trust']['rules'] if r['rule']=='vulnerabilityAttestation']")
    check_eq "$desc: exit" "$RC" "$want"
    check_eq "$desc: result" "$got" "$("$PYTHON" -c 'import json,sys; print(json.dumps([sys.argv[1]]))' "$outcome: $evidence")"
}

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
CRITICAL='[{"VulnerabilityID":"CVE-2099-4000","PkgName":"libc6","InstalledVersion":"2.36-9+deb12u4","FixedVersion":"2.36-9+deb12u10","Severity":"CRITICAL","Title":"test"},{"VulnerabilityID":"CVE-2099-4001","PkgName":"zlib1g","InstalledVersion":"1:1.2.13.dfsg-1","Severity":"LOW"}]'
ABOUT="scan by pkg:github/aquasecurity/trivy@v0.57.0 0.57.0 finished $NOW, $TAG layer 1/1 signed with keys/scanner.pub"

statement "$WORK/clean.json" "$NOW" null
envelope "$WORK/clean.json" "$WORK/scanner.key" "$WORK/clean.env"
attested clean "$WORK/clean.env"
rules_policy '{"vulnerabilityAttestation":{"keys":["keys/scanner.pub"],"minSeverity":"HIGH","maxScanAgeDays":7}}'
expect_att "clean scan: admitted" 0 pass "no finding at or above HIGH ($ABOUT)" -- clean

statement "$WORK/critical.json" "$NOW" "$CRITICAL"
envelope "$WORK/critical.json" "$WORK/scanner.key" "$WORK/critical.env"
attested critical "$WORK/critical.env"
FINDING="1 finding at or above HIGH (or UNKNOWN): libc6 2.36-9+deb12u4 has CVE-2099-4000 (CRITICAL, fixed in 2.36-9+deb12u10); below HIGH: zlib1g 1:1.2.13.dfsg-1 has CVE-2099-4001 (LOW, no fixed version listed) ($ABOUT)"
expect_att "CRITICAL finding: refused in enforce" 1 fail "$FINDING" -- critical
run_ev verify oci:"$WORK/critical":clean --trust "$RULES/trust" --reference "$REF"
if [ "$RC" -eq 1 ] && grep -qF "edgeverify: rejected: untrusted: rule vulnerabilityAttestation: $FINDING" "$WORK/last.err"; then
    pass "enforce: the rejection names id, severity and package"
else
    fail "enforce: the rejection names id, severity and package"; _show_run
fi
rules_policy '{"vulnerabilityAttestation":{"keys":["keys/scanner.pub"],"minSeverity":"HIGH","mode":"audit"}}'
expect_att "CRITICAL finding: reported in audit" 0 audit-fail "$FINDING" -- critical
run_ev verify oci:"$WORK/critical":clean --trust "$RULES/trust" --reference "$REF"
if [ "$RC" -eq 0 ] && grep -qF "edgeverify: audit: rule vulnerabilityAttestation: $FINDING" "$WORK/last.err"; then
    pass "audit: stderr reports the finding"
else
    fail "audit: stderr reports the finding"; _show_run
fi
rules_policy '{"vulnerabilityAttestation":{"keys":["keys/scanner.pub"],"minSeverity":"HIGH","allow":["CVE-2099-4000"]}}'
expect_att "allowed CRITICAL finding" 0 pass "no finding at or above HIGH; below HIGH: zlib1g 1:1.2.13.dfsg-1 has CVE-2099-4001 (LOW, no fixed version listed); allowed: libc6 2.36-9+deb12u4 has CVE-2099-4000 (CRITICAL, fixed in 2.36-9+deb12u10) ($ABOUT)" -- critical

OLD=$(date -u -d '40 days ago' +%Y-%m-%dT%H:%M:%SZ)
statement "$WORK/stale.json" "$OLD" null
envelope "$WORK/stale.json" "$WORK/scanner.key" "$WORK/stale.env"
attested stale "$WORK/stale.env"
rules_policy '{"vulnerabilityAttestation":{"keys":["keys/scanner.pub"],"maxScanAgeDays":30}}'
run_ev verify oci:"$WORK/stale":clean --trust "$RULES/trust" --reference "$REF" --json
check_eq "stale scan: refused" "$RC" 1
if grep -qF "the newest verified scan is 40 days old, over maxScanAgeDays 30" "$WORK/last.out"; then
    pass "stale scan: the evidence gives its age"
else
    fail "stale scan: the evidence gives its age"; _show_run
fi

rules_policy '{"vulnerabilityAttestation":{"keys":["keys/scanner.pub"]}}'
envelope "$WORK/clean.json" "$WORK/other.key" "$WORK/other.env"
attested other "$WORK/other.env"
expect_att "signed by another key: refused" 1 fail \
    "no vulnerability attestation verifies: $TAG layer 1/1: the DSSE signature does not verify with keys/scanner.pub" -- other
envelope "$WORK/clean.json" none "$WORK/unsigned.env"
attested unsigned "$WORK/unsigned.env"
run_ev verify oci:"$WORK/unsigned":clean --trust "$RULES/trust" --reference "$REF" --json
check_eq "unsigned: refused" "$RC" 1
grep -qF "no vulnerability attestation verifies: $TAG layer 1/1: schema-violation: DSSE envelope: signatures must be a non-empty array" "$WORK/last.out" &&
    pass "unsigned: the envelope has no signature" || { fail "unsigned: the envelope has no signature"; _show_run; }
statement "$WORK/elsewhere.json" "$NOW" null "$DIGEST_RISKY"
envelope "$WORK/elsewhere.json" "$WORK/scanner.key" "$WORK/elsewhere.env"
attested elsewhere "$WORK/elsewhere.env"
expect_att "about another image: refused" 1 fail \
    "no vulnerability attestation verifies: $TAG layer 1/1: in-toto subject $DIGEST_RISKY, not this image (manifest $DIGEST_CLEAN)" -- elsewhere
attested none
expect_att "no attestation: refused" 1 fail \
    "no vulnerability attestation (predicate type $PREDICATE) was found for the image (cosign .att or Sigstore bundle referrer)" -- none
# The wrong signer's attestation beside a good one: the good one decides.
attested both "$WORK/other.env" "$WORK/clean.env"
run_ev verify oci:"$WORK/both":clean --trust "$RULES/trust" --reference "$REF"
check_eq "a verified attestation beside a refused one: admitted" "$RC" 0

# A Sigstore bundle v0.3 with the DSSE envelope (openssl's signature), attached as an OCI 1.1
# referrer and left unlisted among the blobs, as cosign save leaves cosign v3 attestations.
# referrer_layout NAME STATEMENT KEY: the clean layout plus that referrer.
referrer_layout() {
    local name=$1 stmt=$2 key=$3 sig bundle_digest empty_digest manifest_size
    attested "$name"
    { printf 'DSSEv1 %d %s %d ' "${#IN_TOTO}" "$IN_TOTO" "$(stat -c %s "$stmt")"; cat "$stmt"; } >"$stmt.pae"
    sig=$(openssl dgst -sha256 -sign "$key" "$stmt.pae" | base64 -w0)
    printf '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":""}},"dsseEnvelope":{"payload":"%s","payloadType":"%s","signatures":[{"sig":"%s","keyid":""}]}}' \
        "$(base64 -w0 "$stmt")" "$IN_TOTO" "$sig" >"$WORK/$name.bundle.json"
    printf '{}' >"$WORK/empty.json"
    bundle_digest=$(ocitool add-blob "$WORK/$name" "$WORK/$name.bundle.json")
    empty_digest=$(ocitool add-blob "$WORK/$name" "$WORK/empty.json")
    manifest_size=$(stat -c %s "$WORK/$name/blobs/sha256/${DIGEST_CLEAN#sha256:}")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},"layers":[{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","digest":"%s","size":%d}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d},"annotations":{"dev.sigstore.bundle.content":"dsse-envelope","dev.sigstore.bundle.predicateType":"%s"}}' \
        "$empty_digest" "$bundle_digest" "$(stat -c %s "$WORK/$name.bundle.json")" "$DIGEST_CLEAN" "$manifest_size" \
        "$PREDICATE" >"$WORK/$name.referrer.json"
    REFERRER_DIGEST=$(ocitool add-blob "$WORK/$name" "$WORK/$name.referrer.json")
}
rules_policy '{"vulnerabilityAttestation":{"keys":["keys/scanner.pub"],"minSeverity":"HIGH"}}'
referrer_layout bundle-critical "$WORK/critical.json" "$WORK/scanner.key"
expect_att "bundle referrer with a CRITICAL finding: refused" 1 fail \
    "1 finding at or above HIGH (or UNKNOWN): libc6 2.36-9+deb12u4 has CVE-2099-4000 (CRITICAL, fixed in 2.36-9+deb12u10); below HIGH: zlib1g 1:1.2.13.dfsg-1 has CVE-2099-4001 (LOW, no fixed version listed) (scan by pkg:github/aquasecurity/trivy@v0.57.0 0.57.0 finished $NOW, referrer $REFERRER_DIGEST signed with keys/scanner.pub)" \
    -- bundle-critical
referrer_layout bundle-clean "$WORK/clean.json" "$WORK/scanner.key"
expect_att "bundle referrer with a clean scan: admitted" 0 pass \
    "no finding at or above HIGH (scan by pkg:github/aquasecurity/trivy@v0.57.0 0.57.0 finished $NOW, referrer $REFERRER_DIGEST signed with keys/scanner.pub)" \
    -- bundle-clean
referrer_layout bundle-other "$WORK/clean.json" "$WORK/other.key"
expect_att "bundle referrer signed by another key: refused" 1 fail \
    "no vulnerability attestation verifies: referrer $REFERRER_DIGEST: the DSSE signature does not verify with keys/scanner.pub" \
    -- bundle-other

rules_policy '{"vulnerabilityAttestation":{"keys":["keys/nope.pub"]}}'
expect_exit 2 -- "$EDGEVERIFY" verify oci:"$WORK/clean":clean --trust "$RULES/trust" --reference "$REF"
grep -qF 'rules.vulnerabilityAttestation.keys[0]: "keys/nope.pub" is not a key of the trust store' "$WORK/last.err" &&
    pass "unknown key: configuration error" || { fail "unknown key: configuration error"; _show_run; }

finish
