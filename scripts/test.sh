#!/usr/bin/env bash
# The whole test suite: builds, starts private test servers (RabbitMQ on its own node name, ports and
# temp dir), runs `swift test`, and stops every server it started, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

cleanup() {
  if [ -n "${RABBIT_STARTED:-}" ]; then scripts/test-rabbitmq.sh stop || true; fi
}
trap cleanup EXIT

if [ -x scripts/test-rabbitmq.sh ] && command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ]; then
  if [ -x scripts/test-rabbitmq.sh ]; then
    eval "$(scripts/test-rabbitmq.sh start)"
    RABBIT_STARTED=1
  fi
fi

$SWIFT build --build-tests
$SWIFT test --skip-build --parallel --num-workers 2 2>&1 | tee .build/test-output.log
