#!/usr/bin/env bash
# `edgeverify agent` against a real containerd 1.6 on a private socket (containerd_lib.sh): bundles
# renamed into the inbox or marked .ready are installed; a tampered one ends in quarantine with its
# reason; containerd down keeps the bundle in the inbox until containerd is back; an image
# imported behind the agent's back and a changed trust store show up in the next device report;
# SIGTERM stops it with exit 0 and no process left; a bad agent.json is exit 2 naming the key.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containerd_lib.sh"

STATE="$WORK/state"
INBOX="$STATE/inbox"
REPO=registry.example.com/fleet
AGENT_PID=""
WAIT=${AGENT_WAIT:-120}

agent_stop_now() {  # for the EXIT trap: never leave the agent running
    [ -n "$AGENT_PID" ] || return 0
    kill -9 "$AGENT_PID" 2>/dev/null || true
    wait "$AGENT_PID" 2>/dev/null || true
    AGENT_PID=""
}
trap 'rc=$?; agent_stop_now; (exit $rc); _containerd_exit' EXIT

absent() { [ ! -e "$1" ]; }
log_has() { grep -q -- "$1" "$WORK/agent.log"; }
show_log() { tail -n 40 "$WORK/agent.log" | sed -e 's/^/    agent: /'; }

# The payloads of the device reports in the outbox, one JSON predicate per line (sequence order).
device_reports() {
    "$PYTHON" - "$STATE/outbox" <<'PY'
import base64, glob, json, os, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    env = json.load(open(path))
    st = json.loads(base64.b64decode(env["payload"]))
    if st.get("predicateType") == "https://edgeverify.dev/device-report/v1":
        print(json.dumps(st["predicate"]))
PY
}
last_report_has() {  # PYTHON-EXPR over p (the newest device report's predicate)
    device_reports | tail -n 1 >"$WORK/last-report.json"
    [ -s "$WORK/last-report.json" ] || return 1
    [ "$("$PYTHON" -c 'import json,sys; p=json.load(open(sys.argv[1])); print(bool(eval(sys.argv[2])))' \
        "$WORK/last-report.json" "$1")" == True ]
}

containerd_start

# Keys and a trust store that requires the release key for the fleet.
mkdir -p "$WORK/keys" "$WORK/trust/keys"
run_ev keygen --out "$WORK/keys/release"
check_eq "keygen" "$RC" 0
cp "$WORK/keys/release.pub" "$WORK/trust/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"%s/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' \
    "$REPO" >"$WORK/trust/policy.json"
MANIFEST=$(jget "$FIX/single/index.json" 'd["manifests"][0]["digest"]')

# A signed layout that names its full reference (the agent passes no --reference).
signed_layout() {  # DEST REF
    local l
    l=$(fixture_copy single "$1")
    ocitool set-index-entry "$l" annotations "{\"org.opencontainers.image.ref.name\": \"$2\"}"
    run_ev sign "$l" --key "$WORK/keys/release.key" --reference "$2"
    [ "$RC" -eq 0 ] || { fail "sign $2"; _show_run; }
    echo "$l"
}
signed_archive() {  # DEST REF
    skopeo_copy "oci:$FIX/single:1.0" "oci-archive:$1:$2"
    run_ev sign "$1" --key "$WORK/keys/release.key" --reference "$2"
    [ "$RC" -eq 0 ] || { fail "sign $1"; _show_run; }
}

# --- configuration errors: exit 2 naming the key; a missing file is exit 2 too
printf '{"install": {"timeoutSeconds": 5}}\n' >"$WORK/bad.json"
run_ev agent --config "$WORK/bad.json"
check_eq "bad agent.json: exit 2" "$RC" 2
if grep -q 'install.timeoutSeconds: must be an integer from 10 to 86400' "$WORK/last.err"; then
    pass "bad agent.json: the message names install.timeoutSeconds"
else fail "bad agent.json: the message names install.timeoutSeconds"; _show_run; fi
printf '{"inbox": {"scanIntervalSecond": 1}}\n' >"$WORK/bad.json"
run_ev agent --config "$WORK/bad.json"
check_eq "unknown key: exit 2" "$RC" 2
if grep -q 'inbox.scanIntervalSecond: unknown key' "$WORK/last.err"; then pass "unknown key named"; else fail "unknown key named"; _show_run; fi
run_ev agent --config "$WORK/absent.json"
check_eq "missing agent.json: exit 2" "$RC" 2

# --- leftovers a crashed agent would leave: a staging directory of a dead install, old quarantine
mkdir -p "$STATE/staging/20261128T000000Z-999999999-dead.tar" "$STATE/quarantine" "$INBOX"
chmod 0700 "$STATE" "$STATE/staging" "$STATE/quarantine" "$INBOX"
for i in 1 2 3; do
    mkdir -p "$STATE/quarantine/old-$i"
    echo "old $i" >"$STATE/quarantine/old-$i/reason.txt"
    touch -d "2026-01-0$i 00:00:00" "$STATE/quarantine/old-$i"
done

cat >"$WORK/agent.json" <<JSON
{
  "stateDir": "$STATE",
  "trustDir": "$WORK/trust",
  "containerd": {"address": "$CONTAINERD_ADDRESS", "namespace": "$CONTAINERD_NAMESPACE", "ctr": "$(command -v ctr)"},
  "install": {"timeoutSeconds": 300, "retryInitialSeconds": 1, "retryMaxSeconds": 2, "shutdownGraceSeconds": 10},
  "inbox": {"scanIntervalSeconds": 1},
  "quarantine": {"maxEntries": 2, "maxBytes": 1073741824},
  "reconcileIntervalSeconds": 1,
  "deviceReportIntervalSeconds": 2
}
JSON

"$EDGEVERIFY" agent --config "$WORK/agent.json" 2>"$WORK/agent.log" &
AGENT_PID=$!
if wait_until 30 log_has 'device-report-queued'; then pass "a device report is queued at start"; else fail "device report at start"; show_log; fi
check_eq "start: the dead install's staging directory is removed" \
    "$(ls "$STATE/staging" | tr '\n' ' ')" ""
check_eq "start: quarantine pruned to maxEntries=2, oldest first" "$(ls "$STATE/quarantine" | tr '\n' ' ')" "old-2 old-3 "
if log_has 'staging: removed-leftover entry=20261128T000000Z-999999999-dead.tar'; then pass "leftover removal logged"; else fail "leftover removal logged"; show_log; fi

# --- a signed oci-archive renamed into the inbox is installed
signed_archive "$WORK/app.oci.tar" "$REPO/app:1.0"
cp "$WORK/app.oci.tar" "$INBOX/.app.oci.tar.part"
mv "$INBOX/.app.oci.tar.part" "$INBOX/app.oci.tar"
if wait_until "$WAIT" absent "$INBOX/app.oci.tar"; then pass "renamed archive: taken from the inbox"; else fail "renamed archive: taken from the inbox"; show_log; fi
check_eq "renamed archive: containerd holds it under the verified digest" "$(ctr_images_ls_digest "$REPO/app:1.0")" "$MANIFEST"
if [ -f "$STATE/verdicts/sha256/${MANIFEST#sha256:}.json" ]; then pass "renamed archive: verdict file"; else fail "renamed archive: verdict file"; fi
if log_has "install: installed bundle=app.oci.tar images=$REPO/app:1.0@$MANIFEST"; then pass "renamed archive: one 'installed' log line"; else fail "renamed archive: log line"; show_log; fi
check_eq "renamed archive: a signed verification report is in the outbox" \
    "$("$PYTHON" - "$STATE/outbox" <<'PY'
import base64, glob, json, os, sys
n = 0
for path in glob.glob(os.path.join(sys.argv[1], "*.json")):
    st = json.loads(base64.b64decode(json.load(open(path))["payload"]))
    if st["predicateType"] == "https://slsa.dev/verification_summary/v1" and st["subject"][0]["name"].endswith("/app:1.0"):
        n += 1
print(n)
PY
)" 1
DEVICE_PUB="$WORK/device.pub"
EDGEVERIFY_STATE_DIR="$STATE" "$EDGEVERIFY" device show --json |
    "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["publicKey"], end="")' >"$DEVICE_PUB" || true
if grep -q 'BEGIN PUBLIC KEY' "$DEVICE_PUB"; then pass "device key created by the agent"; else fail "device key"; fi

# --- a tampered layout (one layer byte flipped) renamed in: quarantined with its reason
T=$(signed_layout "$WORK/tampered" "$REPO/tampered:1.0")
LAYER=$(jget "$T/blobs/sha256/${MANIFEST#sha256:}" 'd["layers"][0]["digest"]')
ocitool flip "$(blob_file "$T" "$LAYER")" >/dev/null
mv "$T" "$INBOX/tampered"
if wait_until "$WAIT" absent "$INBOX/tampered"; then pass "tampered: taken from the inbox"; else fail "tampered: taken from the inbox"; show_log; fi
check_eq "tampered: absent from containerd" "$(ctr_images_ls_digest "$REPO/tampered:1.0")" ""
Q=$(grep -l 'digest-mismatch' "$STATE"/quarantine/*/reason.txt 2>/dev/null | head -n 1 || true)
if [ -n "$Q" ]; then pass "tampered: quarantined with reason.txt ($(head -c 120 "$Q"))"; else
    fail "tampered: quarantined with a digest-mismatch reason"; ls -l "$STATE/quarantine"; show_log; fi
if log_has 'install: refused bundle=tampered code=digest-mismatch'; then pass "tampered: one 'refused' log line"; else fail "tampered: log line"; show_log; fi
check_eq "tampered: quarantine still within maxEntries=2" "$(ls "$STATE/quarantine" | wc -l | tr -d ' ')" 2

# --- written in place: waits for its .ready marker
L=$(signed_layout "$WORK/inplace" "$REPO/inplace:1.0")
cp -r "$L" "$INBOX/inplace"
sleep 3
if [ -d "$INBOX/inplace" ]; then pass "in-place copy without marker: left alone"; else fail "in-place copy without marker: left alone"; show_log; fi
check_eq "in-place copy without marker: not in containerd" "$(ctr_images_ls_digest "$REPO/inplace:1.0")" ""
touch "$INBOX/inplace.ready"
if wait_until "$WAIT" absent "$INBOX/inplace"; then pass ".ready marker: taken"; else fail ".ready marker: taken"; show_log; fi
check_eq ".ready marker: installed under the verified digest" "$(ctr_images_ls_digest "$REPO/inplace:1.0")" "$MANIFEST"
if [ ! -e "$INBOX/inplace.ready" ]; then pass ".ready marker removed with its bundle"; else fail ".ready marker removed"; fi

# --- containerd down: the bundle stays in the inbox, retried, installed once containerd is back
containerd_stop
signed_archive "$WORK/later.oci.tar" "$REPO/later:1.0"
mv "$WORK/later.oci.tar" "$INBOX/later.oci.tar"
if wait_until "$WAIT" log_has 'install: failed-will-retry bundle=later.oci.tar'; then pass "containerd down: install failed, will retry"; else fail "containerd down: retry logged"; show_log; fi
retries() { grep -c 'failed-will-retry bundle=later.oci.tar' "$WORK/agent.log" || true; }
FIRST_FAILURE=$SECONDS
retried_twice() { [ "$(retries)" -ge 2 ]; }
if wait_until 100 retried_twice; then pass "containerd down: retried"; else fail "containerd down: retried"; show_log; fi
# Backoff from 1 s doubling to 2 s (each attempt also waits out ctr's 10 s dial timeout): never
# more than one attempt per second (no busy loop).
check_eq "containerd down: at most one attempt per second" \
    "$([ "$(retries)" -le $((SECONDS - FIRST_FAILURE + 2)) ] && echo yes)" yes
if [ -f "$INBOX/later.oci.tar" ]; then pass "containerd down: the bundle stays in the inbox"; else fail "containerd down: the bundle stays in the inbox"; show_log; fi
if grep -rqs 'later' "$STATE"/quarantine/*/reason.txt; then fail "containerd down: nothing quarantined"; else pass "containerd down: nothing quarantined"; fi
containerd_start
if wait_until "$WAIT" absent "$INBOX/later.oci.tar"; then pass "containerd back: taken"; else fail "containerd back: taken"; show_log; fi
check_eq "containerd back: installed under the verified digest" "$(ctr_images_ls_digest "$REPO/later:1.0")" "$MANIFEST"

# --- an image imported with ctr behind the agent's back: not-admitted alarm in the next report
"${CTR[@]}" images import --no-unpack "$FIX/plain.oci.tar" >/dev/null
PLAIN=$(ctr_images_ls_digest localhost/edgeverify/plain:1.0)
[ -n "$PLAIN" ] || fail "ctr import of plain.oci.tar"
if wait_until 60 last_report_has "any(a['kind'] == 'image-not-admitted' and a.get('digest') == '$PLAIN' for a in p['alarms'])"; then
    pass "behind the agent's back: image-not-admitted alarm in the next device report"
else fail "not-admitted alarm in a device report"; cat "$WORK/last-report.json"; show_log; fi
if log_has "reconcile: image-not-admitted digest=$PLAIN"; then pass "not-admitted: log line"; else fail "not-admitted: log line"; show_log; fi
if last_report_has "any(i['digest'] == '$MANIFEST' and i['verdict'] == 'admitted' for i in p['images'])"; then
    pass "device report: the installed image is admitted"; else fail "device report: admitted image"; cat "$WORK/last-report.json"; fi

# --- the trust store changes: admitted images become unverified (report and log)
printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"%s/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release2","key":"keys/release.pub"}]}}]}\n' \
    "$REPO" >"$WORK/trust/policy.json"
if wait_until 60 last_report_has "any(i['digest'] == '$MANIFEST' and i['verdict'] == 'unverified' for i in p['images']) and any(a['kind'] == 'image-unverified' for a in p['alarms'])"; then
    pass "trust store changed: admitted images reported unverified with an alarm"
else fail "trust store changed: unverified in the report"; cat "$WORK/last-report.json"; show_log; fi
if log_has 'reconcile: trust-store-changed'; then pass "trust store change logged"; else fail "trust store change logged"; show_log; fi

# --- every line is one event: time level component: event
BAD=$(grep -c -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z (info|warning|error) [a-z]+: [a-z-]+( |$)' "$WORK/agent.log" || true)
check_eq "log: every line has the event format" "$BAD" 0

# --- SIGTERM: exit 0 promptly, nothing left running
kill -TERM "$AGENT_PID"
STOP_START=$SECONDS
set +e
for _ in $(seq 1 100); do kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.1; done
wait "$AGENT_PID"
AGENT_RC=$?
set -e
AGENT_PID=""
check_eq "SIGTERM: exit 0" "$AGENT_RC" 0
check_eq "SIGTERM: stopped within 10 s" "$([ $((SECONDS - STOP_START)) -le 10 ] && echo yes)" yes
if log_has 'agent: stopped'; then pass "SIGTERM: 'stopped' logged"; else fail "SIGTERM: 'stopped' logged"; show_log; fi
check_eq "SIGTERM: no install child left" "$(pgrep -f "$INBOX" | wc -l | tr -d ' ')" 0

finish
