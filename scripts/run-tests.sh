#!/usr/bin/env bash
# The whole test suite, stage by stage, each under a printed time budget (enforced with
# timeout) so that CI stays well inside its 90 minutes on 2 cores. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
JOBS=${JOBS:-$(nproc)}

# stage NAME BUDGET_SECONDS COMMAND...
total_started=$(date +%s)
CI_LIMIT=${CI_LIMIT:-5400}
stage() {
    local name=$1 budget=$2
    shift 2
    # The budgets add up to more than the CI limit; no stage may run past it (60 s kept to report).
    local left=$(( CI_LIMIT - 60 - ($(date +%s) - total_started) )) note=
    if [ "$budget" -gt "$left" ]; then
        note=" (cut from ${budget}s: what is left of the CI limit)"
        budget=$(( left > 1 ? left : 1 ))
    fi
    printf '\n=== stage %-24s budget %4ss%s ===\n' "$name" "$budget" "$note"
    local started rc=0
    started=$(date +%s)
    # Through bash so that the helper functions below (exported) can be stages too. Not
    # --foreground: timeout then runs the stage in its own process group and signals all of it,
    # so an over-budget build stops its compilers too (with --foreground they ran on, orphaned).
    timeout --kill-after=30 "$budget" bash -c '"$@"' stage "$@" </dev/null || rc=$?
    local took=$(( $(date +%s) - started ))
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then  # TERM, or KILL after --kill-after
        printf '=== stage %-24s OVER BUDGET: stopped after %ss (budget %ss) ===\n' "$name" "$took" "$budget"
        exit 1
    fi
    printf '=== stage %-24s %s in %ss of %ss ===\n' "$name" "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)")" "$took" "$budget"
    [ "$rc" -eq 0 ] || exit "$rc"
}

configure_and_build() {
    local dir=$1
    shift
    cmake -S . -B "$dir" -G Ninja -DEDGEVERIFY_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS"
}

ctest_label() {
    local dir=$1 label=$2
    ctest --test-dir "$dir" -L "$label" -j "$JOBS" --output-on-failure --no-tests=error
}

export JOBS
export -f configure_and_build ctest_label

# A full run takes far less than its budgets (docs/testing.md); stage() never lets one run past
# the CI limit (5400 s).
stage "dependencies" 480 scripts/install-deps.sh all
stage "build (Release, -Werror)" 1200 configure_and_build "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
stage "unit tests" 150 ctest_label "$BUILD_DIR" unit
if [ -f ../shared/vectors/oci-image-layouts/cases.json ]; then
    stage "conformance vectors" 90 ctest_label "$BUILD_DIR" conformance
    sanitized_labels='unit|conformance'
else
    printf '\n=== stage %-24s not run: ../shared/vectors is absent ===\n' "conformance vectors"
    sanitized_labels='unit'
fi
stage "integration (real tools)" 840 ctest_label "$BUILD_DIR" integration
# The sanitizer build is clang's, with libFuzzer coverage: the fuzz targets of tests/fuzz come
# from it (no extra build), and each fuzzes for a short fixed time (docs/testing.md "Fuzzing").
stage "build (ASan+UBSan, clang)" 1500 configure_and_build "$ASAN_BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DEDGEVERIFY_SANITIZE=ON -DEDGEVERIFY_FUZZ=ON
stage "unit + conformance + fuzz (ASan)" 460 ctest --test-dir "$ASAN_BUILD_DIR" -L "$sanitized_labels|fuzz" -j "$JOBS" --output-on-failure --no-tests=error

# The suite cross-built for arm64 and run under QEMU, as `make test-arm64` (docs/cross-compiling.md):
# Debian's cross compiler and multiarch arm64 libraries; ctest runs the ARM binaries through
# qemu-aarch64-static (integration scripts labelled native-only ran in the native stage above).
stage "arm64 dependencies" 240 scripts/install-cross-deps.sh arm64
stage "arm64 build (-Werror)" 1200 scripts/run-cross-tests.sh arm64 build
stage "arm64 tests (QEMU)" 900 scripts/run-cross-tests.sh arm64 test

printf '\nall stages passed in %ss (CI limit %ss)\n' "$(( $(date +%s) - total_started ))" "$CI_LIMIT"
