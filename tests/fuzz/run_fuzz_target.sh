#!/usr/bin/env bash
# Runs one libFuzzer target for FUZZ_SECONDS (default: SECONDS, from CMake) on a fresh, empty corpus directory
# followed by its read-only seed folders: libFuzzer writes new inputs only into the first
# directory, so the seeds (tests/fuzz/corpus/<name>, ../shared/vectors/...) are never written.
# A crash, leak, timeout or out-of-memory fails the run and leaves the reproducer in WORK_DIR.
# Usage: run_fuzz_target.sh FUZZER WORK_DIR MAX_LEN SECONDS SEED_DIR...
set -euo pipefail
fuzzer=$1 work_dir=$2 max_len=$3
seconds=${FUZZ_SECONDS:-$4}
shift 4

mkdir -p "$work_dir"
corpus=$(mktemp -d "$work_dir/corpus.XXXXXX")
artifacts="$work_dir/artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"
trap 'rm -rf "$corpus"' EXIT

seeds=()
for dir in "$@"; do
    [ -d "$dir" ] && seeds+=("$dir")
done

rc=0
# libFuzzer stops at max_total_time; timeout(1) only stops a run that hangs past it.
timeout --kill-after=10 $(( seconds * 2 + 60 )) "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=512 -malloc_limit_mb=512 -timeout=5 \
    -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" "${seeds[@]}" || rc=$?

if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
    echo "run_fuzz_target: $(basename "$fuzzer") failed (exit $rc); reproducer(s):" >&2
    ls -1 "$artifacts"/* >&2 2>/dev/null || echo "  (none written)" >&2
    echo "reproduce with: $fuzzer <reproducer>" >&2
    exit 1
fi
echo "run_fuzz_target: $(basename "$fuzzer") ran ${seconds}s, no crash, leak or timeout"
