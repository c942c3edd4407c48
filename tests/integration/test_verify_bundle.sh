#!/usr/bin/env bash
# `edgeverify verify-bundle` driven as the upstream sigstore-conformance harness drives a client
# (docs/cli_protocol.md), over every case of ../shared/vectors/sigstore-conformance/cases.json,
# read in place: exit 0 must mean valid, non-zero invalid. Each case runs twice, with the artifact
# file and with its "sha256:<hex>" digest, and both must agree. A failing case not listed in
# docs/known-failures-sigstore-conformance.txt, or a listed one that passes, fails the test.
# Then the command line's usage errors with their exact messages and exit codes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SET=$(require_vector_set sigstore-conformance)
KNOWN="$EDGEVERIFY_SOURCE_DIR/docs/known-failures-sigstore-conformance.txt"
[ -f "$KNOWN" ] || bail "missing $KNOWN"
DEFAULT_IDENTITY="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
DEFAULT_ISSUER="https://token.actions.githubusercontent.com"

# One line per case, fields separated by US (0x1f, not whitespace, so empty fields survive `read`):
# name expected bundle artifact trusted_root identity issuer key.
"$PYTHON" - "$SET/cases.json" >"$WORK/cases.tsv" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1])):
    fields = [c["name"], c["expected"], c["bundle"], c["artifact"], c["trusted_root"],
              c.get("identity") or "", c.get("issuer") or "", c.get("key") or ""]
    print("\x1f".join(fields))
PY
# Comment lines dropped by sed, not grep: a list of comments only (no known failure) is not an error.
sed -n '/^#/!s/^\([^:]*\): .*/\1/p' "$KNOWN" >"$WORK/known.txt"

is_known() { grep -qxF "$1" "$WORK/known.txt"; }

CASES=0
CASE_PASSES=0
# verify_case ARTIFACT_ARG: runs verify-bundle as the harness would; sets RC.
verify_case() {
    local args=(verify-bundle --bundle "$SET/$bundle")
    if [ -n "$key" ]; then
        args+=(--key "$SET/$key")
    else
        args+=(--certificate-identity "${identity:-$DEFAULT_IDENTITY}" --certificate-oidc-issuer "${issuer:-$DEFAULT_ISSUER}")
    fi
    args+=(--trusted-root "$SET/$root" "$1")
    run_ev "${args[@]}"
}

while IFS=$'\x1f' read -r name expected bundle artifact root identity issuer key; do
    CASES=$((CASES + 1))
    verify_case "$SET/$artifact"
    file_rc=$RC
    digest="sha256:$(sha256sum "$SET/$artifact" | cut -d' ' -f1)"
    verify_case "$digest"
    digest_rc=$RC
    if [ "$file_rc" -ne "$digest_rc" ]; then
        fail "$name: the artifact file gave exit $file_rc, its digest $digest exit $digest_rc"
        _show_run
        continue
    fi
    case "$file_rc" in
        0) verdict=valid ;;
        1 | 2) verdict=invalid ;;
        *) verdict="exit $file_rc" ;;  # unreadable input, crash or timeout: never a verdict
    esac
    reason=$(head -c 400 "$WORK/last.err" | head -n 1)
    if [ "$verdict" == "$expected" ]; then
        CASE_PASSES=$((CASE_PASSES + 1))
        if is_known "$name"; then
            fail "$name: listed in the known failures but passes ($verdict: $reason)"
        else
            pass "$name: $verdict"
        fi
    elif is_known "$name"; then
        pass "$name: known failure (expected $expected, got $verdict: $reason)"
    else
        fail "$name: expected $expected, got $verdict"
        _show_run
    fi
    if [ "$file_rc" -ne 0 ] && ! grep -q '^edgeverify: ' "$WORK/last.err"; then
        fail "$name: refused without a reason line on stderr"
        _show_run
    fi
done <"$WORK/cases.tsv"
echo "# sigstore-conformance via verify-bundle: $CASE_PASSES of $CASES cases pass"
check_eq "every case of cases.json was run" "$CASES" "$("$PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$SET/cases.json")"

# ---- the command line -------------------------------------------------------------------------
V1="$SET/bundle-verify/happy-path-v0.1"
ROOT="$SET/_default_trusted_root/production_trusted_root.json"
A="$SET/bundle-verify/a.txt"
expect_usage() {  # expect_usage DESC MESSAGE -- ARGS...
    local desc=$1 message=$2
    shift 3
    run_ev "$@"
    check_eq "$desc: exit status" "$RC" 2
    check_eq "$desc: message" "$(cat "$WORK/last.err")" "$message"
}
expect_usage "missing --bundle" \
    "edgeverify: usage: verify-bundle needs --bundle FILE (see 'edgeverify verify-bundle --help')" -- \
    verify-bundle --certificate-identity "$DEFAULT_IDENTITY" --certificate-oidc-issuer "$DEFAULT_ISSUER" \
    --trusted-root "$ROOT" "$A"
expect_usage "both a key and an identity" \
    "edgeverify: usage: verify-bundle takes --key or --certificate-identity with --certificate-oidc-issuer, not both (see 'edgeverify verify-bundle --help')" -- \
    verify-bundle --bundle "$V1/bundle.sigstore.json" --certificate-identity "$DEFAULT_IDENTITY" \
    --certificate-oidc-issuer "$DEFAULT_ISSUER" --key "$SET/bundle-verify/managed-key-and-trusted-root/key.pub" \
    --trusted-root "$ROOT" "$A"
expect_usage "an unknown option" \
    "edgeverify: usage: unknown option '--offline' for verify-bundle (see 'edgeverify verify-bundle --help')" -- \
    verify-bundle --offline --bundle "$V1/bundle.sigstore.json" --trusted-root "$ROOT" "$A"
expect_usage "an identity without its issuer" \
    "edgeverify: usage: verify-bundle needs both --certificate-identity and --certificate-oidc-issuer (see 'edgeverify verify-bundle --help')" -- \
    verify-bundle --bundle "$V1/bundle.sigstore.json" --certificate-identity "$DEFAULT_IDENTITY" --trusted-root "$ROOT" "$A"
expect_usage "no trusted root" \
    "edgeverify: usage: verify-bundle needs --trusted-root FILE: this build verifies offline and never fetches the Sigstore trusted root over TUF (see 'edgeverify verify-bundle --help')" -- \
    verify-bundle --bundle "$V1/bundle.sigstore.json" --certificate-identity "$DEFAULT_IDENTITY" \
    --certificate-oidc-issuer "$DEFAULT_ISSUER" "$A"
expect_usage "no artifact" \
    "edgeverify: usage: verify-bundle needs exactly one FILE_OR_DIGEST (see 'edgeverify verify-bundle --help')" -- \
    verify-bundle --bundle "$V1/bundle.sigstore.json" --certificate-identity "$DEFAULT_IDENTITY" \
    --certificate-oidc-issuer "$DEFAULT_ISSUER" --trusted-root "$ROOT"

# A bundle that cannot be read is exit 3; an artifact that differs from the signed one is exit 1.
run_ev verify-bundle --bundle "$WORK/absent.sigstore.json" --certificate-identity "$DEFAULT_IDENTITY" \
    --certificate-oidc-issuer "$DEFAULT_ISSUER" --trusted-root "$ROOT" "$A"
check_eq "an absent bundle file: exit status" "$RC" 3
check_eq "an absent bundle file: message" "$(cat "$WORK/last.err")" \
    "edgeverify: cannot read: not-found: --bundle $WORK/absent.sigstore.json: No such file or directory"
printf 'not the signed artifact\n' >"$WORK/other.txt"
run_ev verify-bundle --bundle "$V1/bundle.sigstore.json" --certificate-identity "$DEFAULT_IDENTITY" \
    --certificate-oidc-issuer "$DEFAULT_ISSUER" --trusted-root "$ROOT" "$WORK/other.txt"
check_eq "another artifact: exit status" "$RC" 1
check_eq "another artifact: message" "$(cat "$WORK/last.err")" \
    "edgeverify: rejected: message digest sha256:$(sha256sum "$A" | cut -d' ' -f1) is not the artifact (sha256:$(sha256sum "$WORK/other.txt" | cut -d' ' -f1))"
run_ev verify-bundle --bundle "$V1/bundle.sigstore.json" --certificate-identity "https://example.com/someone-else" \
    --certificate-oidc-issuer "$DEFAULT_ISSUER" --trusted-root "$ROOT" "$A"
check_eq "another identity: exit status" "$RC" 1

finish
