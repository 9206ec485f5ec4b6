#!/usr/bin/env bash
# Pasarela benchmark: the gateway against its peers doing the same work (route /api by prefix, strip it,
# keep-alive proxy to one nginx upstream), plus the upstream alone. wrk, interleaved rounds, medians.
#
#   bench/run.sh [--skip-build]        (make bench)
#   env: DURATION=10 (s per run)  ROUNDS=3  CONNECTIONS=64  WARMUP=2 (s per target, not counted)
#        BIN=path/to/pasarela (default .build/release/pasarela)  KEEP_WORK=1 (keep the temp dir: logs, wrk output)
#        FLOOR=1: also the floor of a SwiftNIO proxy (bench/nio-floor: a byte relay, and NIO's HTTP codecs)
#        THREADS=nproc: threads of every proxy alike (the gateway's event loops, nginx's workers,
#                       HAProxy's threads, the floor rows' event loops)
#
# Table on stdout and in bench/results/latest.md. Every process it starts is stopped by PID on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
cd "$ROOT"

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-2}
SKIP_BUILD=0
for arg in "$@"; do
    case "$arg" in
        --skip-build) SKIP_BUILD=1 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done
FLOOR=${FLOOR:-0}
THREADS=${THREADS:-$(nproc)}
case "$THREADS" in ''|*[!0-9]*|0) echo "bench: THREADS must be a positive number" >&2; exit 2 ;; esac
CMDLINE="DURATION=$DURATION ROUNDS=$ROUNDS CONNECTIONS=$CONNECTIONS WARMUP=$WARMUP$( [ "$FLOOR" = 1 ] && echo " FLOOR=1" || true)$( [ "$THREADS" != "$(nproc)" ] && echo " THREADS=$THREADS" || true) bench/run.sh${*:+ $*}"

die() { echo "bench: $*" >&2; exit 1; }
for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y wrk nginx-light curl python3)"
done
NGINX=$(command -v nginx)
HAPROXY=$(command -v haproxy || true)

# ---- processes and cleanup --------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pasarela-bench.XXXXXX")
chmod 755 "$WORK"   # nginx workers may run as nobody
PIDS=()
WRK_PID=
cleanup() {
    local pid i
    if [ -n "$WRK_PID" ]; then kill -TERM "$WRK_PID" 2>/dev/null || true; wait "$WRK_PID" 2>/dev/null || true; fi
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for i in $(seq 50); do     # up to 5 s for a graceful stop (nginx masters stop their workers)
        local alive=0
        for pid in "${PIDS[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
        if [ "$alive" = 0 ]; then break; fi
        sleep 0.1
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "bench: kept $WORK (configs, logs, raw wrk output)" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# Pin to a core when taskset works here (it may not in some containers); otherwise run unpinned.
pin() { # pin CORE -> prints the prefix to use
    if command -v taskset >/dev/null && taskset -c "$1" true 2>/dev/null; then echo "taskset -c $1"; fi
}
PIN_UP=$(pin 1); PIN_WRK=$(pin 0)

fill() { # fill TEMPLATE OUT PORT [extra sed]
    sed -e "s|@PREFIX@|$(dirname "$2")|g" -e "s|@UP_PORT@|$UP_PORT|g" -e "s|@PORT@|$3|g" -e "s|@THREADS@|$THREADS|g" "$1" > "$2"
}
# wait_http NAME URL PID LOG: until URL answers 200 (30 s), or fail with the tail of LOG
wait_http() {
    local name=$1 url=$2 pid=$3 log=$4 code i
    for i in $(seq 300); do
        code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" || true)
        [ "$code" = 200 ] && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench: $name exited before answering at $url" >&2; tail -n 30 "$log" >&2 || true; exit 1
        fi
        sleep 0.1
    done
    echo "bench: $name did not answer 200 at $url within 30 s (last status: ${code:-none})" >&2
    tail -n 30 "$log" >&2 || true
    exit 1
}

# ---- 1. build ----------------------------------------------------------------------------------------
BIN=${BIN:-$ROOT/.build/release/pasarela}
if [ "$SKIP_BUILD" = 0 ]; then
    echo "bench: scripts/release-build.sh pasarela (swift build -c release, run-time exclusivity checks off)" >&2
    scripts/release-build.sh pasarela >&2
fi
[ -x "$BIN" ] || die "no gateway binary at $BIN (run without --skip-build)"
FLOOR_BIN=$BENCH/nio-floor/.build/release/nio-floor
if [ "$FLOOR" = 1 ]; then
    if [ "$SKIP_BUILD" = 0 ]; then
        # Built as the gateway is (scripts/release-build.sh): run-time exclusivity checks off.
        echo "bench: swift build -c release (bench/nio-floor)" >&2
        swift build -c release --package-path "$BENCH/nio-floor" -Xswiftc -enforce-exclusivity=unchecked >&2
    fi
    [ -x "$FLOOR_BIN" ] || die "no nio-floor binary at $FLOOR_BIN (run without --skip-build)"
fi

# ---- 2. upstream: nginx returning 200 "ok\n" -----------------------------------------------------------
UP_PORT=$(free_port)
mkdir -p "$WORK/upstream"
fill "$BENCH/nginx-upstream.conf.in" "$WORK/upstream/nginx.conf" "$UP_PORT"
"$NGINX" -t -q -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" -e "$WORK/upstream/error.log" \
    || die "upstream nginx config rejected"
$PIN_UP "$NGINX" -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" -e "$WORK/upstream/error.log" \
    >"$WORK/upstream/stdout.log" 2>&1 &
PIDS+=($!)
UP_PID=$!
wait_http "upstream nginx" "http://127.0.0.1:$UP_PORT/" "$!" "$WORK/upstream/error.log"

# ---- 3. the gateway ------------------------------------------------------------------------------------
GW_PORT=$(free_port)
mkdir -p "$WORK/gateway"
fill "$BENCH/gateway.yaml.in" "$WORK/gateway/gateway.yaml" "$GW_PORT"
# The jwt rows: one consumer with an HS256 secret and an RS256 key (openssl makes the key pair).
JWT_ROWS=0
if command -v openssl >/dev/null; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/gateway/rsa.pem" 2>/dev/null \
        && openssl pkey -in "$WORK/gateway/rsa.pem" -pubout -out "$WORK/gateway/rsa.pub" 2>/dev/null && JWT_ROWS=1
fi
if [ "$JWT_ROWS" = 1 ]; then
    {
        echo "consumers:"
        echo "  - username: bench"
        echo "    jwt_secrets:"
        echo "      - {key: bench-hs256, algorithm: HS256, secret: bench-secret-of-at-least-32-bytes!!}"
        echo "      - key: bench-rs256"
        echo "        algorithm: RS256"
        echo "        rsa_public_key: |"
        sed 's/^/          /' "$WORK/gateway/rsa.pub"
    } >> "$WORK/gateway/gateway.yaml"
else
    echo "bench: openssl not found; skipping the jwt rows" >&2
fi
"$BIN" validate --config "$WORK/gateway/gateway.yaml" >&2 || die "pasarela validate rejected the bench config"
PASARELA_LOG_LEVEL=${PASARELA_LOG_LEVEL:-warning} PASARELA_EVENT_LOOPS=$THREADS \
    "$BIN" run --config "$WORK/gateway/gateway.yaml" >"$WORK/gateway/gateway.log" 2>&1 &
PIDS+=($!)
GW_PID=$!
wait_http "pasarela" "http://127.0.0.1:$GW_PORT/api/" "$!" "$WORK/gateway/gateway.log"

# CPUS[i]: the process whose CPU time a target's requests cost (an nginx master stands for its workers).
NAMES=(pasarela); URLS=("http://127.0.0.1:$GW_PORT/api/"); HDRS=(""); CPUS=("$GW_PID")
if [ "$JWT_ROWS" = 1 ]; then
    # Tokens minted by `pasarela token` (valid a day); each request verifies one signature.
    HS_TOKEN=$("$BIN" token --config "$WORK/gateway/gateway.yaml" --consumer bench --key bench-hs256 --ttl 86400) \
        || die "pasarela token failed (HS256)"
    RS_TOKEN=$("$BIN" token --config "$WORK/gateway/gateway.yaml" --consumer bench --key bench-rs256 --ttl 86400 \
        --private-key "$WORK/gateway/rsa.pem") || die "pasarela token failed (RS256)"
    for alg in hs256 rs256; do
        token=$HS_TOKEN; [ "$alg" = rs256 ] && token=$RS_TOKEN
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' -H "Authorization: Bearer $token" \
            "http://127.0.0.1:$GW_PORT/jwt-$alg/" || true)
        [ "$code" = 200 ] || die "the jwt-$alg route answered ${code:-nothing} to its token"
        NAMES+=("pasarela-jwt-$alg"); URLS+=("http://127.0.0.1:$GW_PORT/jwt-$alg/"); HDRS+=("Authorization: Bearer $token")
        CPUS+=("$GW_PID")
    done
fi

# ---- 4. peers ------------------------------------------------------------------------------------------
NX_PORT=$(free_port)
mkdir -p "$WORK/nginx-proxy"
fill "$BENCH/nginx-proxy.conf.in" "$WORK/nginx-proxy/nginx.conf" "$NX_PORT"
"$NGINX" -p "$WORK/nginx-proxy" -c "$WORK/nginx-proxy/nginx.conf" -e "$WORK/nginx-proxy/error.log" \
    >"$WORK/nginx-proxy/stdout.log" 2>&1 &
PIDS+=($!)
wait_http "nginx proxy" "http://127.0.0.1:$NX_PORT/api/" "$!" "$WORK/nginx-proxy/error.log"
NAMES+=(nginx-proxy); URLS+=("http://127.0.0.1:$NX_PORT/api/"); HDRS+=(""); CPUS+=("$!")

if [ -n "$HAPROXY" ]; then
    HA_PORT=$(free_port)
    mkdir -p "$WORK/haproxy"
    fill "$BENCH/haproxy.cfg.in" "$WORK/haproxy/haproxy.cfg" "$HA_PORT"
    "$HAPROXY" -c -q -f "$WORK/haproxy/haproxy.cfg" || die "haproxy config rejected"
    "$HAPROXY" -db -f "$WORK/haproxy/haproxy.cfg" >"$WORK/haproxy/haproxy.log" 2>&1 &
    PIDS+=($!)
    wait_http "haproxy" "http://127.0.0.1:$HA_PORT/api/" "$!" "$WORK/haproxy/haproxy.log"
    NAMES+=(haproxy); URLS+=("http://127.0.0.1:$HA_PORT/api/"); HDRS+=(""); CPUS+=("$!")
else
    echo "bench: haproxy not installed; skipping that peer" >&2
fi

if [ "$FLOOR" = 1 ]; then
    # Not proxies anyone should run: the least SwiftNIO does per proxied request (bench/nio-floor).
    for mode in relay http; do
        port=$(free_port)
        "$FLOOR_BIN" "$mode" "$port" "$UP_PORT" "$THREADS" >"$WORK/nio-floor-$mode.log" 2>&1 &
        PIDS+=($!)
        wait_http "nio-floor $mode" "http://127.0.0.1:$port/api/" "$!" "$WORK/nio-floor-$mode.log"
        NAMES+=("nio-floor-$mode"); URLS+=("http://127.0.0.1:$port/api/"); HDRS+=(""); CPUS+=("$!")
    done
fi

NAMES+=(upstream-direct); URLS+=("http://127.0.0.1:$UP_PORT/"); HDRS+=(""); CPUS+=("$UP_PID")

WRK_ARGS=(-t1 "-c$CONNECTIONS" "-d${DURATION}s" --latency)
# How busy the machine already is (other work skews absolute figures; ratios suffer less)
BUSY=$(python3 -c '
import time
def s():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(v), v[3] + v[4]
t0, i0 = s(); time.sleep(1); t1, i1 = s()
print(f"{100 * (1 - (i1 - i0) / max(1, t1 - t0)):.0f}%")' 2>/dev/null || echo '?')
HEADER=$(cat <<HDR
# Pasarela bench

- command: \`$CMDLINE\`
- load: \`${PIN_WRK:+$PIN_WRK }wrk ${WRK_ARGS[*]} URL\`, rounds interleaved (${NAMES[*]}), median of $ROUNDS
- machine: nproc $(nproc), kernel $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC'), CPU already busy before the run: $BUSY
- pasarela: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null)" ] && echo ' (+ uncommitted changes)' || true), binary ${BIN#$ROOT/} ($( [ "$SKIP_BUILD" = 0 ] && echo "built by scripts/release-build.sh" || echo "as found: --skip-build")); ${PIN_UP:+upstream pinned: $PIN_UP;} proxies unpinned
- threads per proxy: $THREADS (the gateway's event loops, nginx's workers, HAProxy's threads)
- peers: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')${HAPROXY:+, $("$HAPROXY" -v | head -1 | awk '{print "HAProxy " $3}')}
HDR
)
echo "$HEADER"; echo

# ---- 5. load -------------------------------------------------------------------------------------------
cpu_ticks() { # cpu_ticks PID -> "user system" clock ticks of PID and its children processes (nginx workers)
    local pid total_user=0 total_sys=0 fields
    for pid in "$1" $(pgrep -P "$1" 2>/dev/null); do
        # fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name
        fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12, $13}') || continue
        [ -n "$fields" ] || continue
        total_user=$((total_user + ${fields% *})); total_sys=$((total_sys + ${fields#* }))
    done
    echo "$total_user $total_sys"
}
CLK_TCK=$(getconf CLK_TCK)

run_wrk() { # run_wrk SECONDS URL OUT [HEADER]
    local header=(); [ -n "${4:-}" ] && header=(-H "$4")
    # in the background + wait, so that a signal stops the run at once (cleanup kills it)
    timeout $(( $1 + 30 )) $PIN_WRK wrk -t1 "-c$CONNECTIONS" "-d${1}s" --latency "${header[@]}" "$2" > "$3" 2>&1 &
    WRK_PID=$!
    local rc=0; wait "$WRK_PID" || rc=$?
    WRK_PID=
    return "$rc"
}
if [ "$WARMUP" -gt 0 ]; then
    for i in "${!NAMES[@]}"; do
        echo "bench: warm-up ${NAMES[$i]} (${WARMUP}s)" >&2
        run_wrk "$WARMUP" "${URLS[$i]}" "$WORK/warmup-${NAMES[$i]}.txt" "${HDRS[$i]}" || true
    done
fi
RAW="$WORK/raw.tsv"; : > "$RAW"
for r in $(seq "$ROUNDS"); do
    for i in "${!NAMES[@]}"; do
        name=${NAMES[$i]}; out="$WORK/wrk-$name-$r.txt"
        echo "bench: round $r/$ROUNDS  $name  ${URLS[$i]}" >&2
        cpu_before=$(cpu_ticks "${CPUS[$i]}")
        run_wrk "$DURATION" "${URLS[$i]}" "$out" "${HDRS[$i]}" || { cat "$out" >&2; die "wrk failed against $name"; }
        cpu_after=$(cpu_ticks "${CPUS[$i]}")
        # req/s, p50 and p99 (in ms), non-2xx/3xx responses, socket errors
        awk -v name="$name" -v round="$r" -v before="$cpu_before" -v after="$cpu_after" -v tck="$CLK_TCK" '
            function ms(v) {
                if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
                if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
                if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
                if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
                return v + 0
            }
            /^ +50% /            { p50 = ms($2) }
            /^ +99% /            { p99 = ms($2) }
            /^Requests\/sec:/    { rps = $2 }
            /Non-2xx or 3xx/     { non2xx = $NF }
            /Socket errors:/     { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
            / requests in /      { requests = $1 }
            END { if (rps == "") exit 1
                  split(before, b, " "); split(after, a, " ")
                  # CPU time of the target per request, in microseconds: all of it, and the user part
                  cpu = requests > 0 ? ((a[1] + a[2]) - (b[1] + b[2])) / tck * 1e6 / requests : 0
                  user = requests > 0 ? (a[1] - b[1]) / tck * 1e6 / requests : 0
                  printf "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%.1f\t%.1f\n", name, round, rps, p50, p99, non2xx, sock, cpu, user }
        ' "$out" >> "$RAW" || { cat "$out" >&2; die "could not parse wrk output for $name"; }
        errs=$(grep -E 'Non-2xx|Socket errors' "$out" || true)
        if [ -n "$errs" ]; then echo "bench:   $name round $r: $(echo "$errs" | tr '\n' ';' | tr -s ' ')" >&2; fi
    done
done

# ---- 6. report -----------------------------------------------------------------------------------------
TABLE=$(python3 - "$RAW" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
order, data = [], {}
for name, rnd, rps, p50, p99, non2xx, sock, cpu, user in rows:
    if name not in data:
        order.append(name); data[name] = {"rps": [], "p50": [], "p99": [], "cpu": [], "user": [], "non2xx": 0, "sock": 0}
    d = data[name]
    d["rps"].append(float(rps)); d["p50"].append(float(p50)); d["p99"].append(float(p99))
    d["cpu"].append(float(cpu)); d["user"].append(float(user))
    d["non2xx"] += int(non2xx); d["sock"] += int(sock)
med = {n: {k: statistics.median(data[n][k]) for k in ("rps", "p50", "p99", "cpu", "user")} for n in order}
def ratio(n, ref):
    return f"{med[n]['rps'] / med[ref]['rps']:.2f}" if ref in med and med[ref]["rps"] else "–"
print("| target | req/s | p50 ms | p99 ms | × upstream-direct | × nginx-proxy | CPU µs/req (user) | req/s min–max | non-2xx | socket errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in order:
    m = med[n]
    print(f"| {n} | {m['rps']:.0f} | {m['p50']:.2f} | {m['p99']:.2f} | {ratio(n, 'upstream-direct')} "
          f"| {ratio(n, 'nginx-proxy')} | {m['cpu']:.1f} ({m['user']:.1f}) | {min(data[n]['rps']):.0f}–{max(data[n]['rps']):.0f} "
          f"| {data[n]['non2xx']} | {data[n]['sock']} |")
stalled = sorted({f"{n} round {r}" for n, r, rps, *_ in rows if float(rps) < 1})
if stalled:
    print("bench: no request completed in: " + ", ".join(stalled) + " (machine stalled or target hung; medians are skewed)", file=sys.stderr)
bad = [n for n in order if data[n]["non2xx"] or data[n]["sock"]]
if bad:
    print("bench: non-2xx responses or socket errors (summed over rounds) from: " + ", ".join(bad), file=sys.stderr)
PY
)
mkdir -p "$BENCH/results"
printf '%s\n\n%s\n' "$HEADER" "$TABLE" > "$BENCH/results/latest.md"
echo; echo "$TABLE"
echo >&2; echo "bench: written to bench/results/latest.md" >&2
