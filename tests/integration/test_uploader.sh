#!/usr/bin/env bash
# The uploader end to end over real HTTPS on loopback: edgeverify-uploader-driver runs the real
# Uploader (mbedTLS client on libuv) against tests/interop/report_receiver.mjs, a stand-in for
# edgeverify-server on Node's own TLS/HTTP/ECDSA stack that verifies every DSSE envelope with the
# device key from `edgeverify device show --json` and stores each (device, sequence) once.
# Scenarios: receiver down then up; hanging and failing receivers; 413 halving; a refused report
# kept in outbox/refused/; SIGKILL of the driver mid-upload; an untrusted server certificate; a
# required client certificate; SIGTERM. Every process is stopped by its PID.
source "$(dirname "$0")/lib.sh"
require_tools node openssl

DRIVER="$EDGEVERIFY_BUILD_DIR/tests/edgeverify-uploader-driver"
RECEIVER="$EDGEVERIFY_SOURCE_DIR/tests/interop/report_receiver.mjs"
[ -x "$DRIVER" ] || bail "edgeverify-uploader-driver not built: $DRIVER"

PIDS=()
_stop_all() {  # every process this script started, by PID
    local pid
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'rc=$?; _stop_all; (exit $rc); _it_cleanup' EXIT

STATE="$WORK/state"
OUTBOX="$STATE/outbox"
STORE="$WORK/stored.jsonl"
PKI="$WORK/pki"
mkdir -p "$PKI"

# --- certificates (openssl CLI): a CA and a leaf for DNS:localhost; a rogue CA; a client CA ----
make_ca() {  # make_ca NAME
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" \
        -keyout "$PKI/$1.key" -out "$PKI/$1.pem" -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
make_leaf() {  # make_leaf NAME CA EXTENSIONS
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
        -keyout "$PKI/$1.key" -out "$PKI/$1.csr" 2>/dev/null
    printf '%s\n' "$3" >"$PKI/$1.ext"
    openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$2.pem" -CAkey "$PKI/$2.key" -CAcreateserial -days 2 \
        -extfile "$PKI/$1.ext" -out "$PKI/$1.pem" 2>/dev/null
}
make_ca server-ca
make_ca rogue-ca
make_ca client-ca
make_leaf server server-ca $'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth'
make_leaf client client-ca 'extendedKeyUsage=clientAuth'
for f in server-ca.pem rogue-ca.pem client-ca.pem server.pem client.pem client.key; do
    [ -s "$PKI/$f" ] || bail "openssl did not make $PKI/$f"
done

# --- the device and its enrolled public key ------------------------------------------------------
EDGEVERIFY_STATE_DIR="$STATE" "$EDGEVERIFY" device init >/dev/null || bail "device init failed"
EDGEVERIFY_STATE_DIR="$STATE" "$EDGEVERIFY" device show --json >"$WORK/device.json" || bail "device show failed"
"$PYTHON" -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["publicKey"])' "$WORK/device.json" \
    >"$WORK/device.pub"
DEVICE_ID=$(jget "$WORK/device.json" 'd["deviceId"]')

PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# write_config FILE [JSON members added to "server"]
write_config() {
    printf '{"stateDir": "%s", "server": {"url": "https://localhost:%s", "caFile": "%s", "timeoutSeconds": 2, "batchMaxReports": 8, "backoffInitialSeconds": 1, "backoffMaxSeconds": 2%s}}\n' \
        "$STATE" "$PORT" "$PKI/server-ca.pem" "${2:+, $2}" >"$1"
}
write_config "$WORK/agent.json"

RECEIVER_PID=
start_receiver() {  # start_receiver [EXTRA FLAGS]: on $PORT, waits until it listens
    rm -f "$WORK/port"
    node "$RECEIVER" --cert "$PKI/server.pem" --key "$PKI/server.key" --device-key "$WORK/device.pub" \
        --store "$STORE" --port "$PORT" --port-file "$WORK/port" "$@" >>"$WORK/receiver.log" 2>&1 &
    RECEIVER_PID=$!
    PIDS+=("$RECEIVER_PID")
    local i
    for i in $(seq 1 100); do
        [ -s "$WORK/port" ] && return 0
        kill -0 "$RECEIVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    tail -5 "$WORK/receiver.log"
    bail "the receiver did not start"
}
stop_receiver() {
    [ -n "$RECEIVER_PID" ] || return 0
    kill -TERM "$RECEIVER_PID" 2>/dev/null || true
    wait "$RECEIVER_PID" 2>/dev/null || true
    RECEIVER_PID=
}

DRIVER_PID=
start_driver() {  # start_driver LOG ARGS...: in the background
    local log=$1
    shift
    "$DRIVER" --state "$STATE" "$@" >"$log.out" 2>"$log.err" &
    DRIVER_PID=$!
    PIDS+=("$DRIVER_PID")
}
wait_driver() {  # exit code in DRIVER_RC
    set +e
    wait "$DRIVER_PID"
    DRIVER_RC=$?
    set -e
}
queued() { find "$OUTBOX" -maxdepth 1 -name '*.json' -type f | wc -l; }
queued_sequences() { find "$OUTBOX" -maxdepth 1 -name '*.json' -type f -printf '%f\n' | sed 's/\.json$//; s/^0*//' | sort -n; }
# stored_count SEQ: how many times the receiver stored (device, SEQ)
stored_count() {
    "$PYTHON" - "$STORE" "$DEVICE_ID" "$1" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]) if __import__("os").path.exists(sys.argv[1]) else []:
    r = json.loads(line)
    n += r["deviceId"] == sys.argv[2] and r["sequence"] == int(sys.argv[3])
print(n)
PY
}
# expect_stored_once DESC SEQ...: every sequence stored exactly once
expect_stored_once() {
    local desc=$1 seq bad=""
    shift
    for seq in "$@"; do
        local n
        n=$(stored_count "$seq")
        [ "$n" == 1 ] || bad+=" $seq:$n"
    done
    if [ -z "$bad" ]; then pass "$desc: $# report(s) stored exactly once"; else fail "$desc: stored counts (seq:count)$bad"; fi
}
show_driver() {  # evidence
    sed -e 's/^/    driver: /' "$1.out" "$1.err" | tail -25
    tail -10 "$WORK/receiver.log" | sed -e 's/^/    receiver: /'
}

# --- (a) receiver down: reports wait; receiver up later: every report arrives exactly once -----
start_driver "$WORK/a" --config "$WORK/agent.json" --enqueue 30 --until-empty --timeout 60
sleep 3
check_eq "(a) receiver down: all 30 reports still queued" "$(queued)" 30
if grep -q 'uploader: failed .*reason=' "$WORK/a.err"; then pass "(a) each failed attempt is logged"; else
    fail "(a) no 'uploader: failed' line while the receiver is down"; show_driver "$WORK/a"; fi
start_receiver
wait_driver
check_eq "(a) driver exits 0 once the outbox is empty" "$DRIVER_RC" 0
check_eq "(a) outbox empty" "$(queued)" 0
expect_stored_once "(a) receiver down, then up" $(seq 1 30)
if grep -q 'uploader: send reports=8 ' "$WORK/a.err" && grep -q 'uploader: response acknowledged=8 ' "$WORK/a.err"; then
    pass "(a) batches of batchMaxReports (8), send and acknowledgement logged"
else
    fail "(a) batch/ack log lines"; show_driver "$WORK/a"
fi
[ "$DRIVER_RC" == 0 ] || show_driver "$WORK/a"
stop_receiver

# --- (a2) a receiver that hangs, then one that answers 500: kept, retried, then stored once -----
start_receiver --fail-first 2 --fail-mode hang
start_driver "$WORK/a2" --config "$WORK/agent.json" --enqueue 5 --until-empty --timeout 60
wait_driver
check_eq "(a2) hanging receiver: driver exits 0 after the timeouts" "$DRIVER_RC" 0
if grep -q 'uploader: failed .*timed out' "$WORK/a2.err"; then pass "(a2) the timeout is logged"; else
    fail "(a2) no timeout logged"; show_driver "$WORK/a2"; fi
expect_stored_once "(a2) after hangs" $(seq 31 35)
stop_receiver
start_receiver --fail-first 2 --fail-mode 500
start_driver "$WORK/a3" --config "$WORK/agent.json" --enqueue 5 --until-empty --timeout 60
wait_driver
check_eq "(a3) 500s: driver exits 0" "$DRIVER_RC" 0
if grep -q 'uploader: failed .*HTTP 500' "$WORK/a3.err"; then pass "(a3) HTTP 500 is logged"; else
    fail "(a3) no HTTP 500 logged"; show_driver "$WORK/a3"; fi
expect_stored_once "(a3) after 500s" $(seq 36 40)
stop_receiver

# --- (b) 413 halving: batches over 3 reports are too large for this receiver ---------------------
write_config "$WORK/agent-b.json" '"batchMaxReports": 16'
sed -i 's/"batchMaxReports": 8, //' "$WORK/agent-b.json"
start_receiver --max-batch 3
start_driver "$WORK/b" --config "$WORK/agent-b.json" --enqueue 20 --until-empty --timeout 60
wait_driver
check_eq "(b) 413 halving: driver exits 0" "$DRIVER_RC" 0
if grep -q 'uploader: batch-too-large reports=16 next=8' "$WORK/b.err" &&
    grep -q 'uploader: batch-too-large reports=4 next=2' "$WORK/b.err" &&
    grep -q 'uploader: send reports=2 ' "$WORK/b.err"; then
    pass "(b) 16 -> 8 -> 4 -> 2 reports per request"
else
    fail "(b) halving log lines"; show_driver "$WORK/b"
fi
expect_stored_once "(b) 413 halving" $(seq 41 60)
check_eq "(b) outbox empty" "$(queued)" 0
stop_receiver

# --- (c) a report refused with 422 lands in outbox/refused with its reason and is listed ---------
start_receiver --refuse-sequence 63
expect_exit 0 -- "$DRIVER" --state "$STATE" --config "$WORK/agent.json" --enqueue 5 --no-upload
check_eq "(c) --no-upload only queues" "$(queued_sequences | tr '\n' ' ')" "61 62 63 64 65 "
cp "$OUTBOX/00000000000000000063.json" "$WORK/63.json"
start_driver "$WORK/c" --config "$WORK/agent.json" --until-empty --timeout 60
wait_driver
check_eq "(c) driver exits 0 (the refused report left the outbox)" "$DRIVER_RC" 0
REFUSED="$OUTBOX/refused"
if [ -f "$REFUSED/00000000000000000063.json" ] && cmp -s "$REFUSED/00000000000000000063.json" "$WORK/63.json"; then
    pass "(c) refused/00000000000000000063.json holds the envelope unchanged"
else
    fail "(c) refused envelope missing or changed"; ls -la "$REFUSED" 2>&1 | sed 's/^/    /'
fi
check_eq "(c) reason status" "$(jget "$REFUSED/00000000000000000063.reason.json" 'd["status"]')" 422
check_eq "(c) reason code" "$(jget "$REFUSED/00000000000000000063.reason.json" 'd["code"]')" signature-invalid
check_eq "(c) reason message" "$(jget "$REFUSED/00000000000000000063.reason.json" 'd["message"]')" "sequence 63 refused by the test"
expect_exit 0 -- "$DRIVER" --state "$STATE" --list-refused
check_eq "(c) list_refused_reports" "$(cat "$WORK/last.out")" "refused 63 422 signature-invalid"
if grep -q 'uploader: refused sequence=63 status=422 code=signature-invalid' "$WORK/c.err"; then
    pass "(c) the refusal is logged"; else fail "(c) refusal log line"; show_driver "$WORK/c"; fi
expect_stored_once "(c) the others" 61 62 64 65
check_eq "(c) 63 never stored" "$(stored_count 63)" 0
stop_receiver

# --- (d) SIGKILL of the driver after the receiver stored a batch but before it answered ----------
start_receiver --fail-first 1 --fail-mode slow --slow-ms 5000
write_config "$WORK/agent-d.json" '"timeoutSeconds": 30'
sed -i 's/"timeoutSeconds": 2, //' "$WORK/agent-d.json"
start_driver "$WORK/d" --config "$WORK/agent-d.json" --enqueue 6 --until-empty --timeout 60
for i in $(seq 1 100); do
    [ "$(stored_count 71)" == 1 ] && break
    sleep 0.1
done
kill -KILL "$DRIVER_PID"
wait_driver
check_eq "(d) driver killed by SIGKILL" "$DRIVER_RC" 137
check_eq "(d) stored on the server but not acknowledged: all 6 still queued" "$(queued)" 6
start_driver "$WORK/d2" --config "$WORK/agent-d.json" --until-empty --timeout 60
wait_driver
check_eq "(d) restarted driver exits 0" "$DRIVER_RC" 0
check_eq "(d) outbox empty" "$(queued)" 0
expect_stored_once "(d) after SIGKILL and resend" $(seq 66 71)
if grep -q 'request 2: 6 item(s): 66:200:duplicate' "$WORK/receiver.log"; then
    pass "(d) the resend is answered 'duplicate'"
else
    fail "(d) no duplicate answers for the resend"; show_driver "$WORK/d2"
fi
stop_receiver

# --- (d2) SIGKILL at random moments during many uploads: nothing lost, nothing stored twice ------
start_receiver
FIRST=72
# Every report is queued before the kills: a kill between reserving a sequence and queueing its
# report leaves a gap (sequences are unique and increasing, not gapless: report.hpp), and this
# test checks a contiguous range.
expect_exit 0 -- "$DRIVER" --state "$STATE" --config "$WORK/agent.json" --enqueue 70 --no-upload
for round in 1 2 3 4 5 6; do
    start_driver "$WORK/kill$round" --config "$WORK/agent.json" --until-empty --timeout 60
    sleep "0.$((RANDOM % 9 + 1))"
    kill -KILL "$DRIVER_PID" 2>/dev/null || true
    wait_driver
done
start_driver "$WORK/drain" --config "$WORK/agent.json" --until-empty --timeout 60
wait_driver
check_eq "(d2) after 6 random SIGKILLs the drain exits 0" "$DRIVER_RC" 0
check_eq "(d2) outbox empty" "$(queued)" 0
expect_stored_once "(d2) random SIGKILLs" $(seq $FIRST $((FIRST + 70 - 1)))
stop_receiver

# --- (e) untrusted server certificate: nothing deleted, the certificate problem logged -----------
start_receiver
write_config "$WORK/agent-e.json"
sed -i "s|$PKI/server-ca.pem|$PKI/rogue-ca.pem|" "$WORK/agent-e.json"
start_driver "$WORK/e" --config "$WORK/agent-e.json" --enqueue 3 --until-empty --timeout 4
wait_driver
check_eq "(e) untrusted certificate: driver times out (exit 1)" "$DRIVER_RC" 1
check_eq "(e) nothing deleted: 3 reports queued" "$(queued)" 3
if grep -q 'error uploader: failed .*certificate' "$WORK/e.err"; then
    pass "(e) the certificate problem is logged as an error"
else
    fail "(e) no error line naming the certificate"; show_driver "$WORK/e"
fi
check_eq "(e) nothing stored" "$(stored_count 142)" 0
stop_receiver

# --- (f) client certificate required: refused without one, works with clientCertFile ------------
start_receiver --client-ca "$PKI/client-ca.pem"
start_driver "$WORK/f1" --config "$WORK/agent.json" --until-empty --timeout 4
wait_driver
check_eq "(f) without a client certificate: nothing sent (exit 1)" "$DRIVER_RC" 1
check_eq "(f) without a client certificate: nothing deleted" "$(queued)" 3
write_config "$WORK/agent-f.json" "\"clientCertFile\": \"$PKI/client.pem\", \"clientKeyFile\": \"$PKI/client.key\""
start_driver "$WORK/f2" --config "$WORK/agent-f.json" --until-empty --timeout 60
wait_driver
check_eq "(f) with clientCertFile: driver exits 0" "$DRIVER_RC" 0
check_eq "(f) outbox empty" "$(queued)" 0
expect_stored_once "(f) mutual TLS" 142 143 144
[ "$DRIVER_RC" == 0 ] || show_driver "$WORK/f2"

# --- SIGTERM: a clean stop with the request in flight; the batch stays queued -------------------
stop_receiver
start_receiver --fail-first 100 --fail-mode hang
write_config "$WORK/agent-t.json" '"timeoutSeconds": 60'
sed -i 's/"timeoutSeconds": 2, //' "$WORK/agent-t.json"
start_driver "$WORK/t" --config "$WORK/agent-t.json" --enqueue 2 --timeout 60
sleep 2
kill -TERM "$DRIVER_PID"
wait_driver
check_eq "(t) SIGTERM with reports queued: exit 3" "$DRIVER_RC" 3
check_eq "(t) the batch in flight stays queued" "$(queued)" 2
if grep -q 'uploader: stopped' "$WORK/t.err"; then pass "(t) stopped cleanly"; else fail "(t) no 'stopped' line"; show_driver "$WORK/t"; fi
stop_receiver

finish
