#!/usr/bin/env bash
# `make demo`: the whole mission on one machine, with the project's own binaries only.
#   1. a fleet server (edgeverify-server) on SQLite over HTTPS on 127.0.0.1, an operator token;
#   2. a device identity (edgeverify device init), enrolled on the server;
#   3. a sample image built with umoci, signed with a release key the device's trust store names;
#   4. `edgeverify install` into a private containerd: the signed image is admitted, a copy with
#      one flipped bit in a layer is rejected and quarantined;
#   5. `edgeverify agent` uploads the signed verification reports and a device report;
#   6. what the operator API says, and where the dashboard is.
# Everything lives under BUILD_DIR/demo; every process it starts is stopped by PID at the end.
# Needs root (containerd) and what scripts/install-deps.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=$(realpath -m "${1:-build}")
edgeverify="$build_dir/src/edgeverify"
server="$build_dir/src/edgeverify-server"
work=${EDGEVERIFY_DEMO_DIR:-$build_dir/demo}  # tests/integration/test_demo.sh runs it in its own directory
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (it starts a private containerd)" >&2; exit 2; }
for tool in "$edgeverify" "$server"; do
    [ -x "$tool" ] || { echo "demo: $tool is not built (make build)" >&2; exit 2; }
done
for tool in containerd ctr umoci openssl curl python3; do
    command -v "$tool" >/dev/null || { echo "demo: $tool is missing (scripts/install-deps.sh all)" >&2; exit 2; }
done

pids=()
stop_all() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
    # containerd's snapshots may leave mounts under the demo directory.
    awk -v root="$work/containerd" 'index($2, root) == 1 {print $2}' /proc/self/mounts | sort -r |
        while read -r m; do umount "$m" 2>/dev/null || true; done
}
trap stop_all EXIT
rm -rf "$work" && mkdir -p "$work"
step() { printf '\n--- %s ---\n' "$*"; }
wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

step "1. the fleet server: HTTPS on 127.0.0.1, SQLite, an operator token"
pki="$work/pki" && mkdir -p "$pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=edgeverify demo CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$pki/server.key" -out "$pki/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$pki/server.ext"
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -extfile "$pki/server.ext" -out "$pki/server.pem" 2>/dev/null
"$server" operator-token new demo-operator >"$work/operator-token.txt"
token=$(sed -n 's/^token: //p' "$work/operator-token.txt")
token_entry=$(sed -n 's/^server.json operatorTokens entry: //p' "$work/operator-token.txt")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="https://localhost:$port"
cat >"$work/server.json" <<JSON
{"listen": {"host": "127.0.0.1", "port": $port},
 "tls": {"certificate": "$pki/server.pem", "key": "$pki/server.key"},
 "database": "sqlite:$work/fleet.db",
 "operatorTokens": [$token_entry],
 "dashboard": {"dir": "$PWD/src/server/dashboard"}}
JSON
"$server" --config "$work/server.json" 2>"$work/server.log" &
pids+=($!)
curl_=(curl -sS --max-time 10 --cacert "$pki/ca.pem")
wait_for 30 "${curl_[@]}" -f "$base/healthz" || { tail "$work/server.log"; echo "demo: the server did not start" >&2; exit 1; }
echo "edgeverify-server on $base (log $work/server.log)"

step "2. the device: an identity, enrolled by the operator"
export EDGEVERIFY_STATE_DIR="$work/device"
"$edgeverify" device init
"$edgeverify" device show --json >"$work/device.json"
"$server" --config "$work/server.json" device add --enrollment "$work/device.json" --label site=demo-lab
device_id=$(json "$work/device.json" 'd["deviceId"]')

step "3. a sample image (umoci: busybox and an app layer), signed with the release key"
umoci init --layout "$work/oci" >/dev/null
umoci new --image "$work/oci:demo" >/dev/null
umoci unpack --rootless --image "$work/oci:demo" "$work/bundle" >/dev/null
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/etc"
cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
ln -s busybox "$work/bundle/rootfs/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$work/bundle/rootfs/etc/passwd"
umoci repack --image "$work/oci:demo" "$work/bundle" >/dev/null
mkdir -p "$work/app" && echo "hello from the demo" >"$work/app/hello.txt"
umoci insert --rootless --image "$work/oci:demo" "$work/app" /app >/dev/null
umoci config --image "$work/oci:demo" --config.user 1000 --config.cmd /bin/sh >/dev/null
mkdir -p "$work/keys" "$work/trust/keys"
"$edgeverify" keygen --out "$work/keys/release"
cp "$work/keys/release.pub" "$work/trust/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"demo","match":"registry.example.com/demo/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' \
    >"$work/trust/policy.json"
cp -r "$work/oci" "$work/tampered"
"$edgeverify" sign "$work/oci" --key "$work/keys/release.key" --reference registry.example.com/demo/app:1.0
"$edgeverify" sign "$work/tampered" --key "$work/keys/release.key" --reference registry.example.com/demo/app:1.1
# One bit of the largest layer flipped after signing: same size, different bytes.
layer=$(find "$work/tampered/blobs/sha256" -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2)
python3 - "$layer" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 1; open(sys.argv[1], "wb").write(bytes(b))
PY

step "4. install into containerd (a private one, on $work/containerd)"
c="$work/containerd" && mkdir -p "$c/root" "$c/state" "$c/opt"
cat >"$c/config.toml" <<TOML
version = 2
root = "$c/root"
state = "$c/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$c/opt"
TOML
containerd --config "$c/config.toml" >"$c/containerd.log" 2>&1 &
pids+=($!)
wait_for 20 ctr --address "$c/containerd.sock" version || { tail "$c/containerd.log"; exit 1; }
install=("$edgeverify" install --trust "$work/trust" --containerd-address "$c/containerd.sock" --namespace demo)
echo "\$ edgeverify install <signed image>"
"${install[@]}" "$work/oci" --reference registry.example.com/demo/app:1.0
echo "\$ edgeverify install <the same image, one bit flipped in a layer>"
set +e
"${install[@]}" "$work/tampered" --reference registry.example.com/demo/app:1.1
rc=$?
set -e
echo "exit code: $rc (1 = rejected; nothing reached containerd)"
[ "$rc" -eq 1 ]
echo "containerd holds:"
ctr --address "$c/containerd.sock" --namespace demo images ls -q

step "5. edgeverify agent: the signed reports go to the fleet server"
cat >"$work/agent.json" <<JSON
{"stateDir": "$work/device", "trustDir": "$work/trust",
 "containerd": {"address": "$c/containerd.sock", "namespace": "demo"},
 "server": {"url": "$base", "caFile": "$pki/ca.pem"}}
JSON
"$edgeverify" agent --config "$work/agent.json" 2>"$work/agent.log" &
agent_pid=$!
pids+=("$agent_pid")
reports_stored() {
    [ "$("${curl_[@]}" -H "Authorization: Bearer $token" "$base/api/v1/fleet" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reports"])')" -ge 3 ]
}
wait_for 60 reports_stored || { tail "$work/agent.log"; echo "demo: the reports did not arrive" >&2; exit 1; }
echo "the agent uploaded its outbox (log $work/agent.log)"

step "6. what the operator API says"
api() { "${curl_[@]}" -H "Authorization: Bearer $token" "$base$1"; }
echo "GET /api/v1/fleet"
api /api/v1/fleet | python3 -m json.tool
echo "GET /api/v1/reports?result=FAILED (the rejected image and why)"
api "/api/v1/reports?result=FAILED" |
    python3 -c 'import json,sys
for r in json.load(sys.stdin)["reports"]:
    print("  %s %s on %s: %s" % (r["subject"]["name"], r["subject"]["digest"][:19], r["deviceId"], r["reason"]))'

cat <<EOF

The dashboard: $base/  (device $device_id)
  operator token: $token
  CA certificate: $pki/ca.pem (the browser will warn about this demo CA otherwise)
EOF
if [ -t 0 ]; then
    read -r -p "Press Enter to stop the server, the agent and containerd... " _
fi
