#!/usr/bin/env python3
"""Checks meta-edgeverify's recipe without BitBake (which cannot run here): parses its variable
assignments, expands do_install:append with a Yocto-like variable set, and runs it into a
temporary ${D} so every file it names must exist in this tree. Then every installed path must
belong to a package (FILES), the systemd unit must be installed, and CONFFILES must be installed.
Usage: bitbake_install.py RECIPE SOURCE_DIR DEST_DIR. Prints what it checked; exit 1 on a fault."""
import re
import subprocess
import sys

recipe_path, source_dir, dest_dir = sys.argv[1:4]
text = open(recipe_path, encoding="utf-8").read()
text = re.sub(r"\\\n", " ", text)  # line continuations

faults = []
variables = {}
for m in re.finditer(r'^([A-Za-z_][\w:${}\-\[\]]*)\s*(\?\?=|\?=|\+=|=)\s*"([^"]*)"\s*$', text, re.M):
    name, op, value = m.groups()
    if op == "+=" and name in variables:
        variables[name] += " " + value
    elif op in ("?=", "??=") and name in variables:
        continue
    else:
        variables[name] = value

for required in ("SUMMARY", "LICENSE", "SRC_URI", "DEPENDS", "SYSTEMD_SERVICE:${PN}"):
    if required not in variables:
        faults.append(f"missing variable {required}")
# Yocto strips and splits debug info itself; a binary stripped at the link fails do_package's
# already-stripped QA check (an error by default).
if "-DEDGEVERIFY_STRIP=OFF" not in variables.get("EXTRA_OECMAKE", "").split():
    faults.append("EXTRA_OECMAKE does not pass -DEDGEVERIFY_STRIP=OFF (already-stripped QA error)")
for feature in ("static", "minsize"):
    enabled = variables.get(f"PACKAGECONFIG[{feature}]", "").split(",")[0]
    if f"-DEDGEVERIFY_{feature.upper()}=ON" not in enabled.split():
        faults.append(f"PACKAGECONFIG[{feature}] does not enable -DEDGEVERIFY_{feature.upper()}=ON (got '{enabled}')")
inherits = set(w for m in re.finditer(r"^inherit\s+(.+)$", text, re.M) for w in m.group(1).split())
for cls in ("cmake", "systemd"):
    if cls not in inherits:
        faults.append(f"does not inherit {cls}")

body = re.search(r"^do_install:append\(\)\s*\{\n(.*?)^\}", text, re.M | re.S)
if not body:
    faults.append("no do_install:append")
    print("\n".join(faults))
    sys.exit(1)
yocto = {
    "S": source_dir, "D": dest_dir, "sysconfdir": "/etc", "bindir": "/usr/bin",
    "systemd_system_unitdir": "/lib/systemd/system", "PN": "edgeverify",
}
script = re.sub(r"\$\{(\w+)\}", lambda m: yocto.get(m.group(1), m.group(0)), body.group(1))
if "${" in script:
    faults.append("unexpanded variable in do_install:append: " + re.search(r"\$\{[^}]*\}", script).group(0))
run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True)
if run.returncode != 0:
    faults.append("do_install:append failed: " + run.stderr.strip())

installed = subprocess.run(["find", dest_dir, "-mindepth", "1", "(", "-type", "f", "-o", "-type", "l", ")"],
                           capture_output=True, text=True).stdout.split()
installed = ["/" + p[len(dest_dir):].lstrip("/") for p in installed]
packages = {}
for name, value in variables.items():
    m = re.fullmatch(r"FILES:(.+)", name)
    if m:
        packages[m.group(1)] = [re.sub(r"\$\{(\w+)\}", lambda x: yocto.get(x.group(1), x.group(0)), v)
                                for v in value.split()]
for path in installed:
    if path.startswith("/usr/bin/"):
        continue  # ${PN} holds ${bindir}
    if not any(path == f or path.startswith(f.rstrip("/") + "/") for fs in packages.values() for f in fs):
        faults.append(f"installed {path} belongs to no package (FILES)")
unit = variables.get("SYSTEMD_SERVICE:${PN}", "")
if f"/lib/systemd/system/{unit}" not in installed:
    faults.append(f"SYSTEMD_SERVICE {unit} is not installed")
for name, value in variables.items():
    if name.startswith("CONFFILES:"):
        for f in value.split():
            f = re.sub(r"\$\{(\w+)\}", lambda x: yocto.get(x.group(1), x.group(0)), f)
            if f not in installed:
                faults.append(f"{name} names {f}, which is not installed")

print(f"recipe: {len(variables)} variables, {len(installed)} files installed, {len(packages)} packages with FILES")
if faults:
    print("\n".join("FAULT: " + f for f in faults))
    sys.exit(1)
