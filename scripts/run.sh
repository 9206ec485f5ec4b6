#!/usr/bin/env bash
# `make run`: builds and serves gateway.yaml, prints what to try, and stops everything it started on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-gateway.yaml}
SWIFT=${SWIFT:-swift}

$SWIFT build --product pasarela
BIN=$($SWIFT build --show-bin-path)/pasarela
mkdir -p data

"$BIN" validate --config "$CONFIG"
"$BIN" run --config "$CONFIG" &
GATEWAY_PID=$!
trap 'kill -TERM $GATEWAY_PID 2>/dev/null; wait $GATEWAY_PID 2>/dev/null || true' EXIT INT TERM

PROXY=$(grep -E '^\s*proxy_listen:' "$CONFIG" | head -1 | awk '{print $2}')
ADMIN=$(grep -E '^\s*admin_listen:' "$CONFIG" | head -1 | awk '{print $2}')
PROXY=${PROXY:-127.0.0.1:8000}
ADMIN=${ADMIN:-127.0.0.1:8001}
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://$ADMIN/status" && break
  sleep 0.1
done
cat <<MSG

Pasarela is serving $CONFIG
  proxy:  http://$PROXY
  admin:  http://$ADMIN

Try:
  curl -i http://$PROXY/nothing-here          # Kong's 404: no Route matched
  curl -s http://$ADMIN/routes                 # the routing table
  $BIN routes --config $CONFIG                 # the same, in match order
  curl -s -X POST http://$ADMIN/config/reload  # reload after editing $CONFIG (or: kill -HUP $GATEWAY_PID)

Ctrl-C stops it.
MSG
wait $GATEWAY_PID
