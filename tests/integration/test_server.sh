#!/usr/bin/env bash
# edgeverify-server end to end over real HTTPS on loopback, SQLite in $WORK: CLI enrollment, the
# real agent uploader (edgeverify-uploader-driver) emptying its outbox into the server, per-item
# results over curl (duplicate, signature-invalid, device-unknown, 413), operator tokens (401),
# zero-touch enrollment (pending -> 423 -> accept -> stored), revocation (403), /healthz, /metrics
# and the dashboard files; then tls.clientCa: no certificate or one from another CA gets no
# answer, the uploader with its client certificate is stored. The server is stopped by its PID.
source "$(dirname "$0")/lib.sh"
require_tools openssl curl

SERVER="$EDGEVERIFY_BUILD_DIR/src/edgeverify-server"
DRIVER="$EDGEVERIFY_BUILD_DIR/tests/edgeverify-uploader-driver"
[ -x "$SERVER" ] || bail "edgeverify-server not built: $SERVER"
[ -x "$DRIVER" ] || bail "edgeverify-uploader-driver not built: $DRIVER"

SERVER_PID=
_stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap 'rc=$?; set +e; _stop_server; (exit "$rc"); _it_cleanup' EXIT  # keeps the script's exit status

PKI="$WORK/pki"
mkdir -p "$PKI"
make_server_pki "$PKI"

# --- devices: a (enrolled by the CLI), b (never enrolled), c (zero-touch) ------------------------
for d in a b c; do
    EDGEVERIFY_STATE_DIR="$WORK/$d" "$EDGEVERIFY" device init >/dev/null || bail "device init $d failed"
    EDGEVERIFY_STATE_DIR="$WORK/$d" "$EDGEVERIFY" device show --json >"$WORK/$d.json" || bail "device show $d failed"
done
ID_A=$(jget "$WORK/a.json" 'd["deviceId"]')
ID_C=$(jget "$WORK/c.json" 'd["deviceId"]')

# --- configuration -----------------------------------------------------------------------------
"$SERVER" operator-token new ci >"$WORK/optoken.txt" || bail "operator-token new failed"
OP_TOKEN=$(sed -n 's/^token: //p' "$WORK/optoken.txt")
OP_ENTRY=$(sed -n 's/^server.json operatorTokens entry: //p' "$WORK/optoken.txt")
[ ${#OP_TOKEN} == 64 ] || bail "operator-token new printed no token"
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/server.json" <<JSON
{"listen": {"host": "127.0.0.1", "port": $PORT},
 "tls": {"certificate": "$PKI/server.pem", "key": "$PKI/server.key"},
 "database": "sqlite:$WORK/fleet.db",
 "operatorTokens": [$OP_ENTRY],
 "limits": {"maxBodyBytes": 65536},
 "dashboard": {"dir": "$EDGEVERIFY_SOURCE_DIR/src/server/dashboard"}}
JSON
SRV=("$SERVER" --config "$WORK/server.json")

printf '{"limits": {"maxBodyBytes": 1}}\n' >"$WORK/bad.json"
set +e
"$SERVER" --config "$WORK/bad.json" device list >/dev/null 2>"$WORK/bad.err"
rc=$?
set -e
check_eq "a bad config exits 2" "$rc" 2
check_eq "a bad config names file and JSON path" "$(cat "$WORK/bad.err")" \
    "edgeverify-server: $WORK/bad.json: limits.maxBodyBytes: must be an integer from 65536 to 268435456"

"${SRV[@]}" device add --enrollment "$WORK/a.json" --label site=ci >"$WORK/add.out" 2>&1 || { cat "$WORK/add.out"; bail "device add failed"; }
"${SRV[@]}" device list --json >"$WORK/list.json"
check_eq "device add: a is active" "$(jget "$WORK/list.json" '[x["status"] for x in d if x["id"]=="'"$ID_A"'"]')" '["active"]'

"${SRV[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
CURL=(curl -s --max-time 10 --cacert "$PKI/ca.pem")
URL="https://localhost:$PORT"
wait_until 15 "${CURL[@]}" -f "$URL/healthz" || { cat "$WORK/server.log"; bail "the server did not start"; }

# post FILE [AUTH]: writes the body to $WORK/resp.json, prints the HTTP status
post() {
    "${CURL[@]}" -o "$WORK/resp.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        ${2:+-H "Authorization: Bearer $2"} --data-binary "@$1" "$URL${3:-/api/v1/reports}"
}
item() { jget "$WORK/resp.json" "d['results'][0]['$1']"; }
db_count() { "$PYTHON" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$WORK/fleet.db" "$1"; }

# --- the real uploader empties the outbox into the server ---------------------------------------
printf '{"stateDir": "%s", "server": {"url": "https://localhost:%s", "caFile": "%s", "timeoutSeconds": 5, "batchMaxReports": 4, "backoffInitialSeconds": 1, "backoffMaxSeconds": 2}}\n' \
    "$WORK/a" "$PORT" "$PKI/ca.pem" >"$WORK/agent-a.json"
set +e
"$DRIVER" --state "$WORK/a" --config "$WORK/agent-a.json" --enqueue 10 --until-empty --timeout 30 >"$WORK/driver.out" 2>&1
rc=$?
set -e
check_eq "uploader: the outbox empties (driver exit 0)" "$rc" 0
[ "$rc" == 0 ] || tail -5 "$WORK/driver.out"
check_eq "uploader: 10 reports of a stored" "$(db_count "SELECT COUNT(*) FROM reports WHERE device_id='$ID_A'")" 10

# next_report DEVICE: queue one more signed report without uploading it; prints its file
next_report() {
    "$DRIVER" --state "$WORK/$1" --config "$WORK/agent-a.json" --enqueue 1 --no-upload >/dev/null 2>&1 || bail "enqueue for $1 failed"
    ls "$WORK/$1/outbox/"*.json | sort | tail -1
}
R=$(next_report a)
check_eq "curl: a new report is stored" "$(post "$R")/$(item code)/$(item status)" "200/stored/201"
check_eq "curl: the resend is a duplicate" "$(post "$R")/$(item code)/$(item status)" "200/duplicate/200"
"$PYTHON" - "$R" "$WORK/tampered.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
s = e["signatures"][0]["sig"]
e["signatures"][0]["sig"] = ("B" if s[8] == "A" else "A").join([s[:8], s[9:]])
json.dump(e, open(sys.argv[2], "w"))
PY
check_eq "curl: a tampered envelope is signature-invalid" "$(post "$WORK/tampered.json")/$(item code)/$(item status)" \
    "200/signature-invalid/422"
mkdir -p "$WORK/b" && cp "$WORK/agent-a.json" "$WORK/agent-b.json"
RB=$(next_report b)
check_eq "curl: an unenrolled device is device-unknown" "$(post "$RB")/$(item code)/$(item status)" "200/device-unknown/404"
head -c 70000 /dev/zero | tr '\0' ' ' >"$WORK/big.json"
check_eq "curl: a body over limits.maxBodyBytes is 413" "$(post "$WORK/big.json")" 413

# --- operator tokens ---------------------------------------------------------------------------
code=$("${CURL[@]}" -o "$WORK/resp.json" -D "$WORK/headers" -w '%{http_code}' "$URL/api/v1/devices")
check_eq "no operator token: 401 unauthorized" "$code/$(jget "$WORK/resp.json" 'd["error"]["code"]')" "401/unauthorized"
check_eq "401 carries WWW-Authenticate: Bearer" "$(grep -i -c '^WWW-Authenticate: Bearer' "$WORK/headers")" 1
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${OP_TOKEN}x" "$URL/api/v1/fleet")
check_eq "a wrong operator token: 401" "$code" 401
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer wrong" "$URL/api/v1/devices/$ID_A/revoke")
check_eq "a wrong operator token on POST: 401" "$code" 401

# --- zero-touch enrollment ---------------------------------------------------------------------
BOOT=$("${SRV[@]}" token add --uses 1 2>/dev/null)
"$PYTHON" -c 'import json,sys; print(json.dumps({"enrollment": json.load(open(sys.argv[1]))["enrollment"], "labels": {"site": "zt"}}))' \
    "$WORK/c.json" >"$WORK/enroll.json"
check_eq "enroll without a token: 401" "$(post "$WORK/enroll.json" "" /api/v1/enroll)" 401
check_eq "enroll with the bootstrap token: 201 pending" \
    "$(post "$WORK/enroll.json" "$BOOT" /api/v1/enroll)/$(db_count "SELECT status FROM devices WHERE id='$ID_C'")" "201/pending"
check_eq "the used-up token: 401" "$(post "$WORK/enroll.json" "$BOOT" /api/v1/enroll)" 401
cp "$WORK/agent-a.json" "$WORK/agent-c.json"
RC=$(next_report c)
check_eq "a pending device's report: device-pending" "$(post "$RC")/$(item code)/$(item status)" "200/device-pending/423"
"${SRV[@]}" device accept "$ID_C" >/dev/null || fail "device accept failed"
check_eq "after accept: stored" "$(post "$RC")/$(item code)/$(item status)" "200/stored/201"

# --- revocation --------------------------------------------------------------------------------
"${SRV[@]}" device revoke "$ID_A" >/dev/null || fail "device revoke failed"
R2=$(next_report a)
check_eq "a revoked device's report: device-revoked" "$(post "$R2")/$(item code)/$(item status)" "200/device-revoked/403"

# --- health, metrics, dashboard ----------------------------------------------------------------
code=$("${CURL[@]}" -o "$WORK/health.json" -w '%{http_code}' "$URL/healthz")
check_eq "/healthz" "$code/$(jget "$WORK/health.json" 'd["status"]')/$(jget "$WORK/health.json" 'd["storage"]')" "200/ok/sqlite"
"${CURL[@]}" -o "$WORK/metrics.txt" "$URL/metrics"
for counter in edgeverify_server_requests_total edgeverify_server_reports_total; do
    check_eq "/metrics has $counter" "$(grep -c "^$counter" "$WORK/metrics.txt" | awk '{print ($1 > 0)}')" 1
done
code=$("${CURL[@]}" -o "$WORK/index.html" -D "$WORK/headers" -w '%{http_code}' "$URL/")
check_eq "GET / serves the dashboard" "$code/$(grep -i -c '^Content-Type: text/html' "$WORK/headers")" "200/1"
code=$("${CURL[@]}" --path-as-is -o /dev/null -w '%{http_code}' "$URL/dashboard/../../../etc/passwd")
check_eq "no path traversal" "$code" 404

kill -TERM "$SERVER_PID"
set +e
wait "$SERVER_PID"
rc=$?
set -e
SERVER_PID=
check_eq "SIGTERM stops the server with exit 0" "$rc" 0

# --- tls.clientCa: devices must present a certificate chaining to it ----------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=device-ca" \
    -keyout "$PKI/device-ca.key" -out "$PKI/device-ca.pem" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
for who in device rogue; do
    ca=device-ca && [ "$who" == rogue ] && ca=ca  # rogue: issued by the server CA, not the device CA
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$who" \
        -keyout "$PKI/$who.key" -out "$PKI/$who.csr" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >"$PKI/client.ext"
    openssl x509 -req -in "$PKI/$who.csr" -CA "$PKI/$ca.pem" -CAkey "$PKI/$ca.key" -CAcreateserial -days 2 \
        -extfile "$PKI/client.ext" -out "$PKI/$who.pem" 2>/dev/null
done
"$PYTHON" - "$WORK/server.json" "$PKI/device-ca.pem" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["tls"]["clientCa"] = sys.argv[2]; json.dump(c, open(sys.argv[1], "w"))
PY
"${SRV[@]}" >"$WORK/server-mtls.log" 2>&1 &
SERVER_PID=$!
mtls_up() { "${CURL[@]}" -f --cert "$PKI/device.pem" --key "$PKI/device.key" "$URL/healthz"; }
wait_until 15 mtls_up || { cat "$WORK/server-mtls.log"; bail "the server with tls.clientCa did not start"; }
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/healthz" || true)
check_eq "clientCa: no client certificate, no answer" "$code" 000
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' --cert "$PKI/rogue.pem" --key "$PKI/rogue.key" "$URL/healthz" || true)
check_eq "clientCa: a certificate from another CA, no answer" "$code" 000
printf '{"stateDir": "%s", "server": {"url": "%s", "caFile": "%s", "clientCertFile": "%s", "clientKeyFile": "%s", "timeoutSeconds": 5, "backoffInitialSeconds": 1, "backoffMaxSeconds": 2}}\n' \
    "$WORK/c" "$URL" "$PKI/ca.pem" "$PKI/device.pem" "$PKI/device.key" >"$WORK/agent-c-mtls.json"
set +e
"$DRIVER" --state "$WORK/c" --config "$WORK/agent-c-mtls.json" --enqueue 2 --until-empty --timeout 30 >"$WORK/driver-mtls.out" 2>&1
rc=$?
set -e
check_eq "clientCa: the uploader with its client certificate empties the outbox" "$rc" 0
check_eq "clientCa: c's reports stored (1 before, 2 now)" "$(db_count "SELECT COUNT(*) FROM reports WHERE device_id='$ID_C'")" 3
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

[ "$FAILURES" == 0 ] || tail -20 "$WORK/server.log"
finish
