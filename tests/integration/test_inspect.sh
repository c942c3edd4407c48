#!/usr/bin/env bash
# `edgeverify inspect`: the facts of real umoci images (rules_images.sh) without judging, in
# JSON and text; unreadable and malformed sources exit like verify.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rules_images.sh"

LAYER0=$(jget "$RULES/layout/blobs/sha256/${DIGEST_RISKY#sha256:}" 'd["layers"][0]["digest"]')

run_ev inspect oci:"$RULES/layout":risky --json
cp "$WORK/last.out" "$WORK/risky.json"
check_eq "inspect risky: exit 0" "$RC" 0
F='d["images"][0]["facts"]'
check_eq "result inspected" "$(jget "$WORK/risky.json" 'd["result"]')" inspected
check_eq "layer count" "$(jget "$WORK/risky.json" "$F['layerCount']")" 2
check_eq "user unset" "$(jget "$WORK/risky.json" "$F['user']")" ""
check_eq "version" "$(jget "$WORK/risky.json" "$F['version']")" 1.2.0
check_eq "base digest" "$(jget "$WORK/risky.json" "$F['baseDigest']")" "$BASE_DIGEST"
check_eq "base name" "$(jget "$WORK/risky.json" "$F['baseName']")" docker.io/library/debian:12
check_eq "created present" "$(jget "$WORK/risky.json" "$F['created'][:4] == '$(date -u +%Y)' or $F['created'][:4] == '$(date -u -d '10 days ago' +%Y)'")" true
check_eq "setuid finding with layer" \
    "$(jget "$WORK/risky.json" "[(f['layer'], f['layerDigest'], f['detail']) for f in $F['findings'] if f['kind']=='setuid']")" \
    "[[0, \"$LAYER0\", \"4755\"]]"
check_eq "world-writable dir without sticky bit (tmp/ 1777 not listed)" \
    "$(jget "$WORK/risky.json" "sorted(f['path'] for f in $F['findings'] if f['kind']=='world-writable')")" '["data"]'
check_eq "device node" "$(jget "$WORK/risky.json" "[f['detail'] for f in $F['findings'] if f['kind']=='device-node']")" '["char 1:3"]'
check_eq "watched paths (default list: shells)" \
    "$(jget "$WORK/risky.json" "sorted(f['path'] + ' ' + f['detail'] for f in $F['findings'] if f['kind']=='watched-path')")" \
    '["bin/busybox present", "bin/sh symlink to busybox"]'
check_eq "dpkg packages (installed only)" \
    "$(jget "$WORK/risky.json" "[(p['name'], p['version']) for p in $F['packages']['list']]")" \
    '[["libc6", "2.36-9+deb12u4"], ["busybox", "1:1.35.0-4"]]'
check_eq "package database" "$(jget "$WORK/risky.json" "$F['packages']['database']")" var/lib/dpkg/status
check_eq "os-release" "$(jget "$WORK/risky.json" "$F['packages']['osRelease']['ID']")" debian

run_ev inspect oci:"$RULES/layout":clean
check_eq "inspect clean (text): exit 0" "$RC" 0
grep -qF "  user       1000:1000" "$WORK/last.out" && pass "text: user" || { fail "text: user"; _show_run; }
grep -qF "  packages   0 (no package database)" "$WORK/last.out" && pass "text: no packages" || { fail "text: packages"; _show_run; }

# Exit codes as verify: unreadable 3, malformed 1, usage 2.
expect_exit 3 -- "$EDGEVERIFY" inspect "$WORK/does-not-exist"
expect_exit 2 -- "$EDGEVERIFY" inspect
expect_exit 2 -- "$EDGEVERIFY" inspect oci:"$RULES/layout":risky --bogus
cp -a "$RULES/layout" "$WORK/tampered"
layer_blob="$WORK/tampered/blobs/sha256/${LAYER0#sha256:}"
chmod u+w "$layer_blob"
printf 'X' | dd of="$layer_blob" bs=1 seek=100 conv=notrunc 2>/dev/null
run_ev inspect oci:"$WORK/tampered":risky --json
check_eq "tampered layer: exit 1" "$RC" 1
check_eq "tampered layer: rejected with digest-mismatch" \
    "$(jget "$WORK/last.out" "d['result'] + ' ' + str(any(l.get('error',{}).get('code')=='digest-mismatch' for i in d['images'] for l in i['layers']) or any(e['code']=='digest-mismatch' for e in d['errors']))")" \
    "rejected True"

finish
