#!/usr/bin/env python3
"""Checks edgeverify's Debian version ordering against the real `dpkg --compare-versions`.

Generates seeded random pairs (epochs, digits with leading zeros, letters, '~', '+', '.', '-'
revisions; half of them one small edit apart so near-equal versions are common), asks
edgeverify-version-compare for every pair in one batch, then asks dpkg to confirm each answer
with one call: `dpkg --compare-versions A lt|eq|gt B` must succeed. Prints every disagreement
and exits 1 if there is any. Usage: version_dpkg_check.py TOOL COUNT SEED
"""
import random
import subprocess
import sys

UPSTREAM_TOKENS = ["0", "1", "2", "9", "10", "01", "007", "123", "a", "b", "z", "A", "Z",
                   "~", "~~", "+", ".", ".", "-", "rc", "beta", "~rc", "+dfsg", ":"]
REVISION_TOKENS = ["0", "1", "2", "10", "01", "a", "z", "~", "+", ".", "deb12u", "ubuntu", "~bpo"]


def random_version(rng):
    epoch = ""
    if rng.random() < 0.3:
        epoch = rng.choice(["0", "1", "2", "01", "10"]) + ":"
    upstream = rng.choice(["0", "1", "2", "10", "1.0", "2.36", "0.9"])
    for _ in range(rng.randint(0, 4)):
        upstream += rng.choice(UPSTREAM_TOKENS)
    if not epoch:
        upstream = upstream.replace(":", ".")  # a colon in upstream needs an epoch
    revision = ""
    if rng.random() < 0.6:
        revision = rng.choice(["0", "1", "2", "10", "a", "1a"])
        for _ in range(rng.randint(0, 3)):
            revision += rng.choice(REVISION_TOKENS)
    elif "-" in upstream:
        revision = "1"  # a hyphen in upstream needs a revision after it
    return epoch + upstream + ("-" + revision if revision else "")


def mutate(rng, version):
    kind = rng.randint(0, 6)
    if kind == 0:
        return version + rng.choice(["~", "~1", "a", "+1", ".0", "0"])
    if kind == 1 and "-" not in version:
        return version + rng.choice(["-0", "-1", "-0~"])
    if kind == 2:
        return ("0:" + version) if ":" not in version else version.split(":", 1)[1].replace(":", ".")
    if kind == 3:
        return version.replace("0", "00", 1)
    if kind == 4:
        i = rng.randrange(1, len(version) + 1)
        return version[:i] + "~" + version[i:]
    digits = [i for i, c in enumerate(version) if c.isdigit()]
    if kind == 5 and digits:
        i = rng.choice(digits)
        return version[:i] + str((int(version[i]) + rng.randint(1, 9)) % 10) + version[i + 1:]
    return version + rng.choice(["a", "+", ".", "~~", "Z"])


def is_valid(version):
    """The syntax dpkg accepts without a warning (Debian Policy 5.6.12)."""
    rest = version
    if ":" in version:
        epoch, rest = version.split(":", 1)
        if not epoch.isdigit() or not rest:
            return False
    upstream, revision = rest, None
    if "-" in rest:
        upstream, revision = rest.rsplit("-", 1)
        if not revision or any(not (c.isalnum() or c in ".+~") for c in revision):
            return False
    return bool(upstream) and upstream[0].isdigit() and all(c.isalnum() or c in ".+~-:" for c in upstream)


def main():
    tool, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    pairs = []
    while len(pairs) < count:
        a = random_version(rng)
        b = mutate(rng, a) if rng.random() < 0.5 else random_version(rng)
        if is_valid(a) and is_valid(b):
            pairs.append((a, b))
    batch = "".join(f"dpkg\t{a}\t{b}\n" for a, b in pairs)
    answers = subprocess.run([tool], input=batch, capture_output=True, text=True, check=True).stdout.splitlines()
    if len(answers) != len(pairs):
        print(f"not ok - {tool} answered {len(answers)} lines for {len(pairs)} pairs")
        return 1
    disagreements = 0
    counts = {"lt": 0, "eq": 0, "gt": 0}
    for (a, b), answer in zip(pairs, answers):
        if answer.startswith("error"):
            print(f"not ok - {a!r} vs {b!r}: edgeverify refused a version dpkg accepts: {answer}")
            disagreements += 1
            continue
        counts[answer] += 1
        dpkg = subprocess.run(["dpkg", "--compare-versions", a, answer, b], capture_output=True, text=True)
        if dpkg.returncode != 0 or dpkg.stderr:
            truth = next(op for op in ("lt", "eq", "gt")
                         if subprocess.run(["dpkg", "--compare-versions", a, op, b],
                                           capture_output=True).returncode == 0)
            print(f"not ok - {a!r} vs {b!r}: edgeverify says {answer}, dpkg says {truth}"
                  f"{' (dpkg: ' + dpkg.stderr.strip() + ')' if dpkg.stderr else ''}")
            disagreements += 1
    print(f"{len(pairs)} pairs (seed {seed}): lt {counts['lt']}, eq {counts['eq']}, gt {counts['gt']}, "
          f"{disagreements} disagreement(s) with dpkg --compare-versions")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
