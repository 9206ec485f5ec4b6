# Shared by scripts/test-{rabbitmq,postgres,mariadb}.sh (sourced, not run): what every private test
# server needs the same way. The sourcing script defines `log`, `start` and `stop`.

# A TCP port on 127.0.0.1 that nothing listens on (checked, not reserved: good enough for tests), from
# 20000-32767: above the ports the Swift tests pick (10000-19999) and below the kernel's ephemeral range
# (32768-60999), where a client socket's local port would make a later bind fail.
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 12768))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    log "no free port found"
    return 1
}

# run_with_server DIR_VARIABLE CMD ARGS...: starts a server, runs CMD with its exports set, and stops
# the server afterwards (also when CMD fails or a signal arrives); returns CMD's status.
# DIR_VARIABLE names the exported variable that holds the server's state directory.
run_with_server() {
    local dir_variable=$1 exports status=0
    shift
    exports=$(start)
    eval "$exports"
    RUN_DIR=${!dir_variable} # global: the EXIT trap runs after this function returns
    trap 'stop "$RUN_DIR"' EXIT
    trap 'exit 130' INT TERM
    "$@" || status=$?
    return "$status"
}
