#!/usr/bin/env bash
# Debian version ordering (src/core/rules/version_dpkg.cpp) against the real
# `dpkg --compare-versions` on 3000 seeded random pairs (version_dpkg_check.py); every
# disagreement is printed. Apk has no reference tool here: its cases are unit tests.
source "$(dirname "$0")/lib.sh"

TOOL="$EDGEVERIFY_BUILD_DIR/tests/edgeverify-version-compare"
[ -x "$TOOL" ] || bail "edgeverify-version-compare not built: $TOOL"
command -v dpkg >/dev/null || bail "dpkg not installed (needed as the reference)"

if "$PYTHON" "$IT_DIR/version_dpkg_check.py" "$TOOL" 3000 20261128 >"$WORK/check.out" 2>&1; then
    pass "dpkg ordering: $(tail -n 1 "$WORK/check.out")"
else
    cat "$WORK/check.out"
    fail "dpkg ordering disagrees with dpkg --compare-versions (listed above)"
fi

# The tool's own error path: a version dpkg would warn about is refused, naming it.
check_eq "an invalid version is named" "$(printf 'dpkg\ta1\t1\n' | "$TOOL")" \
    'error invalid Debian version "a1": upstream version does not start with a digit'
check_eq "apk through the same tool" "$(printf 'apk\t1.0_rc1\t1.0\n' | "$TOOL")" "lt"

finish
