#!/usr/bin/env bash
# The operator dashboard end to end: the real edgeverify-server (HTTPS on 127.0.0.1, SQLite in
# $WORK, dashboard.dir = src/server/dashboard) fed with REAL reports of one device: `edgeverify
# install` of a signed image (PASSED, admitted) and of a signed image with one tampered layer bit
# (FAILED, not admitted) into a private containerd, a device report from `edgeverify agent`,
# uploaded by edgeverify-uploader-driver (the agent's real uploader). Then
# tests/dashboard/dashboard_test.mjs drives Debian's chromium with playwright-core: a wrong token
# shows the 401 message; the fleet summary shows the API's numbers; device list, device detail,
# image view; the rejected image with the exact reason its report carries (read from the API and
# checked against what install said); the report's raw envelope. One screenshot per page
# (1366x768) lands in $WORK/screenshots; with --update-screenshots they are copied to
# docs/screenshots/. Every process is stopped by its PID.
#
#   bash tests/integration/test_dashboard.sh [--update-screenshots]
#   (ctest: integration.dashboard; EDGEVERIFY_SERVER overrides the server binary)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containerd_lib.sh"
require_tools node openssl curl

UPDATE_SCREENSHOTS=false
[ "${1:-}" = --update-screenshots ] && UPDATE_SCREENSHOTS=true

SERVER=${EDGEVERIFY_SERVER:-$EDGEVERIFY_BUILD_DIR/src/edgeverify-server}
DRIVER="$EDGEVERIFY_BUILD_DIR/tests/edgeverify-uploader-driver"
DASHBOARD_DIR="$EDGEVERIFY_SOURCE_DIR/src/server/dashboard"
BROWSER_TEST_DIR="$EDGEVERIFY_SOURCE_DIR/tests/dashboard"
CHROMIUM=${EDGEVERIFY_CHROMIUM:-/usr/bin/chromium}
[ -x "$SERVER" ] || bail "edgeverify-server not built: $SERVER"
[ -x "$DRIVER" ] || bail "edgeverify-uploader-driver not built: $DRIVER"
[ -x "$CHROMIUM" ] || bail "chromium not installed at $CHROMIUM (scripts/install-deps.sh test)"
[ -f "$BROWSER_TEST_DIR/node_modules/playwright-core/package.json" ] ||
    bail "playwright-core is not installed in tests/dashboard/node_modules: run scripts/install-deps.sh"

PIDS=()
_stop_all() {  # every process this script started, by PID
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
_dashboard_exit() {  # keeps the script's exit status through the cleanups
    local rc=$?
    _stop_all
    set +e
    (exit "$rc")
    _containerd_exit
}
trap _dashboard_exit EXIT

export EDGEVERIFY_STATE_DIR="$WORK/state"
STATE=$EDGEVERIFY_STATE_DIR
REPO=registry.example.com/fleet
LABEL_SITE=plant-7
LABEL_NOTE='<b>not bold</b>'

# --- certificates (openssl CLI): a test CA and the server's leaf for DNS:localhost --------------
PKI="$WORK/pki"
mkdir -p "$PKI"
make_server_pki "$PKI"
# Chromium does not know the test CA: it accepts exactly this server key (SPKI pin), nothing else.
SERVER_SPKI=$(openssl x509 -in "$PKI/server.pem" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64)

PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="https://localhost:$PORT"
printf '{"stateDir": "%s", "server": {"url": "%s", "caFile": "%s", "timeoutSeconds": 5, "backoffInitialSeconds": 1, "backoffMaxSeconds": 2}}\n' \
    "$STATE" "$BASE" "$PKI/ca.pem" >"$WORK/upload.json"

# --- the device: two real installs into a private containerd ---------------------------------------
containerd_start
run_ev device init
check_eq "device init" "$RC" 0
run_ev device show --json
cp "$WORK/last.out" "$WORK/device.json"
DEVICE_ID=$(jget "$WORK/device.json" 'd["deviceId"]')
# 25 earlier device reports (signed by the driver with the same identity and sequence counter), so
# the device's history spans two pages of the dashboard (20 per page).
"$DRIVER" --state "$STATE" --config "$WORK/upload.json" --enqueue 25 --no-upload >"$WORK/enqueue.out" 2>&1 ||
    { cat "$WORK/enqueue.out"; bail "edgeverify-uploader-driver --enqueue failed"; }
EARLY=25

mkdir -p "$WORK/keys" "$WORK/trust/keys"
run_ev keygen --out "$WORK/keys/release"
check_eq "keygen release key" "$RC" 0
cp "$WORK/keys/release.pub" "$WORK/trust/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"%s/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' \
    "$REPO" >"$WORK/trust/policy.json"
INSTALL=(install --trust "$WORK/trust" --containerd-address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE" --json)

GOOD=$(fixture_copy single "$WORK/good")
run_ev sign "$GOOD" --key "$WORK/keys/release.key" --reference "$REPO/app:1.0"
check_eq "sign the good image" "$RC" 0
PASSED_DIGEST=$(jget "$GOOD/index.json" 'd["manifests"][0]["digest"]')
run_ev "${INSTALL[@]}" "$GOOD" --reference "$REPO/app:1.0"
check_eq "install of the signed image: exit 0" "$RC" 0
[ "$RC" -eq 0 ] || _show_run

# Another image (so another digest), signed, then one bit of a layer flipped (same size).
BAD=$(fixture_copy plain "$WORK/tampered")
run_ev sign "$BAD" --key "$WORK/keys/release.key" --reference "$REPO/tampered:1.0"
check_eq "sign the image to tamper with" "$RC" 0
REJECTED_DIGEST=$(jget "$BAD/index.json" 'd["manifests"][0]["digest"]')
LAYER=$(find "$BAD/blobs/sha256" -type f -size +100k | head -n 1)
[ -n "$LAYER" ] || bail "no layer over 100 KiB in the plain fixture"
"$PYTHON" - "$LAYER" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01
open(p, "wb").write(bytes(b))
PY
run_ev "${INSTALL[@]}" "$BAD" --reference "$REPO/tampered:1.0"
check_eq "install of the tampered image: refused (exit 1)" "$RC" 1
cp "$WORK/last.out" "$WORK/tampered-install.json"
echo "# install --json of the tampered image: $(head -c 800 "$WORK/tampered-install.json" | tr '\n' ' ')"
QUARANTINE=$(jget "$WORK/tampered-install.json" 'd.get("quarantine", "")')
if [ -f "$QUARANTINE/reason.txt" ] && grep -q digest-mismatch "$QUARANTINE/reason.txt"; then
    pass "the tampered image is quarantined for digest-mismatch"
else
    fail "the tampered image is quarantined for digest-mismatch (quarantine '$QUARANTINE')"
    _show_run
fi

# A device report listing the installed image: `edgeverify agent` (no server configured) queues
# one at start; it is stopped by PID once the report is in the outbox.
printf '{"stateDir": "%s", "trustDir": "%s", "containerd": {"address": "%s", "namespace": "%s"}}\n' \
    "$STATE" "$WORK/trust" "$CONTAINERD_ADDRESS" "$CONTAINERD_NAMESPACE" >"$WORK/agent.json"
queued() { find "$STATE/outbox" -maxdepth 1 -name '*.json' -type f | wc -l; }
check_eq "the early reports and two verification reports queued" "$(queued)" $((EARLY + 2))
"$EDGEVERIFY" agent --config "$WORK/agent.json" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
PIDS+=("$AGENT_PID")
outbox_holds() { [ "$(queued)" -ge "$1" ]; }
if wait_until 60 outbox_holds $((EARLY + 3)); then pass "the agent queued a device report"; else
    fail "the agent queued a device report"; tail -20 "$WORK/agent.log"; fi
kill -TERM "$AGENT_PID" 2>/dev/null || true
wait "$AGENT_PID" 2>/dev/null || true

# --- the server --------------------------------------------------------------------------------
# An operator token from the server's own command: "token: T" and the configuration entry.
"$SERVER" operator-token new dashboard-test >"$WORK/operator-token.txt" || bail "operator-token new failed"
TOKEN=$(sed -n 's/^token: //p' "$WORK/operator-token.txt")
TOKEN_ENTRY=$(sed -n 's/^server.json operatorTokens entry: //p' "$WORK/operator-token.txt")
[ -n "$TOKEN" ] && [ -n "$TOKEN_ENTRY" ] || bail "operator-token new printed no token: $(cat "$WORK/operator-token.txt")"
check_eq "the configuration entry holds the token's SHA-256, not the token" \
    "$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["sha256"])' "$TOKEN_ENTRY")" \
    "$(printf '%s' "$TOKEN" | sha256sum | cut -c1-64)"
cat >"$WORK/server.json" <<JSON
{"listen": {"host": "127.0.0.1", "port": $PORT},
 "tls": {"certificate": "$PKI/server.pem", "key": "$PKI/server.key"},
 "database": "sqlite:$WORK/fleet.db",
 "operatorTokens": [$TOKEN_ENTRY],
 "dashboard": {"dir": "$DASHBOARD_DIR"}}
JSON
"$SERVER" --config "$WORK/server.json" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
CURL=(curl -sS --max-time 10 --cacert "$PKI/ca.pem")
if wait_until 30 "${CURL[@]}" -f "$BASE/healthz"; then pass "edgeverify-server answers /healthz"; else
    fail "edgeverify-server answers /healthz"; tail -20 "$WORK/server.log"; bail "the server did not start"; fi

api() {  # api METHOD PATH [BODY]: body -> $WORK/api.json, HTTP status printed
    "${CURL[@]}" -o "$WORK/api.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$BASE$2" || echo "curl-failed"
}

# The dashboard's own files: served at / and /dashboard/, modules with a JavaScript type (a
# module script of another type is refused by the browser).
check_eq "GET / serves index.html" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/")" 200
JS_TYPE=$("${CURL[@]}" -o /dev/null -w '%{content_type}' "$BASE/dashboard/app.js")
case "$JS_TYPE" in
text/javascript* | application/javascript*) pass "app.js is served as JavaScript ($JS_TYPE)" ;;
*) fail "app.js is served as JavaScript: Content-Type '$JS_TYPE'" ;;
esac
check_eq "the API refuses a wrong operator token" \
    "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "$BASE/api/v1/fleet")" 401

# --- enroll the device through the operator API, then upload its outbox ------------------------
ENROLL=$("$PYTHON" - "$WORK/device.json" "$LABEL_SITE" "$LABEL_NOTE" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps({"enrollment": d["enrollment"], "labels": {"site": sys.argv[2], "note": sys.argv[3]}}))
PY
)
check_eq "POST /api/v1/devices enrolls the device (201)" "$(api POST /api/v1/devices "$ENROLL")" 201
check_eq "the enrolled id is the device's own" "$(jget "$WORK/api.json" 'd.get("id")')" "$DEVICE_ID"

set +e
timeout 90 "$DRIVER" --state "$STATE" --config "$WORK/upload.json" --until-empty --timeout 60 \
    >"$WORK/driver.out" 2>"$WORK/driver.err"
DRIVER_RC=$?
set -e
check_eq "the uploader empties the outbox (driver exit 0)" "$DRIVER_RC" 0
check_eq "outbox empty" "$(queued)" 0
if [ "$DRIVER_RC" -ne 0 ]; then tail -20 "$WORK/driver.err"; tail -20 "$WORK/server.log"; fi
check_eq "nothing refused by the server" "$(find "$STATE/outbox/refused" -type f 2>/dev/null | wc -l | tr -d ' ')" 0

# --- what the API says (the browser test compares the page with it) ---------------------------
check_eq "GET /api/v1/reports?device=...: 200" "$(api GET "/api/v1/reports?device=$DEVICE_ID&limit=200")" 200
check_eq "every report stored for the device" "$(jget "$WORK/api.json" 'len(d["reports"])')" $((EARLY + 3))
check_eq "the newest is the agent's device report" "$(jget "$WORK/api.json" '[d["reports"][0]["kind"], d["reports"][0]["sequence"]]')" "[\"device\", $((EARLY + 3))]"
check_eq "GET /api/v1/reports?result=FAILED: 200" "$(api GET "/api/v1/reports?result=FAILED")" 200
cp "$WORK/api.json" "$WORK/failed.json"
check_eq "one FAILED report, for the tampered digest, not admitted" \
    "$(jget "$WORK/failed.json" '[(r["subject"]["digest"], r["admitted"]) for r in d["reports"]]')" \
    "[[\"$REJECTED_DIGEST\", false]]"
REASON=$(jget "$WORK/failed.json" 'd["reports"][0]["reason"] if d["reports"] else ""')
# The reason is the first failing check's message: the integrity failure install reported
# (`error.message` of its --json output, the layer that hashes to another digest).
INSTALL_MESSAGE=$(jget "$WORK/tampered-install.json" 'd["error"]["message"]')
if [ -n "$REASON" ] && [[ "$INSTALL_MESSAGE" == *"hashes to sha256:"* ]] &&
    { [[ "$REASON" == *"$INSTALL_MESSAGE"* ]] || [[ "$INSTALL_MESSAGE" == *"$REASON"* ]]; }; then
    pass "the FAILED report's reason is install's digest-mismatch message: $REASON"
else
    fail "the FAILED report's reason: got '$REASON', install said '$INSTALL_MESSAGE'"
fi
check_eq "GET /api/v1/fleet: 200" "$(api GET /api/v1/fleet)" 200
check_eq "fleet: one active device, one rejection in 24 h" \
    "$(jget "$WORK/api.json" '[d["devices"]["active"], d["rejectionsLast24h"]]')" "[1, 1]"

# --- the browser -------------------------------------------------------------------------------
SHOTS="$WORK/screenshots"
set +e
NODE_EXTRA_CA_CERTS="$PKI/ca.pem" timeout --kill-after=10 120 node "$BROWSER_TEST_DIR/dashboard_test.mjs" \
    --url "$BASE" --token "$TOKEN" --device "$DEVICE_ID" --passed-digest "$PASSED_DIGEST" \
    --rejected-digest "$REJECTED_DIGEST" --reason "$REASON" --label "site=$LABEL_SITE" \
    --screenshots "$SHOTS" --chromium "$CHROMIUM" --ca-spki "$SERVER_SPKI" >"$WORK/browser.out" 2>&1
BROWSER_RC=$?
set -e
sed -e 's/^/    browser: /' "$WORK/browser.out"
check_eq "the browser test passes (dashboard_test.mjs exit 0)" "$BROWSER_RC" 0
for page in login-401 fleet devices device image rejected report; do
    if [ -s "$SHOTS/$page.png" ]; then pass "screenshot $page.png"; else fail "screenshot $page.png"; fi
done
if $UPDATE_SCREENSHOTS && [ "$BROWSER_RC" -eq 0 ]; then
    mkdir -p "$EDGEVERIFY_SOURCE_DIR/docs/screenshots"
    cp "$SHOTS"/*.png "$EDGEVERIFY_SOURCE_DIR/docs/screenshots/"
    echo "# screenshots copied to docs/screenshots/"
fi
if [ "$FAILURES" -ne 0 ]; then tail -30 "$WORK/server.log" | sed -e 's/^/    server: /'; fi

_stop_all
finish
