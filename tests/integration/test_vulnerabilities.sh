#!/usr/bin/env bash
# The vulnerabilities rule (docs/rules.md) on the real umoci image of rules_images.sh, whose
# layer carries a Debian 12 dpkg status (libc6 2.36-9+deb12u4, busybox 1:1.35.0-4), against a
# feed in the trust store signed with openssl: enforce refuses with the finding, audit admits and
# reports it, and an unsigned, tampered or wrongly signed feed is a configuration error. Two more
# umoci images of the same layout carry packages built from other sources (a dpkg status with
# Source lines, an apk database with origins) for entries keyed by source package.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rules_images.sh"

# add_package_image TAG DATABASE_PATH DATABASE OS_RELEASE: a one-layer umoci image in
# $RULES/layout holding a package database and etc/os-release, signed like the rules images.
add_package_image() {
    local tag=$1 db=$2 content=$3 os=$4 digest
    (
        cd "$RULES"
        umoci new --image "layout:$tag"
        umoci unpack --image "layout:$tag" bundle >/dev/null
        mkdir -p "bundle/rootfs/$(dirname "$db")" bundle/rootfs/etc
        printf '%s' "$content" >"bundle/rootfs/$db"
        printf '%s' "$os" >bundle/rootfs/etc/os-release
        umoci repack --image "layout:$tag" bundle
        rm -rf bundle
    ) >/dev/null || bail "building the $tag image failed"
    digest=$(jget "$RULES/layout/index.json" "[m['digest'] for m in d['manifests'] if m.get('annotations',{}).get('org.opencontainers.image.ref.name')=='$tag'][0]")
    printf '{"critical":{"identity":{"docker-reference":"registry.example.com/fleet/app"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
        "$digest" >"$RULES/$tag.payload"
    ocitool add-cosign-sig "$RULES/layout" "$digest" "$RULES/$tag.payload" \
        "$(openssl dgst -sha256 -sign "$RULES/release.key" "$RULES/$tag.payload" | base64 -w0)" >/dev/null ||
        bail "signing the $tag image failed"
}
# libssl3 from source openssl (no source version: the binary's), openssl its own source, libfoo1
# from source foo 2.0-1 (a versioned Source) with the binary version 1:2.0-1, zlib1g from zlib,
# and badsrc whose malformed Source (unclosed parenthesis) is skipped: it is its own source.
add_package_image debsrc var/lib/dpkg/status \
    "$(printf '%s\n' 'Package: libssl3' 'Status: install ok installed' 'Source: openssl' 'Version: 3.0.11-1~deb12u1' '' \
        'Package: openssl' 'Status: install ok installed' 'Version: 3.0.11-1~deb12u1' '' \
        'Package: libfoo1' 'Status: install ok installed' 'Source: foo (2.0-1)' 'Version: 1:2.0-1' '' \
        'Package: zlib1g' 'Status: install ok installed' 'Source: zlib' 'Version: 1:1.2.13.dfsg-1' '' \
        'Package: badsrc' 'Status: install ok installed' 'Source: openssl (3.0.11-1' 'Version: 1.0-1')" \
    "$(printf '%s\n' 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' 'ID=debian' 'VERSION_ID="12"')"
# libcrypto3 and libssl3 from origin openssl (the fixed release is r6), musl its own origin.
add_package_image apksrc lib/apk/db/installed \
    "$(printf '%s\n' 'C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=' 'P:libcrypto3' 'V:3.1.4-r5' 'A:x86_64' 'o:openssl' '' \
        'P:libssl3' 'V:3.1.4-r6' 'A:x86_64' 'o:openssl' '' 'P:musl' 'V:1.2.4-r2' 'o:musl')" \
    "$(printf '%s\n' 'ID=alpine' 'VERSION_ID=3.19.1' 'PRETTY_NAME="Alpine Linux v3.19"')"
DEBSRC=(oci:"$RULES/layout":debsrc --trust "$RULES/trust" --reference "$REF")
APKSRC=(oci:"$RULES/layout":apksrc --trust "$RULES/trust" --reference "$REF")

export EDGEVERIFY_STATE_DIR="$WORK/state"
mkdir -p "$EDGEVERIFY_STATE_DIR"
chmod 0700 "$EDGEVERIFY_STATE_DIR"
RISKY=(oci:"$RULES/layout":risky --trust "$RULES/trust" --reference "$REF")
CLEAN=(oci:"$RULES/layout":clean --trust "$RULES/trust" --reference "$REF")
FEED_DIR="$RULES/trust/vulnerabilities"
mkdir -p "$FEED_DIR"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/feed.key" 2>/dev/null
openssl pkey -in "$WORK/feed.key" -pubout -out "$RULES/trust/keys/feed.pub" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/other.key" 2>/dev/null

# write_feed GENERATED [KEY]: the feed, signed (base64 DER ECDSA over the exact bytes).
write_feed() {
    cat >"$FEED_DIR/feed.json" <<JSON
{"version": 1, "generated": "$1", "vulnerabilities": [
  {"id": "CVE-2099-1000", "severity": "HIGH", "summary": "test entry for libc6",
   "affected": [{"package": {"ecosystem": "Debian:12", "name": "libc6"},
                 "ranges": [{"introduced": "0", "fixed": "2.36-9+deb12u10"}]}]},
  {"id": "CVE-2099-2000", "severity": "LOW",
   "affected": [{"package": {"ecosystem": "Debian", "name": "busybox"}, "versions": ["1:1.35.0-4"]}]},
  {"id": "CVE-2099-3000", "severity": "CRITICAL",
   "affected": [{"package": {"ecosystem": "Debian:12", "name": "libc6"},
                 "ranges": [{"introduced": "0", "fixed": "2.36-9+deb12u4"}]}]},
  {"id": "CVE-2099-4000", "severity": "HIGH", "summary": "keyed by the source package, as Debian's data are",
   "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                 "ranges": [{"introduced": "0", "fixed": "3.0.11-1~deb12u2"}]}]},
  {"id": "CVE-2099-4001", "severity": "MEDIUM",
   "affected": [{"package": {"ecosystem": "Debian:12", "name": "foo"},
                 "ranges": [{"introduced": "0", "fixed": "2.0-2"}]}]},
  {"id": "CVE-2099-4002", "severity": "LOW",
   "affected": [{"package": {"ecosystem": "Alpine:v3.19", "name": "openssl"},
                 "ranges": [{"introduced": "0", "fixed": "3.1.4-r6"}]}]}
]}
JSON
    openssl dgst -sha256 -sign "${2:-$WORK/feed.key}" "$FEED_DIR/feed.json" | base64 -w0 >"$FEED_DIR/feed.json.sig"
}
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
write_feed "$NOW"
FEED_DIGEST="sha256:$(sha256sum "$FEED_DIR/feed.json" | cut -d' ' -f1)"

# expect_vuln DESC EXIT OUTCOME EVIDENCE -- ARGS: verify --json exits EXIT with the exact evidence.
expect_vuln() {
    local desc=$1 want=$2 outcome=$3 evidence=$4
    shift 5
    run_ev verify "$@" --json
    local got
    got=$(jget "$WORK/last.out" "[r['outcome'] + ': ' + r['evidence'] for r in d['images'][0]['trust']['rules'] if r['rule']=='vulnerabilities']")
    check_eq "$desc: exit" "$RC" "$want"
    check_eq "$desc: result" "$got" "$("$PYTHON" -c 'import json,sys; print(json.dumps([sys.argv[1]]))' "$outcome: $evidence")"
}

FINDINGS="2 vulnerabilities at or above LOW: libc6 2.36-9+deb12u4 has CVE-2099-1000 (HIGH, fixed in 2.36-9+deb12u10); busybox 1:1.35.0-4 has CVE-2099-2000 (LOW, no fixed version listed)"
ABOUT="(Debian 12, 2 packages, feed $FEED_DIGEST generated $NOW)"

rules_policy '{"vulnerabilities":{"key":"keys/feed.pub"}}'
# CVE-2099-3000 is fixed in exactly the installed 2.36-9+deb12u4: not a finding.
expect_vuln "enforce: refused with the findings" 1 fail "$FINDINGS $ABOUT" -- "${RISKY[@]}"
run_ev verify "${RISKY[@]}"
if [ "$RC" -eq 1 ] && grep -qF "edgeverify: rejected: untrusted: rule vulnerabilities: $FINDINGS" "$WORK/last.err"; then
    pass "enforce: the rejection message names the findings"
else
    fail "enforce: the rejection message names the findings"; _show_run
fi
expect_vuln "clean image: no package database" 0 pass \
    "the image has no package database: nothing to check (feed $FEED_DIGEST generated $NOW)" -- "${CLEAN[@]}"

# Entries keyed by source package: every binary of the source is caught, the source version is
# compared (libfoo1's binary version 1:2.0-1 is above the fixed 2.0-2, its source 2.0-1 below),
# and a malformed Source line leaves badsrc its own source (not caught by the openssl entry).
SRC_FINDINGS="3 vulnerabilities at or above LOW: libssl3 (source openssl) 3.0.11-1~deb12u1 has CVE-2099-4000 (HIGH, fixed in 3.0.11-1~deb12u2); openssl 3.0.11-1~deb12u1 has CVE-2099-4000 (HIGH, fixed in 3.0.11-1~deb12u2); libfoo1 (source foo 2.0-1) 1:2.0-1 has CVE-2099-4001 (MEDIUM, fixed in 2.0-2)"
expect_vuln "source-keyed entries: refused with each binary package" 1 fail \
    "$SRC_FINDINGS (Debian 12, 5 packages, feed $FEED_DIGEST generated $NOW)" -- "${DEBSRC[@]}"
run_ev verify "${DEBSRC[@]}"
if [ "$RC" -eq 1 ] && grep -qF "edgeverify: rejected: untrusted: rule vulnerabilities: $SRC_FINDINGS" "$WORK/last.err"; then
    pass "source-keyed entries: the rejection message names binary and source"
else
    fail "source-keyed entries: the rejection message names binary and source"; _show_run
fi
expect_vuln "apk origin: libcrypto3 caught by the openssl entry" 1 fail \
    "1 vulnerability at or above LOW: libcrypto3 (source openssl) 3.1.4-r5 has CVE-2099-4002 (LOW, fixed in 3.1.4-r6) (Alpine 3.19, 3 packages, feed $FEED_DIGEST generated $NOW)" \
    -- "${APKSRC[@]}"

# inspect shows the source where it is not the package itself (text), and always in --json.
run_ev inspect oci:"$RULES/layout":debsrc --json
check_eq "inspect --json: source and source version of each package" \
    "$(jget "$WORK/last.out" "[(p['name'], p['version'], p['source'], p['sourceVersion']) for p in d['images'][0]['facts']['packages']['list']]")" \
    '[["libssl3", "3.0.11-1~deb12u1", "openssl", "3.0.11-1~deb12u1"], ["openssl", "3.0.11-1~deb12u1", "openssl", "3.0.11-1~deb12u1"], ["libfoo1", "1:2.0-1", "foo", "2.0-1"], ["zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1"], ["badsrc", "1.0-1", "badsrc", "1.0-1"]]'
run_ev inspect oci:"$RULES/layout":debsrc
check_eq "inspect: exit" "$RC" 0
check_eq "inspect: package lines" "$(grep -E '^    (libssl3|openssl|libfoo1|zlib1g|badsrc) ' "$WORK/last.out")" \
    "$(printf '%s\n' '    libssl3 3.0.11-1~deb12u1 (source openssl)' '    openssl 3.0.11-1~deb12u1' \
        '    libfoo1 1:2.0-1 (source foo 2.0-1)' '    zlib1g 1:1.2.13.dfsg-1 (source zlib)' '    badsrc 1.0-1')"
run_ev inspect oci:"$RULES/layout":apksrc
check_eq "inspect: apk origin" "$(grep -E '^    (libcrypto3|libssl3|musl) ' "$WORK/last.out")" \
    "$(printf '%s\n' '    libcrypto3 3.1.4-r5 (source openssl)' '    libssl3 3.1.4-r6 (source openssl)' '    musl 1.2.4-r2')"

rules_policy '{"vulnerabilities":{"key":"keys/feed.pub","mode":"audit"}}'
expect_vuln "audit: admitted with the findings reported" 0 audit-fail "$FINDINGS $ABOUT" -- "${RISKY[@]}"
run_ev verify "${RISKY[@]}"
if [ "$RC" -eq 0 ] && grep -qF "edgeverify: audit: rule vulnerabilities: $FINDINGS" "$WORK/last.err"; then
    pass "audit: stderr reports the findings"
else
    fail "audit: stderr reports the findings"; _show_run
fi

rules_policy '{"vulnerabilities":{"key":"keys/feed.pub","minSeverity":"CRITICAL","allow":["CVE-2099-1000"]}}'
expect_vuln "minSeverity and allow" 0 pass \
    "no vulnerability at or above CRITICAL; below CRITICAL: busybox 1:1.35.0-4 has CVE-2099-2000 (LOW, no fixed version listed); allowed: libc6 2.36-9+deb12u4 has CVE-2099-1000 (HIGH, fixed in 2.36-9+deb12u10) $ABOUT" \
    -- "${RISKY[@]}"

# A stale feed, judged like freshness.
OLD=$(date -u -d '40 days ago' +%Y-%m-%dT%H:%M:%SZ)
write_feed "$OLD"
rules_policy '{"vulnerabilities":{"key":"keys/feed.pub","minSeverity":"CRITICAL","maxFeedAgeDays":30}}'
run_ev verify "${RISKY[@]}" --json
check_eq "stale feed: refused" "$RC" 1
if grep -qF "generated $OLD is 40 days old, over maxFeedAgeDays 30" "$WORK/last.out"; then
    pass "stale feed: the evidence gives its age"
else
    fail "stale feed: the evidence gives its age"; _show_run
fi

# Unsigned, tampered, wrongly signed: configuration errors naming the file.
write_feed "$NOW"
rules_policy '{"vulnerabilities":{"key":"keys/feed.pub"}}'
sed -i 's/2.36-9+deb12u10/2.36-9+deb12u1/' "$FEED_DIR/feed.json"
expect_exit 2 -- "$EDGEVERIFY" verify "${RISKY[@]}"
if grep -qF "$FEED_DIR/feed.json: the signature in feed.json.sig does not verify with keys/feed.pub" "$WORK/last.err"; then
    pass "tampered feed: refused naming the file and key"
else
    fail "tampered feed: refused naming the file and key"; _show_run
fi
write_feed "$NOW" "$WORK/other.key"
expect_exit 2 -- "$EDGEVERIFY" verify "${RISKY[@]}"
grep -qF "does not verify with keys/feed.pub" "$WORK/last.err" && pass "feed signed by another key: refused" ||
    { fail "feed signed by another key: refused"; _show_run; }
write_feed "$NOW"
rm "$FEED_DIR/feed.json.sig"
expect_exit 2 -- "$EDGEVERIFY" verify "${RISKY[@]}"
grep -qF "$FEED_DIR/feed.json.sig: missing: the feed is not signed" "$WORK/last.err" && pass "unsigned feed: refused" ||
    { fail "unsigned feed: refused"; _show_run; }
write_feed "$NOW"
rules_policy '{"vulnerabilities":{"key":"keys/nope.pub"}}'
expect_exit 2 -- "$EDGEVERIFY" verify "${RISKY[@]}"
grep -qF "the feed's key \"keys/nope.pub\" is not a key of the trust store" "$WORK/last.err" && pass "unknown feed key: refused" ||
    { fail "unknown feed key: refused"; _show_run; }

# No feed at all: required fails the rule, optional passes it.
rm -f "$FEED_DIR/feed.json" "$FEED_DIR/feed.json.sig"
rules_policy '{"vulnerabilities":{"key":"keys/feed.pub"}}'
expect_vuln "no feed, required" 1 fail "the trust store holds no vulnerability feed (vulnerabilities/feed.json)" -- "${RISKY[@]}"
rules_policy '{"vulnerabilities":{"key":"keys/feed.pub","feed":"optional"}}'
expect_vuln "no feed, optional" 0 pass "the trust store holds no vulnerability feed: not checked (feed is optional)" -- "${RISKY[@]}"

# The policy is parsed strictly.
rules_policy '{"vulnerabilities":{"key":"keys/feed.pub","minSeverity":"SEVERE"}}'
expect_exit 2 -- "$EDGEVERIFY" policy check --trust "$RULES/trust"
grep -qF 'scopes[0].rules.vulnerabilities.minSeverity: "SEVERE" is not LOW, MEDIUM, HIGH or CRITICAL' "$WORK/last.err" &&
    pass "policy check names the bad key" || { fail "policy check names the bad key"; _show_run; }

finish
