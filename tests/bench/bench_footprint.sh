#!/usr/bin/env bash
# Footprint benchmark (not a ctest test; results go to docs/benchmarks.md): per architecture
# (x86_64 native, arm64 and armhf under qemu-user), for the dynamic board build (-O2), the
# size-optimized dynamic agent (EDGEVERIFY_MINSIZE: -Os, LTO, gc-sections) and the minimal static
# agent (the *-static presets):
#   - stripped binary size
#   - installed size with the runtime libraries it needs (NEEDED, resolved recursively in the
#     architecture's library directories), in total and beyond the base system (libc, libstdc++,
#     libgcc_s, libm, which every Linux device image already has)
#   - peak RSS verifying the ~1 GiB gzip image of bench_integrity.sh (--integrity-only), median
#     of --rss-runs runs (default 3)
#   - `edgeverify --version` start-up time and the containerd-verifier decision (median)
#   - for the static builds, that the link map (build-*/edgeverify.map) holds no libxml2 or ICU
#     archive member
# Under qemu-user, times and RSS include the emulator: indicative only, never device figures.
#
#   tests/bench/bench_footprint.sh [--build] [--runs N] [--rss-runs N] [--arch x86_64,arm64,armhf]
#                                  [--qemu-size-mib N] [--rss-timeout S] [--markdown FILE]
# --qemu-size-mib N: the ARM rows verify an N MiB image of the same generator instead of the
# 1 GiB one (qemu-user takes many minutes per GiB on a loaded machine; the verifier streams, so
# peak RSS does not grow with the image: the x86_64 rows measure both sizes to show it).
# --build configures and builds (target edgeverify only) the board presets it measures:
# x86_64-gateway, rpi4-arm64, beaglebone-armhf, their -static variants, and each with
# -DEDGEVERIFY_MINSIZE=ON in build-<preset>-min. It never touches the
# development tree build/ (only the cached 1 GiB image lives there, in build/bench-fixtures).
# The x86_64 dynamic row falls back to build-rel (a native Release build) when x86_64-gateway is
# not built; every binary's path and date are printed under the table. FOOTPRINT_BIN_<arch>_<build>
# (<build>: dynamic, minsize or static; e.g. FOOTPRINT_BIN_arm64_static=/path/edgeverify) measures another binary in that row; a
# static one's link map is looked for as edgeverify.map beside it or one directory up.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=0
RUNS=30
RSS_RUNS=3
RSS_TIMEOUT=1800
QEMU_MIB=1024
ARCHES=x86_64,arm64,armhf
MARKDOWN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD=1; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --rss-runs) RSS_RUNS=$2; shift 2 ;;
    --arch) ARCHES=$2; shift 2 ;;
    --qemu-size-mib) QEMU_MIB=$2; shift 2 ;;
    --rss-timeout) RSS_TIMEOUT=$2; shift 2 ;;
    --markdown) MARKDOWN=$2; shift 2 ;;
    *) echo "bench_footprint: unknown argument $1" >&2; exit 2 ;;
  esac
done
PYTHON=$(command -v /usr/bin/python3 || command -v python3)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/edgeverify-footprint.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if [ "$BUILD" -eq 1 ]; then
  for preset in x86_64-gateway x86_64-gateway-static rpi4-arm64 rpi4-arm64-static beaglebone-armhf beaglebone-armhf-static; do
    (cd "$SRC_DIR" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" --target edgeverify)
  done
  # The size-optimized dynamic agent (EDGEVERIFY_MINSIZE) of each board, beside its preset's tree.
  for preset in x86_64-gateway rpi4-arm64 beaglebone-armhf; do
    (cd "$SRC_DIR" && cmake --preset "$preset" -B "build-$preset-min" -DEDGEVERIFY_MINSIZE=ON >/dev/null &&
       cmake --build "build-$preset-min" --target edgeverify)
  done
fi
X86_DYNAMIC=$SRC_DIR/build-x86_64-gateway/src/edgeverify
[ -x "$X86_DYNAMIC" ] || X86_DYNAMIC=$SRC_DIR/build-rel/src/edgeverify

# The 1 GiB image (cached by bench_integrity.sh).
"$SRC_DIR/tests/bench/bench_integrity.sh" --generate-only --no-zstd >/dev/null
IMAGE=$(ls -d "$SRC_DIR"/build/bench-fixtures/v*-1024mib/image.oci.tar | head -1)
[ -f "$IMAGE" ] || { echo "bench_footprint: 1 GiB image not found" >&2; exit 1; }
QEMU_IMAGE=$IMAGE
if [ "$QEMU_MIB" != 1024 ]; then
  "$SRC_DIR/tests/bench/bench_integrity.sh" --generate-only --no-zstd --size-mib "$QEMU_MIB" >/dev/null
  QEMU_IMAGE=$(ls -d "$SRC_DIR"/build/bench-fixtures/v*-"${QEMU_MIB}"mib/image.oci.tar | head -1)
fi

# arch|label|binary|strip|libdirs|emulator (space-separated words). The arm64 dynamic binary runs
# with -L /: the multiarch loader and libc.so.6 of /usr/lib/aarch64-linux-gnu, one glibc build;
# the cross toolchain's loader (-L /usr/aarch64-linux-gnu) with the multiarch libc hangs in
# pthread_create (docs/cross-compiling.md).
ARMHF_SR=${EDGEVERIFY_ARMHF_SYSROOT:-$SRC_DIR/.cross/sysroot-armhf}
rows=(
  "x86_64|dynamic|${FOOTPRINT_BIN_x86_64_dynamic:-$X86_DYNAMIC}|strip|/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu|"
  "x86_64|minsize|${FOOTPRINT_BIN_x86_64_minsize:-$SRC_DIR/build-x86_64-gateway-min/src/edgeverify}|strip|/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu|"
  "x86_64|static|${FOOTPRINT_BIN_x86_64_static:-$SRC_DIR/build-x86_64-gateway-static/src/edgeverify}|strip||"
  "arm64|dynamic|${FOOTPRINT_BIN_arm64_dynamic:-$SRC_DIR/build-rpi4-arm64/src/edgeverify}|aarch64-linux-gnu-strip|/usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu|qemu-aarch64-static -L /"
  "arm64|minsize|${FOOTPRINT_BIN_arm64_minsize:-$SRC_DIR/build-rpi4-arm64-min/src/edgeverify}|aarch64-linux-gnu-strip|/usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu|qemu-aarch64-static -L /"
  "arm64|static|${FOOTPRINT_BIN_arm64_static:-$SRC_DIR/build-rpi4-arm64-static/src/edgeverify}|aarch64-linux-gnu-strip||qemu-aarch64-static"
  "armhf|dynamic|${FOOTPRINT_BIN_armhf_dynamic:-$SRC_DIR/build-beaglebone-armhf/src/edgeverify}|arm-linux-gnueabihf-strip|/usr/arm-linux-gnueabihf/lib $ARMHF_SR/usr/lib/arm-linux-gnueabihf $ARMHF_SR/lib/arm-linux-gnueabihf|qemu-arm-static -L /usr/arm-linux-gnueabihf -E LD_LIBRARY_PATH=$ARMHF_SR/usr/lib/arm-linux-gnueabihf:$ARMHF_SR/lib/arm-linux-gnueabihf"
  "armhf|minsize|${FOOTPRINT_BIN_armhf_minsize:-$SRC_DIR/build-beaglebone-armhf-min/src/edgeverify}|arm-linux-gnueabihf-strip|/usr/arm-linux-gnueabihf/lib $ARMHF_SR/usr/lib/arm-linux-gnueabihf $ARMHF_SR/lib/arm-linux-gnueabihf|qemu-arm-static -L /usr/arm-linux-gnueabihf -E LD_LIBRARY_PATH=$ARMHF_SR/usr/lib/arm-linux-gnueabihf:$ARMHF_SR/lib/arm-linux-gnueabihf"
  "armhf|static|${FOOTPRINT_BIN_armhf_static:-$SRC_DIR/build-beaglebone-armhf-static/src/edgeverify}|arm-linux-gnueabihf-strip||qemu-arm-static"
)

printf '%s\n' "${rows[@]}" | grep -E "^(${ARCHES//,/|})\|" >"$TMP/rows"
"$PYTHON" - "$TMP" "$IMAGE" "$RUNS" "$SRC_DIR" "$RSS_RUNS" "$QEMU_IMAGE" "$RSS_TIMEOUT" >"$TMP/table.md" <<'PY'
import os, re, shlex, statistics, subprocess, sys, time
tmp, image, runs, src, rss_runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
qemu_image, rss_timeout = sys.argv[6], int(sys.argv[7])
image_mib = lambda p: os.path.getsize(p) / 1048576
notes = []
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
    # Median peak RSS (KiB) and median wall time (s) of rss_runs runs; None when a run fails or
    # outlives the timeout (its whole process group is killed: qemu included).
    rss, wall = [], []
    for _ in range(rss_runs):
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M %e"] + cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = p.communicate(timeout=rss_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9); p.communicate()
            notes.append("verify did not finish in %d s: %s" % (rss_timeout, " ".join(cmd[-4:])))
            return None, None
        if p.returncode != 0:
            notes.append("verify failed (%d): %s" % (p.returncode, (out + err)[-300:].replace("\n", " ")))
            return None, None
        m, e = err.strip().splitlines()[-1].split()
        rss.append(int(m)); wall.append(float(e))
    return statistics.median(rss), statistics.median(wall)
def static_closure_check(binary):
    # The static link map (CMakeLists.txt, EDGEVERIFY_STATIC) names every archive member linked.
    here = os.path.dirname(os.path.abspath(binary))
    maps = [p for p in (os.path.join(here, "edgeverify.map"), os.path.join(os.path.dirname(here), "edgeverify.map"))
            if os.path.exists(p)]
    if not maps: return "no link map beside %s" % binary
    path = maps[0]
    # Members extracted to resolve symbols are listed first even when --gc-sections drops all
    # their sections later: what counts is the memory map, the input sections that were kept.
    text = open(path, errors="replace").read()
    extracted = sorted(set(re.findall(r"^\S*lib(xml2|icu\w*)\.a\(", text.split("Discarded input sections")[0], re.M)))
    kept_part = text.split("Linker script and memory map", 1)[-1]
    kept = {}
    for m in re.finditer(r"^ (\.\S+)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+\.a)\(", kept_part, re.M):
        lib = os.path.basename(m.group(3))
        kept[lib] = kept.get(lib, 0) + int(m.group(2), 16)
    bad = {l: n for l, n in kept.items() if re.match(r"lib(xml2|icu)", l) and n}
    top = ", ".join("%s %.0f KiB" % (l, n / 1024) for l, n in sorted(kept.items(), key=lambda x: -x[1])[:6])
    return ("LINKED: %s" % bad if bad else "no libxml2/ICU section kept (members extracted then discarded by --gc-sections: %s)"
            % (",".join(extracted) or "none")) + "; largest archives kept: " + top
mib = lambda b: "%.2f MiB" % (b / 1048576)
measured = {}  # arch -> {label: command prefix running the stripped binary}
lines = ["| arch | build | stripped | installed with libraries | beyond base system | peak RSS, verify (wall) | `--version` start-up | verifier decision |",
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
        big = sorted(((s, n) for n, s in libs.items() if s), reverse=True)[:4]
        notes.append("%s %s: %d libraries; largest %s" % (arch, label, len(libs),
                     ", ".join("%s %.1f MiB" % (n, s / 1048576) for s, n in big)))
    else:
        inst = beyond = mib(size)
    emu = shlex.split(emulator)
    img = qemu_image if emu else image
    rss, wall = peak_rss_kib(emu + [stripped, "verify", img, "--integrity-only", "--json"])
    if not emu and qemu_image != image:
        small, _ = peak_rss_kib([stripped, "verify", qemu_image, "--integrity-only", "--json"])
        notes.append("%s %s: peak RSS verifying the %.0f MiB archive: %s MiB (the ARM rows' image)" % (
            arch, label, image_mib(qemu_image), ("%.1f" % (small / 1024)) if small else "failed"))
    start = median_ms(emu + [stripped, "--version"])
    measured.setdefault(arch, {})[label] = emu + [stripped]
    st = os.stat(binary)
    notes.append("%s %s: %s (built %s)%s" % (arch, label, os.path.relpath(binary, src),
                 time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(st.st_mtime)),
                 ("; " + static_closure_check(binary)) if label == "static" else ""))
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
        arch, label, mib(size), inst, beyond,
        ("%.1f MiB (%.0f MiB archive, %.1f s)" % (rss / 1024, image_mib(img), wall)) if rss else "failed",
        start, decision + (" (qemu)" if emu else "")))
# On a loaded machine rows measured minutes apart are hard to compare: per architecture, every
# build's `--version` (and /bin/true) once more, interleaved run by run.
for arch, builds in measured.items():
    if len(builds) < 2: continue
    cmds = {"/bin/true": ["/bin/true"]}
    cmds.update((label, prefix + ["--version"]) for label, prefix in builds.items())
    t = {k: [] for k in cmds}
    for _ in range(3):
        for c in cmds.values(): subprocess.run(c, capture_output=True)
    for _ in range(runs):
        for k, c in cmds.items():
            s0 = time.perf_counter_ns(); subprocess.run(c, capture_output=True)
            t[k].append((time.perf_counter_ns() - s0) / 1e6)
    ratio = ("; dynamic/static %.1fx" % (statistics.median(t["dynamic"]) / statistics.median(t["static"]))
             if "dynamic" in t and "static" in t else "")
    notes.append("%s `--version` interleaved, %d runs each, median: %s%s" % (
        arch, runs, ", ".join("%s %.2f ms" % (k, statistics.median(v)) for k, v in t.items()), ratio))
print("\n".join(lines))
print()
print("\n".join("- " + n for n in notes))
PY
{
  echo "Footprint, $(date -u +%Y-%m-%d), commit $(git -C "$SRC_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown): start-up and decision medians of $RUNS runs, peak RSS median of $RSS_RUNS; arm64/armhf rows run under qemu-user (times and RSS include the emulator)."
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  cat "$TMP/table.md"
} | tee "${MARKDOWN:-/dev/null}"
