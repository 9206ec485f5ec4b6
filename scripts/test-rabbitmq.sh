#!/usr/bin/env bash
# A private RabbitMQ for the test suite: its own node name, ports, epmd, cookie and data directory
# under a temp dir, listening on 127.0.0.1 only, so that it never touches a developer's broker.
#
#   scripts/test-rabbitmq.sh start            start a broker; prints `export` lines (URL, state dir)
#   scripts/test-rabbitmq.sh stop [DIR]       stop it (and its epmd, by PID) and delete its files
#   scripts/test-rabbitmq.sh run CMD ARGS...  start, run CMD with the exports set, stop; CMD's status
#   scripts/test-rabbitmq.sh ctl ARGS...      rabbitmqctl against it, e.g. `ctl stop_app`
#
# The state directory comes from the argument, else $PASARELA_TEST_RABBITMQ_DIR. It holds:
#   url       the AMQP URL           env.sh        the export lines
#   tls/      a throw-away CA and server certificate: when openssl is installed the broker also
#             listens for amqps on localhost, exported as PASARELA_TEST_AMQPS_URL
#   ctl       a rabbitmqctl wrapper (tests call `$PASARELA_TEST_RABBITMQ_DIR/ctl stop_app`)
# Typical use from make:  eval "$(scripts/test-rabbitmq.sh start)"; swift test; scripts/test-rabbitmq.sh stop
set -euo pipefail
# shellcheck source=lib/test-server.sh
. "$(dirname "$0")/lib/test-server.sh"

RABBIT_BIN=${RABBITMQ_BIN_DIR:-/usr/lib/rabbitmq/bin}   # not /usr/sbin: that wrapper su's to rabbitmq
log() { echo "test-rabbitmq: $*" >&2; }

require_tools() {
    if [[ ! -x "$RABBIT_BIN/rabbitmq-server" ]] || ! command -v epmd >/dev/null; then
        log "rabbitmq-server is not installed (apt-get install -y rabbitmq-server)"
        exit 1
    fi
}

# Sets the variables the RabbitMQ scripts and the Erlang runtime read for the broker in $1.
load_env() {
    local dir=$1
    # shellcheck source=/dev/null
    source "$dir/vars"
    export HOME="$dir"                       # the Erlang cookie is created and read here
    export RABBITMQ_NODENAME="$NODE"
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT="$AMQP_PORT"
    export RABBITMQ_DIST_PORT="$DIST_PORT"
    export ERL_EPMD_PORT="$EPMD_PORT"
    export ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_MNESIA_BASE="$dir/mnesia"
    export RABBITMQ_LOG_BASE="$dir/log"
    export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
    export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
    export RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
    export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    # No scheduler busy-waiting: on a small machine shared with the tests (or a benchmark's gateway),
    # spinning Erlang schedulers take CPU the other processes need.
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
}

# A CA and a server certificate for localhost in $1 (skipped without openssl).
make_certificates() {
    local tls=$1
    command -v openssl >/dev/null || return 1
    mkdir -p "$tls"
    (
        cd "$tls"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=pasarela-test-ca \
            -keyout ca.key -out ca.pem
        openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr
        printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
            -extfile server.ext -out server.pem
    ) >"$tls/openssl.log" 2>&1
}

ctl() {
    local dir=$1
    shift
    (load_env "$dir" && "$RABBIT_BIN/rabbitmqctl" -q -n "$NODE" "$@")
}

start() {
    require_tools
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/pasarela-rabbitmq.XXXXXX")
    mkdir -p "$dir/mnesia" "$dir/log"
    local amqp_port dist_port epmd_port tls_port
    amqp_port=$(free_port)
    dist_port=$(free_port)
    while [[ "$dist_port" == "$amqp_port" ]]; do dist_port=$(free_port); done
    epmd_port=$(free_port)
    while [[ "$epmd_port" == "$amqp_port" || "$epmd_port" == "$dist_port" ]]; do epmd_port=$(free_port); done
    tls_port=$(free_port)
    while [[ " $amqp_port $dist_port $epmd_port " == *" $tls_port "* ]]; do tls_port=$(free_port); done
    cat >"$dir/vars" <<EOF
NODE=pasarela-test-$$@localhost
AMQP_PORT=$amqp_port
DIST_PORT=$dist_port
EPMD_PORT=$epmd_port
EOF
    : >"$dir/rabbitmq-env.conf"
    echo "[]." >"$dir/enabled_plugins"
    echo "[]." >"$dir/advanced.config"
    cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$amqp_port
loopback_users = none
vm_memory_high_watermark.relative = 0.2
disk_free_limit.absolute = 50MB
EOF
    local tls_url=""
    if make_certificates "$dir/tls"; then
        cat >>"$dir/rabbitmq.conf" <<EOF
listeners.ssl.1 = 127.0.0.1:$tls_port
ssl_options.cacertfile = $dir/tls/ca.pem
ssl_options.certfile = $dir/tls/server.pem
ssl_options.keyfile = $dir/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
EOF
        tls_url="amqps://guest:guest@localhost:$tls_port/%2F?cacertfile=$dir/tls/ca.pem"
    fi
    load_env "$dir"

    epmd -port "$EPMD_PORT" -address 127.0.0.1 >"$dir/log/epmd.log" 2>&1 &
    echo $! >"$dir/epmd.pid"

    if ! "$RABBIT_BIN/rabbitmq-server" -detached >"$dir/log/startup.log" 2>&1; then
        log "rabbitmq-server failed to start; see $dir/log"
        stop "$dir"
        exit 1
    fi
    if ! "$RABBIT_BIN/rabbitmqctl" -q -n "$NODE" wait --timeout 60 "$RABBITMQ_PID_FILE" >"$dir/log/wait.log" 2>&1; then
        log "rabbitmq did not come up within 60 s; last log lines:"
        tail -n 20 "$dir"/log/*.log >&2 || true
        stop "$dir"
        exit 1
    fi

    local url="amqp://guest:guest@127.0.0.1:$AMQP_PORT/%2F"
    echo "$url" >"$dir/url"
    cat >"$dir/ctl" <<EOF
#!/usr/bin/env bash
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")" ctl-dir "$dir" "\$@"
EOF
    chmod +x "$dir/ctl"
    cat >"$dir/env.sh" <<EOF
export PASARELA_TEST_AMQP_URL=$url
export PASARELA_TEST_RABBITMQ_DIR=$dir
EOF
    if [[ -n "$tls_url" ]]; then echo "export PASARELA_TEST_AMQPS_URL='$tls_url'" >>"$dir/env.sh"; fi
    log "broker $NODE on 127.0.0.1:$AMQP_PORT (state in $dir)"
    cat "$dir/env.sh"
}

stop() {
    local dir=${1:-${PASARELA_TEST_RABBITMQ_DIR:-}}
    if [[ -z "$dir" || ! -f "$dir/vars" ]]; then
        log "no broker state directory given (argument or PASARELA_TEST_RABBITMQ_DIR)"
        return 1
    fi
    (
        load_env "$dir"
        if [[ -f "$RABBITMQ_PID_FILE" ]]; then
            local pid
            pid=$(cat "$RABBITMQ_PID_FILE")
            # Bounded: rabbitmqctl waits forever for a node it cannot reach (e.g. its epmd is gone).
            timeout 30 "$RABBIT_BIN/rabbitmqctl" -q -n "$NODE" stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 ||
                { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; } || true
            for _ in $(seq 1 100); do
                [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
        fi
        if [[ -f "$dir/epmd.pid" ]]; then
            kill "$(cat "$dir/epmd.pid")" 2>/dev/null || true
        fi
    )
    if [[ -n "${PASARELA_TEST_RABBITMQ_KEEP:-}" ]]; then
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
run) run_with_server PASARELA_TEST_RABBITMQ_DIR "$@" ;;
ctl) ctl "${PASARELA_TEST_RABBITMQ_DIR:?set PASARELA_TEST_RABBITMQ_DIR}" "$@" ;;
ctl-dir)
    dir=$1
    shift
    ctl "$dir" "$@"
    ;;
*)
    sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
