#!/usr/bin/env bash
# Footprint benchmark (not a ctest test; results go to docs/benchmarks.md): per architecture
# (x86_64 native, arm64 and armhf under qemu-user), for the dynamic and the minimal static agent:
#   - stripped binary size
#   - installed size with the runtime libraries it needs (NEEDED, resolved recursively in the
#     architecture's library directories), in total and beyond the base system (libc, libstdc++,
#     libgcc_s, libm, which every Linux device image already has)
#   - peak RSS verifying the ~1 GiB gzip image of bench_integrity.sh (--integrity-only)
#   - `edgeverify version` start-up time and the containerd-verifier decision (median)
# Under qemu-user, times and RSS include the emulator: indicative only, never device figures.
#
#   tests/bench/bench_footprint.sh [--build] [--runs N] [--markdown FILE]
# --build configures and builds the presets it needs (native Release build in build/, the board
# presets rpi4-arm64, beaglebone-armhf and their -static variants, x86_64-gateway-static).
set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=0
RUNS=30
MARKDOWN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD=1; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --markdown) MARKDOWN=$2; shift 2 ;;
    *) echo "bench_footprint: unknown argument $1" >&2; exit 2 ;;
  esac
done
PYTHON=$(command -v /usr/bin/python3 || command -v python3)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/edgeverify-footprint.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if [ "$BUILD" -eq 1 ]; then
  cmake -S "$SRC_DIR" -B "$SRC_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$SRC_DIR/build" --target edgeverify
  for preset in rpi4-arm64 beaglebone-armhf rpi4-arm64-static beaglebone-armhf-static x86_64-gateway-static; do
    (cd "$SRC_DIR" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" --target edgeverify)
  done
fi

# The 1 GiB image (cached by bench_integrity.sh).
"$SRC_DIR/tests/bench/bench_integrity.sh" --generate-only --no-zstd >/dev/null
IMAGE=$(ls -d "$SRC_DIR"/build/bench-fixtures/v*-1024mib/image.oci.tar | head -1)
[ -f "$IMAGE" ] || { echo "bench_footprint: 1 GiB image not found" >&2; exit 1; }

# arch|label|binary|strip|libdirs|emulator (space-separated words)
ARMHF_SR=${EDGEVERIFY_ARMHF_SYSROOT:-$SRC_DIR/.cross/sysroot-armhf}
rows=(
  "x86_64|dynamic|$SRC_DIR/build/src/edgeverify|strip|/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu|"
  "x86_64|static|$SRC_DIR/build-x86_64-gateway-static/src/edgeverify|strip||"
  "arm64|dynamic|$SRC_DIR/build-rpi4-arm64/src/edgeverify|aarch64-linux-gnu-strip|/usr/aarch64-linux-gnu/lib /usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu|qemu-aarch64-static -L /usr/aarch64-linux-gnu"
  "arm64|static|$SRC_DIR/build-rpi4-arm64-static/src/edgeverify|aarch64-linux-gnu-strip||qemu-aarch64-static"
  "armhf|dynamic|$SRC_DIR/build-beaglebone-armhf/src/edgeverify|arm-linux-gnueabihf-strip|/usr/arm-linux-gnueabihf/lib $ARMHF_SR/usr/lib/arm-linux-gnueabihf $ARMHF_SR/lib/arm-linux-gnueabihf|qemu-arm-static -L /usr/arm-linux-gnueabihf -E LD_LIBRARY_PATH=$ARMHF_SR/usr/lib/arm-linux-gnueabihf:$ARMHF_SR/lib/arm-linux-gnueabihf"
  "armhf|static|$SRC_DIR/build-beaglebone-armhf-static/src/edgeverify|arm-linux-gnueabihf-strip||qemu-arm-static"
)

printf '%s\n' "${rows[@]}" >"$TMP/rows"
"$PYTHON" - "$TMP" "$IMAGE" "$RUNS" "$SRC_DIR" >"$TMP/table.md" <<'PY'
import os, re, shlex, statistics, subprocess, sys, time
tmp, image, runs, src = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
BASE = ("libc.so", "libstdc++.so", "libgcc_s.so", "libm.so", "ld-linux", "libpthread.so", "libdl.so", "librt.so")
def needed(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
def closure(binary, libdirs):
    seen, todo, files = set(), needed(binary), {}
    while todo:
        name = todo.pop()
        if name in seen: continue
        seen.add(name)
        for d in libdirs:
            p = os.path.join(d, name)
            if os.path.exists(p):
                real = os.path.realpath(p); files[name] = os.path.getsize(real); todo += needed(real); break
        else:
            files[name] = None
    return files
def median_ms(cmd, stdin=None, env=None):
    def once():
        t = time.perf_counter_ns(); subprocess.run(cmd, input=stdin, capture_output=True, env=env, check=True)
        return (time.perf_counter_ns() - t) / 1e6
    for _ in range(3): once()
    return statistics.median(once() for _ in range(runs))
def peak_rss_kib(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    if r.returncode != 0: return None
    return int(r.stderr.strip().splitlines()[-1])
mib = lambda b: "%.2f MiB" % (b / 1048576)
lines = ["| arch | build | stripped | installed with libraries | beyond base system | peak RSS, 1 GiB verify | `version` start-up | verifier decision |",
         "|---|---|---|---|---|---|---|---|"]
for row in open(os.path.join(tmp, "rows")).read().splitlines():
    arch, label, binary, strip, libdirs, emulator = row.split("|")
    if not os.path.exists(binary):
        lines.append("| %s | %s | not built (%s) | | | | | |" % (arch, label, binary)); continue
    stripped = os.path.join(tmp, "%s-%s" % (arch, label))
    subprocess.run([strip, "-o", stripped, binary], check=True)
    size = os.path.getsize(stripped)
    if libdirs:
        libs = closure(binary, libdirs.split())
        missing = [n for n, s in libs.items() if s is None]
        total = size + sum(s for s in libs.values() if s)
        extra = size + sum(s for n, s in libs.items() if s and not n.startswith(BASE))
        inst, beyond = mib(total) + (" (unresolved: %s)" % ",".join(missing) if missing else ""), mib(extra)
    else:
        inst = beyond = mib(size)
    emu = shlex.split(emulator)
    rss = peak_rss_kib(emu + [stripped, "verify", "--integrity-only", image])
    start = median_ms(emu + [stripped, "version"])
    env = dict(os.environ, EDGEVERIFY=stripped if not emu else os.path.join(tmp, "emu-" + arch + label))
    if emu:
        with open(env["EDGEVERIFY"], "w") as f:
            f.write("#!/bin/sh\nexec %s %s \"$@\"\n" % (" ".join(shlex.quote(e) for e in emu), shlex.quote(stripped)))
        os.chmod(env["EDGEVERIFY"], 0o755)
    env["RUNS"] = str(runs)
    dec = subprocess.run(["bash", os.path.join(src, "tests/bench/verifier_decision.sh")], env=env,
                         capture_output=True, text=True)
    m = re.search(r"verifier decision, admitted digest\s+\d+ runs: wall median\s+([\d.]+) ms", dec.stdout)
    decision = (m.group(1) + " ms") if m else "failed: " + (dec.stderr or dec.stdout)[-200:].replace("\n", " ")
    lines.append("| %s | %s | %s | %s | %s | %s | %.1f ms | %s |" % (
        arch, label, mib(size), inst, beyond, ("%.1f MiB" % (rss / 1024)) if rss else "failed",
        start, decision + (" (qemu)" if emu else "")))
print("\n".join(lines))
PY
{
  echo "Footprint, $(date -u +%Y-%m-%d), median of $RUNS runs; arm64/armhf rows run under qemu-user (times and RSS include the emulator)."
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  cat "$TMP/table.md"
} | tee "${MARKDOWN:-/dev/null}"
