#!/usr/bin/env bash
# Image rules (docs/rules.md) on real umoci images signed with openssl: each rule enforced and
# audited, with the exact rule evidence checked in --json, and the floors read from a state dir.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rules_images.sh"

export EDGEVERIFY_STATE_DIR="$WORK/state"
mkdir -p "$EDGEVERIFY_STATE_DIR"
chmod 0700 "$EDGEVERIFY_STATE_DIR"
RISKY=(oci:"$RULES/layout":risky --trust "$RULES/trust" --reference "$REF")
CLEAN=(oci:"$RULES/layout":clean --trust "$RULES/trust" --reference "$REF")
LAYER0=$(jget "$RULES/layout/blobs/sha256/${DIGEST_RISKY#sha256:}" 'd["layers"][0]["digest"]')

# expect_rule DESC EXIT RULE OUTCOME EVIDENCE_SUBSTRING -- ARGS: `verify ARGS --json` exits EXIT
# and the image's trust.rules holds RULE with OUTCOME and evidence containing the substring.
expect_rule() {
    local desc=$1 want=$2 rule=$3 outcome=$4 sub=$5
    shift 5
    [ "$1" == "--" ] && shift
    run_ev verify "$@" --json
    local verdict
    verdict=$(jget "$WORK/last.out" "any(r['rule']=='$rule' and r['outcome']=='$outcome' and '''$sub''' in r['evidence'] for r in d['images'][0]['trust']['rules'])")
    if [ "$RC" -eq "$want" ] && [ "$verdict" == true ]; then
        pass "$desc: exit $want, $rule $outcome"
    else
        fail "$desc: exit $want and $rule $outcome with '$sub' expected: exit=$RC"
        _show_run
    fi
}

# --- no rules: the signature alone admits both images
rules_policy '{}'
expect_exit 0 -- "$EDGEVERIFY" verify "${RISKY[@]}"
check_eq "no rules: empty rules list" "$(run_ev verify "${RISKY[@]}" --json; jget "$WORK/last.out" 'd["images"][0]["trust"]["rules"]')" "[]"

# --- leastPrivilege
rules_policy '{"leastPrivilege":{}}'
expect_rule "leastPrivilege enforce, root user" 1 leastPrivilege fail 'config User "" runs as root' -- "${RISKY[@]}"
expect_rule "leastPrivilege names the setuid file and its layer" 1 leastPrivilege fail \
    "setuid usr/bin/suidhelper (4755) in layer 0 ($LAYER0)" -- "${RISKY[@]}"
expect_rule "leastPrivilege names the world-writable dir" 1 leastPrivilege fail "world-writable data (0777) in layer 0" -- "${RISKY[@]}"
expect_rule "leastPrivilege names the device node" 1 leastPrivilege fail "device-node dev/null0 (char 1:3) in layer 0" -- "${RISKY[@]}"
run_ev verify "${RISKY[@]}"
if [ "$RC" -eq 1 ] && grep -qF 'edgeverify: rejected: untrusted: rule leastPrivilege: config User "" runs as root' "$WORK/last.err"; then
    pass "leastPrivilege: human rejection names the rule and evidence"
else
    fail "leastPrivilege: human rejection"; _show_run
fi
expect_rule "leastPrivilege on the clean image" 0 leastPrivilege pass "no root user and no forbidden entries" -- "${CLEAN[@]}"
rules_policy '{"leastPrivilege":{"forbidRootUser":false,"forbidSetuid":false,"forbidWorldWritable":false,"forbidDeviceNodes":false,"forbiddenPaths":["/bin/sh"]}}'
expect_rule "forbiddenPaths finds bin/sh" 1 leastPrivilege fail "watched-path bin/sh (symlink to busybox) in layer 0" -- "${CLEAN[@]}"
rules_policy '{"leastPrivilege":{"mode":"audit"}}'
expect_rule "leastPrivilege audit rule admits" 0 leastPrivilege audit-fail "setuid usr/bin/suidhelper" -- "${RISKY[@]}"
run_ev verify "${RISKY[@]}"
if [ "$RC" -eq 0 ] && grep -qF "edgeverify: audit: rule leastPrivilege: " "$WORK/last.err"; then
    pass "audit rule: stderr audit line"
else
    fail "audit rule: stderr audit line"; _show_run
fi
rules_policy '{"leastPrivilege":{}}' audit
expect_rule "enforce rule in an audit scope admits" 0 leastPrivilege audit-fail "setuid usr/bin/suidhelper" -- "${RISKY[@]}"

# --- trustedBases
rules_policy "{\"trustedBases\":{\"digests\":[\"$BASE_DIGEST\"]}}"
expect_rule "trustedBases listed digest" 0 trustedBases pass "base digest $BASE_DIGEST is listed" -- "${RISKY[@]}"
rules_policy '{"trustedBases":{"names":["docker.io/library/alpine"]}}'
expect_rule "trustedBases unlisted base" 1 trustedBases fail \
    "base digest $BASE_DIGEST, name docker.io/library/debian:12 is not in the trusted bases" -- "${RISKY[@]}"
rules_policy '{"trustedBases":{"names":["docker.io/library/*"],"requireAnnotation":true}}'
expect_rule "trustedBases name glob" 0 trustedBases pass 'matches "docker.io/library/*"' -- "${RISKY[@]}"
expect_rule "trustedBases requireAnnotation" 1 trustedBases fail "the image names no base" -- "${CLEAN[@]}"

# --- registries and immutability
rules_policy '{"registries":{"allowed":["ghcr.io"]}}'
expect_rule "registries not allowed" 1 registries fail \
    "registry registry.example.com of $REF is not in the allowed registries" -- "${RISKY[@]}"
rules_policy '{"registries":{"allowed":["registry.example.com"],"requireDigestReference":true}}'
expect_rule "tag-only reference refused with its digest" 1 registries fail \
    "use registry.example.com/fleet/app@$DIGEST_RISKY (the digest it resolved to)" -- "${RISKY[@]}"
expect_rule "digest reference passes" 0 registries pass "reference by digest" -- \
    oci:"$RULES/layout":risky --trust "$RULES/trust" --reference "registry.example.com/fleet/app@$DIGEST_RISKY"

# --- layers
rules_policy '{"layers":{"maxCount":2,"maxTotalBytes":100000000}}'
expect_rule "layers within limits" 0 layers pass "2 layer(s)" -- "${RISKY[@]}"
rules_policy '{"layers":{"maxCount":1}}'
expect_rule "layers maxCount" 1 layers fail "layer count 2 is over maxCount 1" -- "${RISKY[@]}"
rules_policy '{"layers":{"maxLayerUncompressedBytes":4096}}'
expect_rule "layers maxLayerUncompressedBytes" 1 layers fail \
    "layer 0 ($LAYER0) uncompressed size" -- "${RISKY[@]}"

# --- freshness and the time floor
rules_policy '{"freshness":{"maxAgeDays":5}}'
expect_rule "freshness: 10 days old" 1 freshness fail "days old, over maxAgeDays 5" -- "${RISKY[@]}"
rules_policy '{"freshness":{"maxAgeDays":30}}'
expect_rule "freshness: within 30 days" 0 freshness pass "from the device clock" -- "${RISKY[@]}"
printf '2099-01-01T00:00:00Z\n' >"$EDGEVERIFY_STATE_DIR/time_floor"
expect_rule "freshness: a clock behind the time floor is not used" 1 freshness fail \
    "(now 2099-01-01T00:00:00Z from the time floor (the device clock" -- "${RISKY[@]}"
printf 'garbage\n' >"$EDGEVERIFY_STATE_DIR/time_floor"
expect_exit 2 -- "$EDGEVERIFY" verify "${RISKY[@]}"
rm -f "$EDGEVERIFY_STATE_DIR/time_floor"

# --- rollback floor (floors.json as install leaves it)
rules_policy '{"rollback":{}}'
expect_rule "rollback: no floor yet" 0 rollback pass "no floor yet for registry.example.com/fleet/app" -- "${RISKY[@]}"
printf '{"version":1,"floors":{"registry.example.com/fleet/app":{"version":"1.10.0","created":null,"digest":"sha256:%s","admittedAt":"2026-01-01T00:00:00Z"}}}\n' \
    "$(printf 'f%.0s' $(seq 64))" >"$EDGEVERIFY_STATE_DIR/floors.json"
expect_rule "rollback: 1.2.0 below the floor 1.10.0" 1 rollback fail \
    "version 1.2.0 against the floor 1.10.0 is a rollback" -- "${RISKY[@]}"
printf '{"version":1,"floors":{"registry.example.com/fleet/app":{"version":"1.2.0-rc.1","created":null,"digest":"sha256:x","admittedAt":"x"}}}\n' \
    >"$EDGEVERIFY_STATE_DIR/floors.json"
expect_rule "rollback: 1.2.0 above 1.2.0-rc.1" 0 rollback pass "not below it" -- "${RISKY[@]}"
# The operator lowers the floor below 1.2.0, with an audit record; the image is admitted again.
printf '{"version":1,"floors":{"registry.example.com/fleet/app":{"version":"1.10.0","created":null,"digest":"sha256:x","admittedAt":"x"}}}\n' \
    >"$EDGEVERIFY_STATE_DIR/floors.json"
expect_exit 2 -- "$EDGEVERIFY" floor lower registry.example.com/fleet/app --to 1.1.0
expect_exit 2 -- "$EDGEVERIFY" floor lower registry.example.com/fleet/app --to 2.0.0 --reason "raise it"
expect_exit 0 -- "$EDGEVERIFY" floor lower registry.example.com/fleet/app --to 1.1.0 --reason "1.10.0 bricks the modem"
check_eq "audit record of the lowering" \
    "$(jget "$EDGEVERIFY_STATE_DIR/floor_audit.jsonl" '[d["from"]["version"], d["to"]["version"], d["reason"]]')" \
    '["1.10.0", "1.1.0", "1.10.0 bricks the modem"]'
expect_rule "rollback: admitted after the operator lowered the floor" 0 rollback pass \
    "version 1.2.0 against the floor 1.1.0, not below it" -- "${RISKY[@]}"
expect_exit 0 -- "$EDGEVERIFY" floor lower registry.example.com/fleet/app --reason "retired"
expect_rule "rollback: floor removed" 0 rollback pass "no floor yet" -- "${RISKY[@]}"
printf '{"version":1,"floors":[]}\n' >"$EDGEVERIFY_STATE_DIR/floors.json"
expect_exit 2 -- "$EDGEVERIFY" verify "${RISKY[@]}"
rm -f "$EDGEVERIFY_STATE_DIR/floors.json"

# --- strict policy: a bad rules object is a configuration error naming its path
rules_policy '{"layers":{"maxCount":"two"}}'
expect_exit 2 -- "$EDGEVERIFY" policy check --trust "$RULES/trust"
if grep -qF 'scopes[0].rules.layers.maxCount: expected an integer, got string' "$WORK/last.err"; then
    pass "policy check names the bad rule key"
else
    fail "policy check names the bad rule key"; _show_run
fi
rules_policy '{"leastPriviledge":{}}'
expect_exit 2 -- "$EDGEVERIFY" verify "${RISKY[@]}"
grep -qF 'scopes[0].rules.leastPriviledge: unknown key' "$WORK/last.err" && pass "unknown rule named" || { fail "unknown rule named"; _show_run; }

finish
