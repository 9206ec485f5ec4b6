#!/usr/bin/env bash
# `make test`: the whole suite. Starts private test servers where the suite needs them (RabbitMQ on
# its own node name, ports and temp dir; PostgreSQL and MariaDB on their own ports and temp dirs; Redis
# is started by the tests themselves), runs `swift test`, and stops every server it started.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

cleanup() {
  if [ -n "${RABBIT_STARTED:-}" ]; then scripts/test-rabbitmq.sh stop || true; fi
  if [ -n "${POSTGRES_STARTED:-}" ]; then scripts/test-postgres.sh stop || true; fi
  if [ -n "${MARIADB_STARTED:-}" ]; then scripts/test-mariadb.sh stop || true; fi
}
trap cleanup EXIT

if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || command -v rabbitmq-server >/dev/null 2>&1; then
  rabbit_exports=$(scripts/test-rabbitmq.sh start) # a broker that fails to start fails the run
  eval "$rabbit_exports"
  RABBIT_STARTED=1
elif [ "${CI:-}" = "true" ]; then
  # CI must not pass by skipping the broker tests.
  echo "test: rabbitmq-server is not installed; 'make bootstrap' installs it" >&2
  exit 1
else
  echo "test: rabbitmq-server is not installed: the broker tests will be skipped" >&2
fi

if scripts/test-postgres.sh available; then
  postgres_exports=$(scripts/test-postgres.sh start) # a server that fails to start fails the run
  eval "$postgres_exports"
  POSTGRES_STARTED=1
  export PAGOS_TEST_POSTGRES=1 # the ledger suite fails, rather than skips, without the server
elif [ "${CI:-}" = "true" ]; then
  echo "test: the PostgreSQL server is not installed; 'make bootstrap' installs it" >&2
  exit 1
else
  echo "test: the PostgreSQL server is not installed: the ledger tests run on SQLite only" >&2
fi

if scripts/test-mariadb.sh available; then
  mariadb_exports=$(scripts/test-mariadb.sh start) # a server that fails to start fails the run
  eval "$mariadb_exports"
  MARIADB_STARTED=1
  export PAGOS_TEST_MYSQL=1 # the ledger suite fails, rather than skips, without the server
elif [ "${CI:-}" = "true" ]; then
  echo "test: the MariaDB server is not installed; 'make bootstrap' installs it" >&2
  exit 1
else
  echo "test: the MariaDB server is not installed: the ledger tests skip MySQL/MariaDB" >&2
fi

# Redis: the rate-limiting and idempotency tests start their own redis-server (own port, temp dir,
# stopped by PID); here we only make sure it is there.
if REDIS_SERVER=$(command -v redis-server 2>/dev/null) || { [ -x /usr/bin/redis-server ] && REDIS_SERVER=/usr/bin/redis-server; }; then
  export PASARELA_TEST_REDIS_SERVER="$REDIS_SERVER"
elif [ "${CI:-}" = "true" ]; then
  echo "test: redis-server is not installed; 'make bootstrap' installs it" >&2
  exit 1
else
  echo "test: redis-server is not installed: the Redis tests will be skipped" >&2
fi

$SWIFT build --build-tests
# Suites that stop and start a shared server (named *Reconnection* or *BrokerRestart*: the broker, the
# MariaDB server) run on their own afterwards, so that they never pull a server away from suites
# running in parallel; and the two that restart the broker (AMQP's reconnection suite, the gateway's
# BrokerRestartTests) one after the other, so that neither stops it under the other.
DISRUPTIVE='Reconnection|BrokerRestart'
$SWIFT test --skip-build --skip "$DISRUPTIVE" "$@"
$SWIFT test --skip-build --filter 'Reconnection' "$@"
$SWIFT test --skip-build --filter 'BrokerRestart' "$@"
