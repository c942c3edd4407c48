#!/usr/bin/env bash
# The fleet server's storage specification (tests/unit/server/storage_*cases.hpp, the same cases
# the unit tests run against SQLite) against a private PostgreSQL 15 cluster started here and
# stopped at exit. Missing PostgreSQL binaries are a failure, unless EDGEVERIFY_SKIP_POSTGRES=1
# is set explicitly: then the test reports itself skipped (exit 77, ctest's SKIP_RETURN_CODE).
set -euo pipefail

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EDGEVERIFY_SOURCE_DIR=${EDGEVERIFY_SOURCE_DIR:-$(cd "$IT_DIR/../.." && pwd)}
EDGEVERIFY_BUILD_DIR=${EDGEVERIFY_BUILD_DIR:-$EDGEVERIFY_SOURCE_DIR/build}
STORE_TESTS=$EDGEVERIFY_BUILD_DIR/tests/edgeverify-store-postgres-tests
# shellcheck source=postgres_lib.sh
. "$IT_DIR/postgres_lib.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/edgeverify-it.store_postgres.XXXXXX")
chmod 0711 "$WORK"  # the postgres user must reach its cluster directory inside
cleanup() {
    local rc=$?
    pg_stop
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

if ! pg_available; then
    if [ "${EDGEVERIFY_SKIP_POSTGRES:-}" = 1 ]; then
        echo "SKIPPED: PostgreSQL 15 is not installed in $PG_BIN and EDGEVERIFY_SKIP_POSTGRES=1"
        exit 77
    fi
    echo "FATAL: PostgreSQL 15 is not installed in $PG_BIN: run scripts/install-deps.sh" \
        "(or set EDGEVERIFY_SKIP_POSTGRES=1 to skip this test explicitly)" >&2
    exit 1
fi
[ -x "$STORE_TESTS" ] || { echo "FATAL: $STORE_TESTS not built (ninja edgeverify-store-postgres-tests)" >&2; exit 1; }

pg_start "$WORK/pg" || { echo "FATAL: the private PostgreSQL cluster did not start" >&2; exit 1; }
echo "private PostgreSQL cluster at $PG_URL"
# Every case creates its own database on this cluster and drops it at the end.
EDGEVERIFY_TEST_POSTGRES=$PG_URL timeout 300 "$STORE_TESTS" "$@"
