#!/usr/bin/env bash
# A private PostgreSQL for the test suite: a cluster made with initdb in a temp dir, listening on its own
# port on 127.0.0.1 and on a unix socket inside that dir, so that it never touches a developer's server.
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user (runuser).
#
#   scripts/test-postgres.sh start            start a server; prints `export` lines (URL, state dir)
#   scripts/test-postgres.sh stop [DIR]       stop it (by PID) and delete its files
#   scripts/test-postgres.sh run CMD ARGS...  start, run CMD with the exports set, stop; CMD's status
#   scripts/test-postgres.sh available        exit 0 when the server binaries are installed
#
# The state directory comes from the argument, else $PAGOS_TEST_POSTGRES_DIR. Exports:
#   PAGOS_TEST_POSTGRES_URL   postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable (trust auth)
#   PAGOS_TEST_POSTGRES_DIR   the state directory (data/, postgres.log, env.sh)
# Typical use:  eval "$(scripts/test-postgres.sh start)"; swift test; scripts/test-postgres.sh stop
set -euo pipefail
# shellcheck source=lib/test-server.sh
. "$(dirname "$0")/lib/test-server.sh"

log() { echo "test-postgres: $*" >&2; }

# The newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin).
find_bin() {
    if [[ -n "${POSTGRES_BIN_DIR:-}" ]]; then
        echo "$POSTGRES_BIN_DIR"
        return 0
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -n "$dir" ]]; then
        echo "$dir"
        return 0
    fi
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

available() {
    local bin
    bin=$(find_bin) || return 1
    [[ -x "$bin/initdb" && -x "$bin/postgres" && -x "$bin/pg_ctl" ]]
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    if ! available; then
        log "the PostgreSQL server is not installed (apt-get install -y postgresql)"
        exit 1
    fi
    if [[ "$(id -u)" -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        log "running as root needs a 'postgres' user to own the cluster (Debian's postgresql package creates it)"
        exit 1
    fi
    local bin dir port
    bin=$(find_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/pagos-postgres.XXXXXX")
    chmod 755 "$dir"
    if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$dir"; fi
    port=$(free_port)
    echo "$port" >"$dir/port"
    if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
        log "initdb failed; last lines of $dir/initdb.log:"
        tail -n 20 "$dir/initdb.log" >&2 || true
        rm -rf "$dir"
        exit 1
    fi
    # Test settings: loopback only, own socket dir, no fsync (the suite's data is thrown away), room for
    # the suite's parallel connections.
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
full_page_writes = off
CONF
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >"$dir/pg_ctl.log" 2>&1; then
        log "postgres did not start; last log lines:"
        tail -n 20 "$dir/postgres.log" "$dir/pg_ctl.log" >&2 || true
        stop "$dir"
        exit 1
    fi
    head -n 1 "$dir/data/postmaster.pid" >"$dir/postgres.pid"
    local url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    cat >"$dir/env.sh" <<ENV
export PAGOS_TEST_POSTGRES_URL='$url'
export PAGOS_TEST_POSTGRES_DIR=$dir
ENV
    log "postgres (pid $(cat "$dir/postgres.pid")) on 127.0.0.1:$port (state in $dir)"
    cat "$dir/env.sh"
}

stop() {
    local dir=${1:-${PAGOS_TEST_POSTGRES_DIR:-}}
    if [[ -z "$dir" || ! -d "$dir" || ! -f "$dir/port" ]]; then
        log "no server state directory given (argument or PAGOS_TEST_POSTGRES_DIR)"
        return 1
    fi
    local pid=""
    if [[ -f "$dir/postgres.pid" ]]; then
        pid=$(cat "$dir/postgres.pid")
    elif [[ -f "$dir/data/postmaster.pid" ]]; then
        pid=$(head -n 1 "$dir/data/postmaster.pid")
    fi
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -INT "$pid" 2>/dev/null || true # "fast" shutdown: abort sessions, stop cleanly
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    if [[ -n "${PAGOS_TEST_POSTGRES_KEEP:-}" ]]; then
        log "stopped; files kept in $dir"
    else
        rm -rf "$dir"
        log "stopped"
    fi
}

command=${1:-}
shift || true
case "$command" in
start) start ;;
stop) stop "$@" ;;
run) run_with_server PAGOS_TEST_POSTGRES_DIR "$@" ;;
available) available ;;
*)
    sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
