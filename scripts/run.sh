#!/usr/bin/env bash
# `make run`: the whole system on its embedded defaults: a RabbitMQ (a private one unless AMQP_URL
# names yours), the four GestorPagos services on a SQLite ledger under ./data, and Pasarela serving
# gateway.yaml in front of them. Prints a walkthrough to paste; Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-gateway.yaml}
SWIFT=${SWIFT:-swift}

$SWIFT build --product pasarela
$SWIFT build --product pagos
BIN=$($SWIFT build --show-bin-path)
mkdir -p data/logs

# Secrets made once and kept in ./data (never committed): the token signing key and the legacy API key.
[ -s data/jwt-secret ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > data/jwt-secret
[ -s data/legacy-api-key ] || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > data/legacy-api-key
export JWT_SECRET=${JWT_SECRET:-$(cat data/jwt-secret)}
export LEGACY_API_KEY=${LEGACY_API_KEY:-$(cat data/legacy-api-key)}
export DATABASE_URL=${DATABASE_URL:-sqlite://data/ledger.sqlite}

PIDS=()
BROKER_DIR=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$BROKER_DIR" ]; then scripts/test-rabbitmq.sh stop "$BROKER_DIR" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${AMQP_URL:-}" ]; then
  rabbit_exports=$(scripts/test-rabbitmq.sh start) # a broker that fails to start stops here
  eval "$rabbit_exports"
  BROKER_DIR=$PASARELA_TEST_RABBITMQ_DIR
  export AMQP_URL=$PASARELA_TEST_AMQP_URL
fi

wait_for() { # URL NAME
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "run: $2 did not start; see data/logs/$2.log" >&2
  exit 1
}

for service in users:5004 payments:5001 reports:5003 notifications:5005; do
  name=${service%%:*}
  port=${service##*:}
  "$BIN/pagos" "$name" --port "$port" > "data/logs/$name.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/health" "$name"
done

"$BIN/pasarela" validate --config "$CONFIG"
"$BIN/pasarela" run --config "$CONFIG" > data/logs/pasarela.log 2>&1 &
PIDS+=($!)
G=http://127.0.0.1:8000
wait_for "$G/" pasarela

cat <<MSG

GestorPagos is running behind Pasarela ($CONFIG)
  gateway  $G         admin  http://127.0.0.1:8001
  users :5004  payments :5001  reports :5003  notifications :5005   logs in data/logs/
  RabbitMQ $AMQP_URL

Walkthrough (paste it):

  G=$G
  U=alice\$RANDOM
  ME=\$(curl -s -X POST \$G/users -H 'Content-Type: application/json' \\
       -d "{\\"username\\":\\"\$U\\",\\"password\\":\\"correct horse\\",\\"name\\":\\"Alice\\"}" | sed -E 's/.*"id":([0-9]+).*/\\1/')
  TOKEN=\$(curl -s -X POST \$G/users/login -H 'Content-Type: application/json' \\
       -d "{\\"username\\":\\"\$U\\",\\"password\\":\\"correct horse\\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  curl -s -X POST \$G/users/\$ME/deposit -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' -d '{"amount": 10000}'; echo
  JOB=\$(curl -s -X POST \$G/users/\$ME/pay -H "Authorization: Bearer \$TOKEN" -H "Idempotency-Key: \$U-payment-1" \\
       -H 'Content-Type: application/json' -d '{"amount": 2500, "to_user_id": 1}' | sed -E 's/.*"job_id":"([^"]+)".*/\1/')
  sleep 1
  curl -s \$G/transactions/\$JOB -H "Authorization: Bearer \$TOKEN"; echo
  curl -s "\$G/notifications?user_id=\$ME" -H "Authorization: Bearer \$TOKEN"; echo
  curl -s \$G/reports/summary -H "Authorization: Bearer \$TOKEN"; echo
  curl -s \$G/usuarios/1; echo                                    # the seed's API: {"nombre":"Willis","saldo":525}
  curl -s -X POST \$G/usuarios/1/pagar -H "apikey: $LEGACY_API_KEY"; echo

Ctrl-C stops everything.
MSG
wait "${PIDS[@]}"
