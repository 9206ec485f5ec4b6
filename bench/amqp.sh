#!/usr/bin/env bash
# HTTP → AMQP: confirmed async jobs per second through the gateway (wrk POSTs to an `amqp` route,
# 202 only after the broker's confirm) next to a native publisher-confirm loop (100 in flight,
# persistent messages) against the same private broker, in the same run. Both ask the broker for the
# same work: the native loop publishes to the gateway's exchange and queue, `mandatory`, with a job's
# properties and a body the size of the gateway's envelope. Rounds interleaved, queue purged before
# each, medians.
#
#   bench/amqp.sh [--skip-build]      DURATION=10 CONNECTIONS=100 MESSAGES=match ROUNDS=3
#
# MESSAGES=match (the default): in each round the native loop publishes as many messages as the gateway
# answered in its run just before (to a multiple of 100), so that both leave the broker's queue equally
# long. With a fixed count smaller than the gateway's, the native loop asked the broker for less work
# than the gateway's round did, against a shorter queue. A number fixes the count instead.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-100}   # as many in flight as the native loop
MESSAGES=${MESSAGES:-match}
ROUNDS=${ROUNDS:-3}
if [ "${1:-}" != "--skip-build" ]; then
  scripts/release-build.sh pasarela
  swift build --build-tests
fi
BIN=${BIN:-.build/release/pasarela}   # another build: BIN=path bench/amqp.sh --skip-build
TESTS=$(swift build --show-bin-path)/PasarelaPackageTests.xctest
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${PASARELA_TEST_RABBITMQ_DIR:-}" ] && scripts/test-rabbitmq.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

eval "$(scripts/test-rabbitmq.sh start)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat > "$WORK/gateway.yaml" <<YAML
_format_version: "3.0"
pasarela: {proxy_listen: 127.0.0.1:$PORT, admin_listen: "off"}
services:
  - name: jobs
    url: $PASARELA_TEST_AMQP_URL
    amqp: {exchange: bench, routing_key: bench.jobs, mode: async, declare: true}
    routes: [{paths: [/jobs], methods: [POST]}]
YAML
"$BIN" validate --config "$WORK/gateway.yaml" >/dev/null
PASARELA_LOG_LEVEL=warning "$BIN" run --config "$WORK/gateway.yaml" 2>"$WORK/gateway.log" & PIDS+=($!)
GW_PID=$!
BROKER_PID=$(cat "$PASARELA_TEST_RABBITMQ_DIR/rabbitmq.pid" 2>/dev/null || true)
CLK_TCK=$(getconf CLK_TCK)
# CPU clock ticks (user + system, all threads) a process has used so far; 0 when unknown.
ticks() { if [ -n "$1" ] && [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; else echo 0; fi; }
per_item() { python3 -c "print(f'{($2 - $1) / $CLK_TCK * 1e6 / max(1, $3):.1f}')"; }  # per_item BEFORE AFTER COUNT -> µs
cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"amount":1250,"to_user_id":2,"description":"bench"}'
wrk.headers["Content-Type"] = "application/json"
LUA
for _ in $(seq 1 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$PORT/jobs" || true)
  [ "$code" = "202" ] && break
  sleep 0.1
done
[ "$code" = "202" ] || { echo "gateway never answered 202 (last: $code)"; tail -20 "$WORK/gateway.log"; exit 1; }

# The gateway's queue (declare: true binds a durable queue named after the routing key) and the
# size of one envelope, from the job the readiness check above left in it.
QUEUE=bench.jobs
ctl() { scripts/test-rabbitmq.sh ctl "$@"; }
BODY_BYTES=$(ctl list_queues -q name messages message_bytes 2>/dev/null | awk -v q="$QUEUE" '$1 == q && $2 > 0 {print int($3 / $2)}')
[ -n "$BODY_BYTES" ] || { echo "could not read the envelope size from queue $QUEUE"; ctl list_queues name messages message_bytes; exit 1; }

echo "gateway: wrk -t1 -c$CONNECTIONS -d${DURATION}s POST /jobs (202 after confirm, persistent)"
echo "native:  $( [ "$MESSAGES" = match ] && echo "as many" || echo "$MESSAGES") persistent publishes of $BODY_BYTES bytes to the same exchange, 100 confirms in flight (AMQP library, debug test build)"
GATEWAY_RUNS=(); NATIVE_RUNS=(); RATIOS=(); P99S=(); NON2XX=0; GW_CPU=(); BROKER_CPU_GW=(); BROKER_CPU_NATIVE=()
for round in $(seq 1 "$ROUNDS"); do
  ctl purge_queue "$QUEUE" >/dev/null
  gw_before=$(ticks "$GW_PID"); broker_before=$(ticks "$BROKER_PID")
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT/jobs" > "$WORK/wrk.out"
  gw_after=$(ticks "$GW_PID"); broker_after=$(ticks "$BROKER_PID")
  jobs=$(awk '/ requests in / {print $1}' "$WORK/wrk.out")
  GW_CPU+=("$(per_item "$gw_before" "$gw_after" "${jobs:-0}")")
  BROKER_CPU_GW+=("$(per_item "$broker_before" "$broker_after" "${jobs:-0}")")
  GATEWAY_RUNS+=("$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.out")")
  P99S+=("$(awk '/ 99%/ {print $2}' "$WORK/wrk.out")")
  NON2XX=$((NON2XX + $(awk '/Non-2xx/ {print $5}' "$WORK/wrk.out" | grep . || echo 0)))
  ctl purge_queue "$QUEUE" >/dev/null
  broker_before=$(ticks "$BROKER_PID")
  count=$MESSAGES
  if [ "$count" = match ]; then count=$(( ${jobs:-0} / 100 * 100 )); [ "$count" -ge 1000 ] || count=1000; fi
  PASARELA_AMQP_THROUGHPUT=$count PASARELA_AMQP_THROUGHPUT_MODE=persistent \
    PASARELA_AMQP_THROUGHPUT_EXCHANGE=bench PASARELA_AMQP_THROUGHPUT_ROUTING_KEY=bench.jobs \
    PASARELA_AMQP_THROUGHPUT_BODY_BYTES=$BODY_BYTES \
    "$TESTS" --testing-library swift-testing --filter 'confirmedPublishesPerSecond' > "$WORK/native.out" 2>&1 || true
  broker_after=$(ticks "$BROKER_PID")
  BROKER_CPU_NATIVE+=("$(per_item "$broker_before" "$broker_after" "$count")")
  native=$(grep -o 'persistent .* = [0-9]* msg/s' "$WORK/native.out" | grep -o '= [0-9]*' | tr -d '= ' | head -1)
  [ -n "$native" ] || { echo "native loop produced no figure:"; tail -20 "$WORK/native.out"; exit 1; }
  NATIVE_RUNS+=("$native")
  RATIOS+=("$(python3 -c "print(f'{${GATEWAY_RUNS[-1]} / $native:.2f}')")")
  echo "round $round: gateway ${GATEWAY_RUNS[-1]} jobs/s ($jobs answered 202), native $native msg/s ($count messages), ratio ${RATIOS[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
GATEWAY=$(median "${GATEWAY_RUNS[@]}")
NATIVE=$(median "${NATIVE_RUNS[@]}")
P99=$(printf '%s\n' "${P99S[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')

RATIO=$(python3 -c "print(f'{$GATEWAY / $NATIVE:.2f}')")
# Each round's two runs are next to each other in time, so the median of the per-round ratios is
# less sensitive than the ratio of medians to the broker's speed drifting during the run.
ROUND_RATIO=$(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
cat <<TABLE

| target | jobs/s (median of $ROUNDS) | p99 | non-2xx |
|---|---:|---:|---:|
| gateway HTTP → AMQP (async, 202 after confirm) | $GATEWAY | $P99 | $NON2XX |
| native publisher-confirm loop, same exchange and message size | $NATIVE | - | - |

gateway / native = $RATIO (ratio of the medians); median of the per-round ratios = $ROUND_RATIO
CPU per job (user + system, medians): gateway $(median "${GW_CPU[@]}") µs; broker $(median "${BROKER_CPU_GW[@]}") µs in the gateway's rounds, $(median "${BROKER_CPU_NATIVE[@]}") µs in the native loop's
(per round: ${RATIOS[*]}; target: 0.8)
TABLE
