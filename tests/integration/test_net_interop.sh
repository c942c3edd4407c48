#!/usr/bin/env bash
# src/net against independent implementations on loopback: curl (OpenSSL) as the client of
# HttpServer, and HttpClient against `openssl s_server -WWW`. Certificates come from the openssl
# CLI; the server certificate names DNS:localhost (docs/net.md: no IP-address SANs in mbedTLS 2.28).
source "$(dirname "$0")/lib.sh"
require_tools curl openssl

NET_TOOL=${EDGEVERIFY_NET_TEST_SERVER:-$EDGEVERIFY_BUILD_DIR/tests/edgeverify-net-test-server}
[ -x "$NET_TOOL" ] || bail "edgeverify-net-test-server not built: $NET_TOOL"

PIDS=()
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null); [ -n "$st" ] && [ "${st:0:1}" != Z ]; }  # zombies are gone
_net_cleanup() {
    local rc=$? pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do  # a process that ignores SIGTERM is killed after 5 s
        for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    (exit "$rc")
    _it_cleanup
}
trap _net_cleanup EXIT

PKI="$WORK/pki"
mkdir -p "$PKI"
(
    cd "$PKI"
    key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
    openssl req -x509 $key -keyout ca.key -out ca.pem -days 2 -subj "/CN=interop CA"
    leaf() {  # NAME CN EXT
        printf '%s\n' "$3" >"$1.ext"
        openssl req $key -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
        openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out "$1.pem" -extfile "$1.ext"
    }
    leaf server localhost "subjectAltName=DNS:localhost"
    leaf client device-7 "extendedKeyUsage=clientAuth"
) >/dev/null 2>&1 || bail "openssl could not make the test PKI"

# --- curl against HttpServer --------------------------------------------------------------------
"$NET_TOOL" serve --cert "$PKI/server.pem" --key "$PKI/server.key" --client-ca "$PKI/ca.pem" \
    --max-body 1000 >"$WORK/serve.out" 2>"$WORK/serve.err" &
PIDS+=($!)
SERVER_PID=$!
for _ in $(seq 100); do grep -q '^port ' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/^port //p' "$WORK/serve.out")
[ -n "$PORT" ] || bail "test server did not report its port: $(cat "$WORK/serve.err")"

CURL=(curl --silent --show-error --max-time 20 --cacert "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/client.key")
out=$("${CURL[@]}" --data-binary 'hello from curl' "https://localhost:$PORT/api/v1/echo?x=1" 2>&1 || true)
check_eq "curl POST through TLS with a client certificate is echoed" "$out" \
    "POST /api/v1/echo?x=1 15 CN=device-7
hello from curl"

code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' --data-binary "@/dev/stdin" "https://localhost:$PORT/big" \
    < <(head -c 5000 /dev/zero) 2>/dev/null || true)
check_eq "curl: a body over --max-body 1000 is answered 413" "$code" "413"

out=$("${CURL[@]}" "https://localhost:$PORT/a" "https://localhost:$PORT/b" 2>&1 || true)
check_eq "curl: two requests on one keep-alive connection" "$out" "GET /a 0 CN=device-7
GET /b 0 CN=device-7"

if curl --silent --max-time 20 --cacert "$PKI/ca.pem" -o /dev/null "https://localhost:$PORT/" 2>/dev/null; then
    fail "curl without a client certificate was served"
else
    pass "curl without a client certificate is refused in the handshake"
fi
if grep -q "client certificate required but none was presented" "$WORK/serve.err"; then
    pass "the server names the missing client certificate"
else
    fail "server error log lacks the missing-certificate reason: $(cat "$WORK/serve.err")"
fi

# --- HttpClient against openssl s_server ---------------------------------------------------------
WWW="$WORK/www"
mkdir -p "$WWW"
printf 'served by openssl\n' >"$WWW/hello.txt"
SPORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$WWW" && exec openssl s_server -quiet -accept "127.0.0.1:$SPORT" -cert "$PKI/server.pem" \
    -key "$PKI/server.key" -WWW) >"$WORK/s_server.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
    "$PYTHON" -c "import socket,sys; socket.create_connection(('127.0.0.1',$SPORT),1)" 2>/dev/null && break
    sleep 0.1
done
out=$("$NET_TOOL" fetch "https://localhost:$SPORT/hello.txt" --ca "$PKI/ca.pem" 2>&1 || true)
check_eq "HttpClient fetches a file from openssl s_server -WWW" "$out" "status 200
served by openssl"
out=$("$NET_TOOL" fetch "https://localhost:$SPORT/missing.txt" --ca "$PKI/ca.pem" 2>&1 || true)
# s_server -WWW answers a missing file with 200 and OpenSSL's error text, framed by the close.
case "$out" in
    "status 200"*"Error opening 'missing.txt'"*) pass "HttpClient reads s_server's close-framed error page" ;;
    *) fail "missing file from s_server: $out" ;;
esac
out=$("$NET_TOOL" fetch "https://localhost:$SPORT/hello.txt" --ca "$PKI/client.pem" 2>&1 || true)
case "$out" in
    "permission-denied: https://localhost:$SPORT: TLS handshake failed: server certificate not trusted"*)
        pass "HttpClient refuses openssl s_server's certificate under a CA file that does not issue it" ;;
    *) fail "untrusted s_server certificate: $out" ;;
esac

# The test server stops on SIGTERM (its loop must end once the server and its signal handles close).
kill -TERM "$SERVER_PID"
for _ in $(seq 50); do alive "$SERVER_PID" || break; sleep 0.1; done
if alive "$SERVER_PID"; then fail "the test server is still running 5 s after SIGTERM"; else pass "the test server stops on SIGTERM"; fi

finish
