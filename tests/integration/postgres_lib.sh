# A private PostgreSQL 15 cluster for one test (sourced by tests/integration/test_store_*.sh and
# usable by any later PostgreSQL test). initdb and pg_ctl run as the postgres user when the test
# runs as root (PostgreSQL refuses to run as root), as the caller otherwise; trust authentication;
# listening on 127.0.0.1 only, on a free port, with its socket and data in the test's own
# directory. ../shared/ENVIRONMENT.md has the recipe this follows.
#
#   pg_available            0 when the PostgreSQL 15 server binaries are installed
#   pg_start DIR            initdb + start; sets PG_URL=postgresql://postgres@127.0.0.1:<port>
#   pg_stop                 stops the cluster pg_start started (call it from the EXIT trap)

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DATA=""
PG_URL=""

pg_available() { [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/postgres" ]; }

_pg_run() {  # _pg_run COMMAND...: as postgres when root
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

_pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {  # pg_start DIR
    local dir=$1 port attempt
    mkdir -p "$dir/sock"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
    _pg_run "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; return 1; }
    PG_DATA=$dir/data
    for attempt in 1 2 3; do  # a free port can be taken between the probe and the start
        port=$(_pg_free_port)
        if _pg_run "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock" start >/dev/null; then
            PG_URL="postgresql://postgres@127.0.0.1:$port"
            return 0
        fi
    done
    cat "$dir/server.log" >&2
    return 1
}

pg_stop() {
    [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ] || return 0
    local pid
    pid=$(head -n 1 "$PG_DATA/postmaster.pid")
    _pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    # The postmaster of this cluster only, by its PID, if the fast stop did not end it.
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -QUIT "$pid" 2>/dev/null || true; fi
    PG_DATA=""
}
