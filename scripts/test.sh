#!/usr/bin/env bash
# `make test`: the whole suite. Starts private test servers where the suite needs them (RabbitMQ on
# its own node name, ports and temp dir), runs `swift test`, and stops every server it started.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

cleanup() {
  if [ -n "${RABBIT_STARTED:-}" ]; then scripts/test-rabbitmq.sh stop || true; fi
}
trap cleanup EXIT

if [ -x scripts/test-rabbitmq.sh ] && command -v rabbitmq-server >/dev/null 2>&1; then
  eval "$(scripts/test-rabbitmq.sh start)"
  RABBIT_STARTED=1
fi

$SWIFT build --build-tests
$SWIFT test --skip-build
