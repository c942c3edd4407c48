#!/usr/bin/env bash
# `make demo` (scripts/demo.sh), the README's first command, end to end: the fleet server, the
# enrolled device, the signed image admitted into containerd, the tampered copy rejected, the
# reports uploaded by the agent and read back from the API. Run in $WORK (EDGEVERIFY_DEMO_DIR).
source "$(dirname "$0")/lib.sh"
require_tools containerd ctr openssl curl
[ -x "$EDGEVERIFY_BUILD_DIR/src/edgeverify-server" ] || bail "edgeverify-server is not built in $EDGEVERIFY_BUILD_DIR"

set +e
EDGEVERIFY_DEMO_DIR="$WORK/demo" timeout 240 bash "$EDGEVERIFY_SOURCE_DIR/scripts/demo.sh" "$EDGEVERIFY_BUILD_DIR" \
    </dev/null >"$WORK/demo.out" 2>&1
rc=$?
set -e
check_eq "the demo exits 0" "$rc" 0
[ "$rc" -eq 0 ] || tail -30 "$WORK/demo.out"

expect_line() {  # expect_line DESC REGEX: some line of the demo's output matches
    if grep -Eq -- "$2" "$WORK/demo.out"; then pass "$1"; else fail "$1 (no line matching '$2')"; fi
}
expect_line "the device is enrolled active" '^enrolled ev-[0-9a-f]{20} sha256:[0-9a-f]{64} \(active\)$'
expect_line "the signed image is installed" '^installed registry\.example\.com/demo/app:1\.0 sha256:[0-9a-f]{64}$'
expect_line "the tampered copy is rejected for its digest" '^edgeverify: rejected: digest-mismatch: layer '
expect_line "the tampered copy's install exits 1" '^exit code: 1 \(1 = rejected'
expect_line "containerd holds the admitted image" '^registry\.example\.com/demo/app:1\.0$'
if grep -q 'registry.example.com/demo/app:1.1$' "$WORK/demo.out"; then
    fail "containerd holds the tampered image"
else
    pass "containerd does not hold the tampered image"
fi
expect_line "the server stored the three reports" '"reports": 3,'
expect_line "the fleet counts one rejection" '"rejectionsLast24h": 1,'
expect_line "the API gives the rejected image's reason" \
    '^  registry\.example\.com/demo/app:1\.1 sha256:[0-9a-f]{12} on ev-[0-9a-f]{20}: layer .* hashes to sha256:'
expect_line "the dashboard URL is printed" '^The dashboard: https://localhost:[0-9]+/'
if pgrep -f "$WORK/demo" >/dev/null; then fail "a demo process is still running"; else pass "every demo process stopped"; fi

finish
