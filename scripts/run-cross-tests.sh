#!/usr/bin/env bash
# Builds the test suite for an ARM board and runs it under QEMU user mode (docs/cross-compiling.md):
# unit tests, conformance vectors and the integration scripts (native tools, the ARM edgeverify
# through its emulator wrapper). Called by `make test-arm64` / `make test-armhf` and by CI.
# Usage: scripts/run-cross-tests.sh arm64|armhf [build|test|all]   (default all)
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:?usage: run-cross-tests.sh arm64|armhf [build|test|all]}
step=${2:-all}
case "$arch" in
  arm64) preset=rpi4-arm64 ;;
  armhf) preset=beaglebone-armhf ;;
  *) echo "run-cross-tests: unknown architecture '$arch' (expected arm64 or armhf)" >&2; exit 2 ;;
esac
JOBS=${JOBS:-$(nproc)}

if [ "$step" = build ] || [ "$step" = all ]; then
  cmake --preset "$preset" -DEDGEVERIFY_WERROR=ON >/dev/null
  cmake --build --preset "$preset" -j "$JOBS"
fi
if [ "$step" = test ] || [ "$step" = all ]; then
  # Scripts labelled native-only drive native daemons through a native edgeverify (the agent
  # re-executes itself, which qemu-user cannot follow without binfmt): they run in the native stage.
  ctest --preset "$preset" -j "$JOBS" --no-tests=error -LE native-only
fi
