#!/usr/bin/env bash
# The agent killed with SIGKILL at random points during many installs (issue 4, item 9): a real
# containerd (containerd_lib.sh), the agent uploading over HTTPS to tests/interop/report_receiver.mjs
# (a stand-in for edgeverify-server that verifies every envelope with Node's crypto and stores each
# (device, sequence) once). While the agent runs, a watcher records every report that ever sat in
# the outbox. After the kills and a last clean run: every recorded report reached the receiver
# exactly once, none was refused (none corrupt), the outbox is empty and readable, every bundle is
# installed under its verified digest with an admitted verification report at the receiver.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containerd_lib.sh"
require_tools node openssl

RECEIVER="$EDGEVERIFY_SOURCE_DIR/tests/interop/report_receiver.mjs"
STATE="$WORK/state"
INBOX="$STATE/inbox"
OUTBOX="$STATE/outbox"
STORE="$WORK/stored.jsonl"
PKI="$WORK/pki"
REPO=registry.example.com/fleet
BUNDLES=${AGENT_CRASH_BUNDLES:-8}
KILLS=${AGENT_CRASH_KILLS:-6}

AGENT_PID="" RECEIVER_PID="" WATCH_PID=""
_stop_all() {
    local pid
    for pid in "$AGENT_PID" "$RECEIVER_PID" "$WATCH_PID"; do
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    done
    for pid in "$AGENT_PID" "$RECEIVER_PID" "$WATCH_PID"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
    # Installs the killed agents left running finish on their own; stop any that remain.
    pkill -KILL -f "$EDGEVERIFY_STATE_DIR_MARK" 2>/dev/null || true
}
trap 'rc=$?; _stop_all; (exit $rc); _containerd_exit' EXIT


containerd_start

# --- PKI for the receiver (openssl CLI), keys and trust store, the device --------------------------
mkdir -p "$PKI" "$WORK/keys" "$WORK/trust/keys"
make_server_pki "$PKI"

run_ev keygen --out "$WORK/keys/release"
[ "$RC" -eq 0 ] || bail "keygen"
cp "$WORK/keys/release.pub" "$WORK/trust/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"%s/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' \
    "$REPO" >"$WORK/trust/policy.json"
EDGEVERIFY_STATE_DIR="$STATE" "$EDGEVERIFY" device show --json >"$WORK/device.json" 2>/dev/null ||
    { EDGEVERIFY_STATE_DIR="$STATE" "$EDGEVERIFY" device init >/dev/null &&
      EDGEVERIFY_STATE_DIR="$STATE" "$EDGEVERIFY" device show --json >"$WORK/device.json"; } || bail "device identity"
"$PYTHON" -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["publicKey"])' "$WORK/device.json" >"$WORK/device.pub"
DEVICE_ID=$(jget "$WORK/device.json" 'd["deviceId"]')
MANIFEST=$(jget "$FIX/single/index.json" 'd["manifests"][0]["digest"]')

# --- the bundles: the same image signed under BUNDLES references ----------------------------------
mkdir -p "$WORK/bundles" "$INBOX"
chmod 0700 "$STATE" "$INBOX"
for i in $(seq 1 "$BUNDLES"); do
    skopeo_copy "oci:$FIX/single:1.0" "oci-archive:$WORK/bundles/app-$i.oci.tar:$REPO/app-$i:1.0"
    run_ev sign "$WORK/bundles/app-$i.oci.tar" --key "$WORK/keys/release.key" --reference "$REPO/app-$i:1.0"
    [ "$RC" -eq 0 ] || bail "sign app-$i"
done

# --- the receiver ------------------------------------------------------------------------------------
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node "$RECEIVER" --cert "$PKI/server.pem" --key "$PKI/server.key" --device-key "$WORK/device.pub" \
    --store "$STORE" --port "$PORT" --port-file "$WORK/port" >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
wait_until 20 test -s "$WORK/port" || { tail -5 "$WORK/receiver.log"; bail "the receiver did not start"; }

cat >"$WORK/agent.json" <<JSON
{
  "stateDir": "$STATE",
  "trustDir": "$WORK/trust",
  "containerd": {"address": "$CONTAINERD_ADDRESS", "namespace": "$CONTAINERD_NAMESPACE", "ctr": "$(command -v ctr)"},
  "install": {"timeoutSeconds": 300, "retryInitialSeconds": 1, "retryMaxSeconds": 2, "shutdownGraceSeconds": 10},
  "inbox": {"scanIntervalSeconds": 1},
  "reconcileIntervalSeconds": 2,
  "deviceReportIntervalSeconds": 2,
  "server": {"url": "https://localhost:$PORT", "caFile": "$PKI/ca.pem", "timeoutSeconds": 5,
             "batchMaxReports": 4, "backoffInitialSeconds": 1, "backoffMaxSeconds": 2}
}
JSON
EDGEVERIFY_STATE_DIR_MARK="$STATE"

# --- the watcher: every report file that ever sat in the outbox (sequence numbers) ----------------
"$PYTHON" - "$OUTBOX" "$WORK/seen.txt" <<'PY' &
import os, re, sys, time
outbox, out = sys.argv[1], sys.argv[2]
seen = set()
while True:
    try:
        names = os.listdir(outbox)
    except FileNotFoundError:
        names = []
    fresh = {int(m.group(1)) for n in names if (m := re.fullmatch(r"(\d{20})\.json", n))} - seen
    if fresh:
        seen |= fresh
        with open(out, "a") as f:
            f.writelines("%d\n" % s for s in sorted(fresh))
    time.sleep(0.02)
PY
WATCH_PID=$!

# --- bundles arrive while the agent is killed at random points ------------------------------------
start_agent() {
    "$EDGEVERIFY" agent --config "$WORK/agent.json" 2>>"$WORK/agent.log" &
    AGENT_PID=$!
}
next=1
for kill in $(seq 1 "$KILLS"); do
    start_agent
    # Two bundles per round, renamed in (complete on arrival).
    for _ in 1 2; do
        if [ "$next" -le "$BUNDLES" ]; then
            cp "$WORK/bundles/app-$next.oci.tar" "$INBOX/.app-$next.part"
            mv "$INBOX/.app-$next.part" "$INBOX/app-$next.oci.tar"
            next=$((next + 1))
        fi
    done
    sleep "$("$PYTHON" -c 'import random; print(round(random.uniform(0.3, 3.0), 2))')"
    kill -KILL "$AGENT_PID"
    wait "$AGENT_PID" 2>/dev/null || true
    AGENT_PID=""
done
while [ "$next" -le "$BUNDLES" ]; do
    mv "$WORK/bundles/app-$next.oci.tar" "$INBOX/app-$next.oci.tar"
    next=$((next + 1))
done

# --- a last clean run: the inbox drains, the outbox empties -----------------------------------------
start_agent
inbox_empty() { [ -z "$(find "$INBOX" -mindepth 1 -maxdepth 1 ! -name '.*' -print -quit)" ]; }
outbox_empty() { [ -z "$(find "$OUTBOX" -maxdepth 1 -name '*.json' -print -quit)" ]; }
all_admitted() {
    local i
    for i in $(seq 1 "$BUNDLES"); do
        [ "$(ctr_images_ls_digest "$REPO/app-$i:1.0")" == "$MANIFEST" ] || return 1
    done
}
if wait_until 300 inbox_empty; then pass "the inbox drained after $KILLS kills"; else
    fail "the inbox drained"; ls -la "$INBOX"; tail -30 "$WORK/agent.log"; fi
if wait_until 120 all_admitted; then pass "containerd holds all $BUNDLES images under the verified digest"; else
    fail "all images admitted"; "${CTR[@]}" images ls; fi
# Device reports keep coming every 2 s; wait for a moment when everything queued so far was sent.
if wait_until 120 outbox_empty; then pass "the outbox emptied"; else fail "the outbox emptied"; ls "$OUTBOX"; tail -30 "$WORK/agent.log"; fi
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
check_eq "the last agent stops on SIGTERM with exit 0" "$?" 0
AGENT_PID=""
sleep 0.2
kill -KILL "$WATCH_PID" 2>/dev/null || true
wait "$WATCH_PID" 2>/dev/null || true
WATCH_PID=""

# --- what the receiver stored ------------------------------------------------------------------------
"$PYTHON" - "$STORE" "$DEVICE_ID" "$WORK/seen.txt" "$OUTBOX" "$BUNDLES" "$REPO" "$MANIFEST" >"$WORK/verdict.txt" <<'PY'
import base64, collections, json, os, sys
store, device, seen_file, outbox, bundles, repo, manifest = sys.argv[1:8]
stored = collections.Counter()
admitted = set()
for line in open(store):
    r = json.loads(line)
    if r["deviceId"] != device:
        continue
    stored[r["sequence"]] += 1
    env = r.get("envelope")
    env = json.loads(env) if isinstance(env, str) else env
    st = json.loads(base64.b64decode(env["payload"])) if env else None
    if st and st["predicateType"] == "https://slsa.dev/verification_summary/v1":
        ctx = st["predicate"]["https://edgeverify.dev/report-context/v1"]
        if ctx["admitted"] and st["subject"][0]["digest"]["sha256"] == manifest[7:]:
            admitted.add(st["subject"][0]["name"])
seen = {int(l) for l in open(seen_file)} if os.path.exists(seen_file) else set()
print("seen_in_outbox %d" % len(seen))
print("lost %s" % sorted(seen - set(stored))[:20])
print("stored_twice %s" % sorted(s for s, n in stored.items() if n > 1)[:20])
missing = [i for i in range(1, int(bundles) + 1) if "%s/app-%d:1.0" % (repo, i) not in admitted]
print("bundles_without_admitted_report %s" % missing)
refused = os.path.join(outbox, "refused")
print("refused %d" % (len([n for n in os.listdir(refused) if n.endswith(".json") and not n.endswith(".reason.json")]) if os.path.isdir(refused) else 0))
PY
cat "$WORK/verdict.txt" | sed -e 's/^/    /'
SEEN=$(sed -n 's/^seen_in_outbox //p' "$WORK/verdict.txt")
# The watcher polls every 20 ms, so a report uploaded quickly can come and go unseen; it must see
# some (else the "lost" check below is vacuous), and the receiver must hold at least one report per
# bundle (checked exactly by the admitted-report check).
if [ "${SEEN:-0}" -ge 1 ]; then pass "the watcher saw $SEEN reports in the outbox"; else fail "the watcher saw no report in the outbox"; fi
check_eq "no report that was ever in the outbox is missing at the receiver" "$(sed -n 's/^lost //p' "$WORK/verdict.txt")" "[]"
check_eq "no report stored twice" "$(sed -n 's/^stored_twice //p' "$WORK/verdict.txt")" "[]"
check_eq "every bundle has an admitted verification report at the receiver" \
    "$(sed -n 's/^bundles_without_admitted_report //p' "$WORK/verdict.txt")" "[]"
check_eq "no report refused (none corrupt)" "$(sed -n 's/^refused //p' "$WORK/verdict.txt")" 0
if grep -E '^[^ ]+ error ' "$WORK/agent.log" | grep -qi 'outbox'; then
    fail "the outbox was unreadable at some restart"; grep -E '^[^ ]+ error ' "$WORK/agent.log" | tail -5
else
    pass "the outbox was readable at every restart"
fi

finish
