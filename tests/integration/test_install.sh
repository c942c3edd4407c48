#!/usr/bin/env bash
# `edgeverify install` into a real containerd 1.6 on a private socket (containerd_lib.sh): signed
# images land under exactly the verified digest with all content present and a verdict; unsigned,
# tampered, wrongly signed and docker-archive sources are refused, absent from containerd and kept
# in quarantine with reason.txt; signature and referrer manifests never reach containerd.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containerd_lib.sh"

export EDGEVERIFY_STATE_DIR="$WORK/state"
STATE=$EDGEVERIFY_STATE_DIR
REPO=registry.example.com/fleet
MANIFEST=$(jget "$FIX/single/index.json" 'd["manifests"][0]["digest"]')

containerd_start
INSTALL=(install --trust "$WORK/trust" --containerd-address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE")

# Keys and a trust store that requires the release key for the fleet.
mkdir -p "$WORK/keys" "$WORK/trust/keys"
run_ev keygen --out "$WORK/keys/release"
check_eq "keygen release key" "$RC" 0
run_ev keygen --out "$WORK/keys/other"
check_eq "keygen other key" "$RC" 0
cp "$WORK/keys/release.pub" "$WORK/trust/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"%s/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' \
    "$REPO" >"$WORK/trust/policy.json"

signed_copy() {  # FIXTURE DEST REF [KEY] [--bundle]
    local l
    l=$(fixture_copy "$1" "$2")
    run_ev sign "$l" --key "${4:-$WORK/keys/release.key}" --reference "$3" ${5:-}
    [ "$RC" -eq 0 ] || { fail "sign $2"; _show_run; }
    echo "$l"
}

staging_empty() {
    local left
    left=$(find "$STATE/staging" -mindepth 1 2>/dev/null | head -n 3)
    check_eq "$1: staging is empty afterwards" "$left" ""
}

expect_refused() {  # DESC NAME [REASON-SUBSTRING]
    if [ "$RC" -eq 1 ]; then pass "$1: refused (exit 1)"; else fail "$1: refused (exit 1)"; _show_run; fi
    check_eq "$1: absent from containerd" "$(ctr_images_ls_digest "$2")" ""
    local q
    q=$(jget "$WORK/last.out" 'd.get("quarantine", "")')
    if [ -n "$q" ] && [ -f "$q/reason.txt" ]; then
        pass "$1: quarantined with reason.txt ($(head -c 100 "$q/reason.txt"))"
        if [ -n "${3:-}" ]; then
            if grep -q -- "$3" "$q/reason.txt"; then pass "$1: reason names '$3'"; else fail "$1: reason names '$3'"; cat "$q/reason.txt"; fi
        fi
    else
        fail "$1: quarantined with reason.txt (quarantine '$q')"
        _show_run
    fi
    staging_empty "$1"
}

# --- a signed layout is installed under the verified digest
L=$(signed_copy single "$WORK/signed" "$REPO/app:1.0")
run_ev "${INSTALL[@]}" "$L" --reference "$REPO/app:1.0" --json
check_eq "signed layout: installed (exit 0)" "$RC" 0
[ "$RC" -eq 0 ] || _show_run
check_eq "signed layout: JSON says installed" "$(jget "$WORK/last.out" 'd["installed"]')" true
check_eq "signed layout: containerd holds it under the verified digest" "$(ctr_images_ls_digest "$REPO/app:1.0")" "$MANIFEST"
check_eq "signed layout: images check complete" \
    "$("${CTR[@]}" images check "name==$REPO/app:1.0" | awk 'NR > 1 {print $4}')" complete
check_eq "signed layout: unpacked" \
    "$("${CTR[@]}" images check "name==$REPO/app:1.0" | awk 'NR > 1 {print $NF}')" true
check_eq "signed layout: only the image was imported (no .sig image)" \
    "$("${CTR[@]}" images ls -q | grep -c -v "^$REPO/app:1.0\$" || true)" 0
V="$STATE/verdicts/sha256/${MANIFEST#sha256:}.json"
if [ -f "$V" ]; then pass "signed layout: verdict file written"; else fail "signed layout: verdict file $V"; fi
check_eq "signed layout: verdict names the containerd image" "$(jget "$V" 'd.get("containerdName", d.get("containerd_name"))')" "$REPO/app:1.0"
check_eq "signed layout: a report is in the outbox" "$(find "$STATE/outbox" -name '*.json' | wc -l | tr -d ' ')" 1
staging_empty "signed layout"

# --- a signed oci-archive
A=$(fixture_copy image.oci.tar "$WORK/signed.oci.tar")
run_ev sign "$A" --key "$WORK/keys/release.key" --reference "$REPO/archive:1.0"
check_eq "sign the oci-archive" "$RC" 0
run_ev "${INSTALL[@]}" "$A" --reference "$REPO/archive:1.0" --json
check_eq "signed oci-archive: installed (exit 0)" "$RC" 0
[ "$RC" -eq 0 ] || _show_run
check_eq "signed oci-archive: containerd holds it under the verified digest" \
    "$(ctr_images_ls_digest "$REPO/archive:1.0")" "$MANIFEST"
staging_empty "signed oci-archive"

# --- a .sig manifest and a Sigstore bundle referrer: both dropped, the image unpacks
B=$(signed_copy single "$WORK/bundled" "$REPO/bundled:1.0")
run_ev sign "$B" --key "$WORK/keys/release.key" --reference "$REPO/bundled:1.0" --bundle
check_eq "sign --bundle" "$RC" 0
run_ev "${INSTALL[@]}" "$B" --reference "$REPO/bundled:1.0" --json
check_eq "sig + bundle referrer: installed and unpacked (exit 0)" "$RC" 0
[ "$RC" -eq 0 ] || _show_run
check_eq "sig + bundle referrer: unpacked" \
    "$("${CTR[@]}" images check "name==$REPO/bundled:1.0" | awk 'NR > 1 {print $NF}')" true

# --- refusals
U=$(fixture_copy single "$WORK/unsigned")
run_ev "${INSTALL[@]}" "$U" --reference "$REPO/unsigned:1.0" --json
expect_refused "unsigned layout" "$REPO/unsigned:1.0"

T=$(signed_copy single "$WORK/tampered" "$REPO/tampered:1.0")
LAYER=$(find "$T/blobs/sha256" -type f -size +100k | head -n 1)
"$PYTHON" - "$LAYER" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01
open(p, "wb").write(bytes(b))
PY
run_ev "${INSTALL[@]}" "$T" --reference "$REPO/tampered:1.0" --json
expect_refused "tampered layer (one bit, same size)" "$REPO/tampered:1.0" digest-mismatch

W=$(signed_copy single "$WORK/wrongkey" "$REPO/wrong:1.0" "$WORK/keys/other.key")
run_ev "${INSTALL[@]}" "$W" --reference "$REPO/wrong:1.0" --json
expect_refused "signed with an untrusted key" "$REPO/wrong:1.0" untrusted

D=$(fixture_copy image.docker.tar "$WORK/image.docker.tar")
run_ev "${INSTALL[@]}" "$D" --reference "$REPO/docker:1.0" --json
expect_refused "docker-archive under a signing scope" "$REPO/docker:1.0" "ship an OCI layout"

check_eq "a report for each refusal too" "$(find "$STATE/outbox" -name '*.json' | wc -l | tr -d ' ')" 7

# --- an image selected from an index: containerd holds the index digest; verdicts for both
# (an audit default admits the unsigned image and records passed=false)
mkdir -p "$WORK/audit-trust"
printf '{"version":1,"default":"audit","scopes":[]}\n' >"$WORK/audit-trust/policy.json"
M=$(fixture_copy multiarch "$WORK/multiarch")
INDEX=$(jget "$M/index.json" 'd["manifests"][0]["digest"]')
run_ev install --trust "$WORK/audit-trust" --containerd-address "$CONTAINERD_ADDRESS" \
    --namespace "$CONTAINERD_NAMESPACE" "oci:$M:multi" --reference "$REPO/multi:1.0" --platform linux/amd64 --json
check_eq "index (audit default): installed (exit 0)" "$RC" 0
[ "$RC" -eq 0 ] || _show_run
check_eq "index: containerd holds the index digest" "$(ctr_images_ls_digest "$REPO/multi:1.0")" "$INDEX"
check_eq "index: verdict for the index, role index" \
    "$(jget "$STATE/verdicts/sha256/${INDEX#sha256:}.json" 'd["role"]')" index
PLATFORM_MANIFEST=$(jget "$WORK/last.out" 'd["images"][0]["manifestDigest"]')
check_eq "index: verdict for the platform manifest, role manifest, passed false (audit)" \
    "$(jget "$STATE/verdicts/sha256/${PLATFORM_MANIFEST#sha256:}.json" '[d["role"], d["passed"], d["indexDigest"]]')" \
    "[\"manifest\", false, \"$INDEX\"]"

# --- --no-unpack: imported and complete (UNPACKED is not asserted: the same layers were unpacked
# for the images above, and ctr reports the shared snapshots)
N=$(signed_copy single "$WORK/nounpack" "$REPO/nounpack:1.0")
run_ev "${INSTALL[@]}" "$N" --reference "$REPO/nounpack:1.0" --no-unpack
check_eq "--no-unpack: installed (exit 0)" "$RC" 0
check_eq "--no-unpack: containerd holds it, complete" \
    "$("${CTR[@]}" images check "name==$REPO/nounpack:1.0" | awk 'NR > 1 {print $3, $4}')" "$MANIFEST complete"

# --- containerd holding something else than was verified: a ctr wrapper (--ctr) that imports for
# real but reports another target digest, or an incomplete image -> removed, quarantined, exit 1
REAL_CTR=$(command -v ctr)
cat >"$WORK/ctr-other-digest" <<SH
#!/bin/sh
case " \$* " in
*" images ls "*) "$REAL_CTR" "\$@" | sed 's/sha256:[0-9a-f]\{64\}/sha256:$(printf '0%.0s' $(seq 64))/' ;;
*) exec "$REAL_CTR" "\$@" ;;
esac
SH
cat >"$WORK/ctr-incomplete" <<SH
#!/bin/sh
case " \$* " in
*" images check "*) "$REAL_CTR" "\$@" | sed 's/ complete / incomplete /' ;;
*) exec "$REAL_CTR" "\$@" ;;
esac
SH
chmod +x "$WORK/ctr-other-digest" "$WORK/ctr-incomplete"
X=$(signed_copy single "$WORK/otherdigest" "$REPO/otherdigest:1.0")
run_ev "${INSTALL[@]}" "$X" --reference "$REPO/otherdigest:1.0" --ctr "$WORK/ctr-other-digest" --json
expect_refused "containerd lists another digest" "$REPO/otherdigest:1.0" digest-mismatch
X=$(signed_copy single "$WORK/incomplete" "$REPO/incomplete:1.0")
run_ev "${INSTALL[@]}" "$X" --reference "$REPO/incomplete:1.0" --ctr "$WORK/ctr-incomplete" --json
expect_refused "containerd reports the image incomplete" "$REPO/incomplete:1.0" incomplete

# --- containerd unreachable: an I/O error (exit 3), nothing left in staging
L2=$(signed_copy single "$WORK/nodaemon" "$REPO/nodaemon:1.0")
run_ev install --trust "$WORK/trust" --containerd-address "$WORK/no-such.sock" "$L2" --reference "$REPO/nodaemon:1.0"
check_eq "containerd unreachable: exit 3" "$RC" 3
staging_empty "containerd unreachable"

# --- the report cannot be written (a corrupt sequence counter): the install is undone
export EDGEVERIFY_STATE_DIR="$WORK/state-noreport"
run_ev device init
check_eq "device init for the no-report state" "$RC" 0
printf 'not a number\n' >"$EDGEVERIFY_STATE_DIR/sequence"
N=$(signed_copy single "$WORK/noreport" "$REPO/noreport:1.0")
run_ev "${INSTALL[@]}" "$N" --reference "$REPO/noreport:1.0" --json
if [ "$RC" -ne 0 ]; then pass "no report possible: install fails (exit $RC)"; else fail "no report possible: install fails"; _show_run; fi
check_eq "no report possible: absent from containerd" "$(ctr_images_ls_digest "$REPO/noreport:1.0")" ""
check_eq "no report possible: no verdict left" \
    "$(find "$EDGEVERIFY_STATE_DIR/verdicts" -name '*.json' 2>/dev/null | wc -l | tr -d ' ')" 0
export EDGEVERIFY_STATE_DIR="$STATE"

finish
