#!/usr/bin/env bash
# A private MariaDB for the test suite: a data directory made with mariadb-install-db in a temp dir, a
# server listening on its own port on 127.0.0.1 and on a unix socket inside that dir, so that it never
# touches a developer's server. mariadbd refuses to run as root: as root, the files belong to the
# `mysql` user (Debian's mariadb-server package creates it) and the server runs as that user.
#
#   scripts/test-mariadb.sh start             start a server; prints `export` lines (URL, state dir)
#   scripts/test-mariadb.sh stop [DIR]        stop it (by PID) and delete its files
#   scripts/test-mariadb.sh restart [DIR]     stop it (by PID) and start it again on the same data, port
#                                             and socket (the reconnection tests use it)
#   scripts/test-mariadb.sh run CMD ARGS...   start, run CMD with the exports set, stop; CMD's status
#   scripts/test-mariadb.sh available         exit 0 when the server binaries are installed
#
# The state directory comes from the argument, else $PAGOS_TEST_MYSQL_DIR. Exports:
#   PAGOS_TEST_MYSQL_URL   mysql://pagos:pagos@127.0.0.1:PORT/ (a user with every privilege; no database:
#                          the tests create one each)
#   PAGOS_TEST_MYSQL_DIR   the state directory (data/, mariadbd.log, mysqld.sock, env.sh); under /dev/shm
#                          when it exists and TMPDIR is unset (the suite's DDL is much faster in memory)
# Typical use:  eval "$(scripts/test-mariadb.sh start)"; swift test; scripts/test-mariadb.sh stop
set -euo pipefail
# shellcheck source=lib/test-server.sh
. "$(dirname "$0")/lib/test-server.sh"

log() { echo "test-mariadb: $*" >&2; }

find_bin() {
    local name
    for name in "$@"; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
        for dir in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
            if [[ -x "$dir/$name" ]]; then
                echo "$dir/$name"
                return 0
            fi
        done
    done
    return 1
}

available() {
    find_bin mariadbd mysqld >/dev/null && find_bin mariadb-install-db mysql_install_db >/dev/null &&
        find_bin mariadb mysql >/dev/null
}

# The user the server runs as: `mysql` when we are root, else ourselves.
server_user() {
    if [[ "$(id -u)" -eq 0 ]]; then echo mysql; else whoami; fi
}

# Starts mariadbd on the state directory's data, port and socket; waits until it answers.
launch() {
    local dir=$1 port
    port=$(cat "$dir/port")
    # Test settings: loopback only, own socket, no name lookups, durability traded for speed (the suite's
    # data is thrown away), room for the suite's parallel connections.
    setsid "$(find_bin mariadbd mysqld)" --no-defaults \
        --user="$(server_user)" \
        --datadir="$dir/data" \
        --port="$port" --bind-address=127.0.0.1 \
        --socket="$dir/mysqld.sock" \
        --pid-file="$dir/mariadbd.pid" \
        --log-error="$dir/mariadbd.log" \
        --skip-name-resolve \
        --max-connections=500 \
        --innodb-buffer-pool-size=64M \
        --innodb-flush-log-at-trx-commit=0 \
        --innodb-doublewrite=0 \
        --innodb-flush-method=fsync \
        --skip-log-bin \
        </dev/null >>"$dir/mariadbd.out" 2>&1 &
    echo $! >"$dir/launcher.pid"
    for _ in $(seq 1 600); do
        if [[ -S "$dir/mysqld.sock" && -s "$dir/mariadbd.pid" ]] &&
            "$(find_bin mariadb-admin mysqladmin)" --no-defaults --socket="$dir/mysqld.sock" -u "$(whoami)" \
                ping >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$(cat "$dir/launcher.pid")" 2>/dev/null; then break; fi
        sleep 0.1
    done
    log "mariadbd did not start; last log lines:"
    tail -n 20 "$dir/mariadbd.log" "$dir/mariadbd.out" >&2 2>/dev/null || true
    return 1
}

start() {
    if ! available; then
        log "the MariaDB server is not installed (apt-get install -y mariadb-server)"
        exit 1
    fi
    if [[ "$(id -u)" -eq 0 ]] && ! id mysql >/dev/null 2>&1; then
        log "running as root needs a 'mysql' user to own the data (Debian's mariadb-server package creates it)"
        exit 1
    fi
    local dir port base=${TMPDIR:-/tmp}
    # In memory where possible: every test migrates a database of its own, and InnoDB syncs each DDL
    # statement's files, which on a disk shared with parallel builds takes seconds.
    if [[ -z "${TMPDIR:-}" && -d /dev/shm && -w /dev/shm ]]; then base=/dev/shm; fi
    dir=$(mktemp -d "$base/pagos-mariadb.XXXXXX")
    chmod 755 "$dir"
    port=$(free_port)
    echo "$port" >"$dir/port"
    mkdir "$dir/data"
    if [[ "$(id -u)" -eq 0 ]]; then chown mysql: "$dir" "$dir/data"; fi
    # The OS user running this script logs in as a database user of the same name through the socket
    # (unix_socket authentication), to create the test user.
    if ! "$(find_bin mariadb-install-db mysql_install_db)" --no-defaults --user="$(server_user)" \
        --datadir="$dir/data" --auth-root-authentication-method=socket --auth-root-socket-user="$(whoami)" \
        --skip-test-db >"$dir/install-db.log" 2>&1; then
        log "mariadb-install-db failed; last lines of $dir/install-db.log:"
        tail -n 20 "$dir/install-db.log" >&2 || true
        rm -rf "$dir"
        exit 1
    fi
    if ! launch "$dir"; then
        stop "$dir"
        exit 1
    fi
    if ! "$(find_bin mariadb mysql)" --no-defaults --socket="$dir/mysqld.sock" -u "$(whoami)" -e \
        "CREATE USER 'pagos'@'127.0.0.1' IDENTIFIED BY 'pagos';
         CREATE USER 'pagos'@'localhost' IDENTIFIED BY 'pagos';
         GRANT ALL PRIVILEGES ON *.* TO 'pagos'@'127.0.0.1';
         GRANT ALL PRIVILEGES ON *.* TO 'pagos'@'localhost';" 2>"$dir/setup.log"; then
        log "creating the test user failed:"
        cat "$dir/setup.log" >&2
        stop "$dir"
        exit 1
    fi
    local url="mysql://pagos:pagos@127.0.0.1:$port/"
    cat >"$dir/env.sh" <<ENV
export PAGOS_TEST_MYSQL_URL='$url'
export PAGOS_TEST_MYSQL_DIR=$dir
ENV
    log "mariadbd (pid $(cat "$dir/mariadbd.pid")) on 127.0.0.1:$port (state in $dir)"
    cat "$dir/env.sh"
}

# Stops the server by PID (SIGTERM: a clean shutdown; SIGKILL after 20 s).
halt() {
    local dir=$1 pid=""
    if [[ -s "$dir/mariadbd.pid" ]]; then
        pid=$(cat "$dir/mariadbd.pid")
    elif [[ -s "$dir/launcher.pid" ]]; then
        pid=$(cat "$dir/launcher.pid")
    fi
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 200); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/mariadbd.pid"
}

state_dir() {
    local dir=${1:-${PAGOS_TEST_MYSQL_DIR:-}}
    if [[ -z "$dir" || ! -d "$dir" || ! -f "$dir/port" ]]; then
        log "no server state directory given (argument or PAGOS_TEST_MYSQL_DIR)"
        return 1
    fi
    echo "$dir"
}

stop() {
    local dir
    dir=$(state_dir "${1:-}") || return 1
    halt "$dir"
    if [[ -n "${PAGOS_TEST_MYSQL_KEEP:-}" ]]; then
        log "stopped; files kept in $dir"
    else
        rm -rf "$dir"
        log "stopped"
    fi
}

restart() {
    local dir
    dir=$(state_dir "${1:-}") || return 1
    halt "$dir"
    launch "$dir"
    log "restarted (pid $(cat "$dir/mariadbd.pid"))"
}

command=${1:-}
shift || true
case "$command" in
start) start ;;
stop) stop "$@" ;;
restart) restart "$@" ;;
run) run_with_server PAGOS_TEST_MYSQL_DIR "$@" ;;
available) available ;;
*)
    sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
