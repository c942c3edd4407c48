#!/usr/bin/env bash
# `edgeverify device init|show`: the device key is created once with mode 0600 and never
# replaced, `show --json` names the device the way openssl computes it, a key others can read is
# refused, and the enrollment envelope's DSSE signature verifies with openssl over the PAE
# rebuilt here in Python (independently of edgeverify's code).
source "$(dirname "$0")/lib.sh"
require_tools openssl stat sha256sum

export EDGEVERIFY_STATE_DIR="$WORK/state"
KEY="$EDGEVERIFY_STATE_DIR/device.key"

# --- before init ---------------------------------------------------------------------------------
expect_exit 3 -- "$EDGEVERIFY" device show
if grep -qF "not-found" "$WORK/last.err" && grep -qF "edgeverify device init" "$WORK/last.err"; then
    pass "show without a key says not-found and to run device init"
else
    fail "show without a key: stderr lacks not-found / the hint"; _show_run
fi
expect_exit 2 -- "$EDGEVERIFY" device
expect_exit 2 -- "$EDGEVERIFY" device frobnicate
expect_exit 2 -- "$EDGEVERIFY" device show --bogus
expect_exit 0 -- "$EDGEVERIFY" device --help

# --- init ----------------------------------------------------------------------------------------
expect_exit 0 -- "$EDGEVERIFY" device init
check_eq "device.key mode" "$(stat -c %a "$KEY")" "600"
check_eq "state directory mode" "$(stat -c %a "$EDGEVERIFY_STATE_DIR")" "700"
check_eq "outbox mode" "$(stat -c %a "$EDGEVERIFY_STATE_DIR/outbox")" "700"
if openssl pkey -in "$KEY" -noout -text 2>/dev/null | grep -q "prime256v1\|P-256"; then
    pass "openssl reads device.key as a P-256 key"
else
    fail "openssl does not read device.key as P-256"
fi
KEY_SUM=$(sha256sum "$KEY" | cut -d' ' -f1)
expect_exit 0 -- "$EDGEVERIFY" device init
check_eq "a second init leaves the key as it was" "$(sha256sum "$KEY" | cut -d' ' -f1)" "$KEY_SUM"
if grep -qF "already present" "$WORK/last.out"; then pass "second init says the key was already present"; else
    fail "second init output"; _show_run; fi

# --- show --json ---------------------------------------------------------------------------------
expect_exit 0 -- "$EDGEVERIFY" device show --json
cp "$WORK/last.out" "$WORK/show.json"
openssl pkey -in "$KEY" -pubout -out "$WORK/openssl.pub" 2>/dev/null
"$PYTHON" -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["publicKey"])' "$WORK/show.json" >"$WORK/show.pub"
check_eq "publicKey is the key's public half (openssl)" "$(cat "$WORK/show.pub")" "$(cat "$WORK/openssl.pub")"
FPR=$(openssl pkey -pubin -in "$WORK/openssl.pub" -outform DER 2>/dev/null | sha256sum | cut -d' ' -f1)
check_eq "fingerprint = sha256 of the SPKI DER" "$(jget "$WORK/show.json" 'd["fingerprint"]')" "sha256:$FPR"
check_eq "deviceId = ev- + 20 hex digits of the fingerprint" "$(jget "$WORK/show.json" 'd["deviceId"]')" "ev-${FPR:0:20}"
check_eq "keyType" "$(jget "$WORK/show.json" 'd["keyType"]')" "ecdsa-p256"
check_eq "keyPath" "$(jget "$WORK/show.json" 'd["keyPath"]')" "$KEY"
check_eq "--json members" "$(jget "$WORK/show.json" 'sorted(d.keys())')" \
    '["deviceId", "enrollment", "fingerprint", "keyPath", "keyType", "publicKey"]'

expect_exit 0 -- "$EDGEVERIFY" device show
if grep -qF "ev-${FPR:0:20}" "$WORK/last.out" && grep -qF "sha256:$FPR" "$WORK/last.out" &&
    grep -qF -- "-----BEGIN PUBLIC KEY-----" "$WORK/last.out"; then
    pass "human show prints id, fingerprint and PEM"
else
    fail "human show output"; _show_run
fi

# --- the enrollment envelope, checked with openssl over a PAE rebuilt in Python -----------------
"$PYTHON" - "$WORK/show.json" "$WORK" <<'PY'
import base64, json, sys
doc = json.load(open(sys.argv[1]))
env = doc["enrollment"]
assert sorted(env) == ["payload", "payloadType", "signatures"], sorted(env)
ptype = env["payloadType"].encode()
body = base64.b64decode(env["payload"], validate=True)
pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(body), body)
open(sys.argv[2] + "/pae.bin", "wb").write(pae)
open(sys.argv[2] + "/tampered.bin", "wb").write(pae.replace(b"ev-", b"ev_", 1))
assert len(env["signatures"]) == 1
open(sys.argv[2] + "/sig.der", "wb").write(base64.b64decode(env["signatures"][0]["sig"], validate=True))
open(sys.argv[2] + "/keyid", "w").write(env["signatures"][0]["keyid"])
open(sys.argv[2] + "/payload.json", "wb").write(body)
open(sys.argv[2] + "/ptype", "wb").write(ptype)
PY
check_eq "envelope payloadType" "$(cat "$WORK/ptype")" "application/vnd.in-toto+json"
check_eq "envelope keyid = fingerprint" "$(cat "$WORK/keyid")" "sha256:$FPR"
check_eq "statement type" "$(jget "$WORK/payload.json" 'd["_type"]')" "https://in-toto.io/Statement/v1"
check_eq "statement predicateType" "$(jget "$WORK/payload.json" 'd["predicateType"]')" \
    "https://edgeverify.dev/device-enrollment/v1"
check_eq "statement subject" "$(jget "$WORK/payload.json" 'd["subject"]')" \
    "[{\"digest\": {\"sha256\": \"$FPR\"}, \"name\": \"ev-${FPR:0:20}\"}]"
expect_exit 0 -- openssl dgst -sha256 -verify "$WORK/show.pub" -signature "$WORK/sig.der" "$WORK/pae.bin"
expect_exit 1 -- openssl dgst -sha256 -verify "$WORK/show.pub" -signature "$WORK/sig.der" "$WORK/tampered.bin"

# --- keys that must be refused -------------------------------------------------------------------
chmod 0640 "$KEY"
expect_exit 3 -- "$EDGEVERIFY" device show
if grep -qF "permission-denied" "$WORK/last.err"; then pass "group-readable key: permission-denied"; else
    fail "group-readable key: stderr"; _show_run; fi
expect_exit 3 -- "$EDGEVERIFY" device init
check_eq "init does not replace a refused key" "$(sha256sum "$KEY" | cut -d' ' -f1)" "$KEY_SUM"
chmod 0600 "$KEY"
mv "$KEY" "$WORK/moved.key"
ln -s "$WORK/moved.key" "$KEY"
expect_exit 3 -- "$EDGEVERIFY" device show
if grep -qF "symlink" "$WORK/last.err"; then pass "symlinked key refused"; else fail "symlinked key: stderr"; _show_run; fi
rm -f "$KEY"
printf 'not a key\n' >"$KEY"
chmod 0600 "$KEY"
expect_exit 1 -- "$EDGEVERIFY" device show

finish
