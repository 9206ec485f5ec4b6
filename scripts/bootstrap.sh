#!/usr/bin/env bash
# Installs the Debian packages given as arguments when any is missing; quiet and quick when all are there.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v swift >/dev/null 2>&1 || [ -x /opt/swift/usr/bin/swift ] || {
  echo "bootstrap: Swift 6 is required (https://swift.org/install); not found on PATH" >&2; exit 1; }
[ ${#missing[@]} -eq 0 ] && exit 0
echo "bootstrap: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# rabbitmq-server's, redis-server's, postgresql's and mariadb-server's packages start a server on
# install; we start our own where needed (scripts/test-*.sh and the tests), so keep them off.
if printf '%s\n' "${missing[@]}" | grep -qxE 'rabbitmq-server|redis-server|postgresql|mariadb-server' && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
