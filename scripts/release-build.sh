#!/usr/bin/env bash
# The release build of a product (default: pasarela), as it is meant to run in production and as
# the benchmarks measure it: `swift build -c release` with Swift's run-time exclusivity checks off.
#
#   scripts/release-build.sh [PRODUCT]        (make release)
#
# Why the flag: the run-time checks (every access to a class's stored property, a global or an
# escaping closure's capture records itself in a thread-local set) cost the plain proxy ~3 µs of CPU
# per request, about a tenth of all it spends (README, Performance: the bench of both builds). The
# compile-time exclusivity checks are unaffected, and debug builds, which the test suite runs, keep
# the run-time ones. SwiftNIO servers are commonly built this way (the TechEmpower entries of
# Hummingbird and Vapor are). A build with the checks: `swift build -c release --product pasarela`
# (into the same .build: switching between the two rebuilds everything).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${SWIFT:-swift}" build -c release --product "${1:-pasarela}" -Xswiftc -enforce-exclusivity=unchecked
