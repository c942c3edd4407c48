#!/usr/bin/env bash
# containerd verifier mode, called exactly as containerd 2.x's bindir plugin does
# (FORMATS.md E): `edgeverify -name REF -digest DIGEST -stdin-media-type
# application/vnd.oci.descriptor.v1+json` with the descriptor JSON (json.Encoder output, trailing
# newline) on stdin. Exit 0 allows, anything else denies; stdout is the reason (≤ 32 KiB read).
# Verdict files are written here by an independent python writer following docs/verdicts.md;
# the last part admits an image with `edgeverify install` into a private containerd 1.6
# (containerd_lib.sh), asks the verifier about it, lists it and removes it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containerd_lib.sh"

DESCRIPTOR_TYPE=application/vnd.oci.descriptor.v1+json
INDEX_TYPE=application/vnd.oci.image.index.v1+json
MANIFEST_TYPE=application/vnd.oci.image.manifest.v1+json
REF=registry.example.com/fleet/app:1.0
INDEX=sha256:$(printf 'index' | sha256sum | cut -d' ' -f1)
MANIFEST=sha256:$(printf 'manifest' | sha256sum | cut -d' ' -f1)
AUDITED=sha256:$(printf 'audited' | sha256sum | cut -d' ' -f1)
FAILED=sha256:$(printf 'failed' | sha256sum | cut -d' ' -f1)
STRANGER=sha256:$(printf 'stranger' | sha256sum | cut -d' ' -f1)
CORRUPT=sha256:$(printf 'corrupt' | sha256sum | cut -d' ' -f1)

# A trust store and its digest as edgeverify computes it.
TRUST="$WORK/trust"
mkdir -p "$TRUST"
printf '{"version": 1, "default": "reject", "scopes": []}\n' >"$TRUST/policy.json"
run_ev policy check --trust "$TRUST" --json
[ "$RC" -eq 0 ] || bail "policy check failed: $(cat "$WORK/last.err")"
TRUST_DIGEST=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$WORK/last.out")

STATE="$WORK/state"
mkdir -p -m 0700 "$STATE" "$STATE/verdicts" "$STATE/verdicts/sha256"

write_verdict() {  # write_verdict DIGEST ROLE PASSED MODE [TRUST_DIGEST]
    "$PYTHON" - "$STATE/verdicts/sha256/${1#sha256:}.json" "$1" "$2" "$3" "$4" "${5:-$TRUST_DIGEST}" "$REF" <<'PY'
import json, sys
path, digest, role, passed, mode, trust, ref = sys.argv[1:]
v = {"schemaVersion": 1, "digest": digest, "role": role, "reference": ref, "containerdName": ref,
     "scope": "fleet", "mode": mode, "passed": passed == "true", "trustStoreDigest": trust,
     "verifiedAt": "2026-11-28T01:00:00Z", "agentVersion": "test"}
with open(path, "w") as f:
    json.dump(v, f)
PY
}
write_verdict "$INDEX" index true enforce
write_verdict "$MANIFEST" manifest true enforce
write_verdict "$AUDITED" manifest false audit
write_verdict "$FAILED" manifest false enforce
printf '{"schemaVersion": 1, "digest": 42}\n' >"$STATE/verdicts/sha256/${CORRUPT#sha256:}.json"

descriptor() {  # descriptor DIGEST [MEDIA_TYPE]: what containerd's json.Encoder writes
    printf '{"mediaType":"%s","digest":"%s","size":1609}\n' "${2:-$INDEX_TYPE}" "$1"
}

# verifier STDIN_FILE ARGS...: runs the binary as containerd would, with only the environment set here.
verifier() {
    local input=$1
    shift
    LAST_CMD=("$EDGEVERIFY" "$@")
    set +e
    env -i PATH=/usr/bin:/bin EDGEVERIFY_STATE_DIR="$STATE" EDGEVERIFY_TRUST_DIR="${VERIFIER_TRUST:-$TRUST}" \
        timeout 30 "$EDGEVERIFY" "$@" <"$input" >"$WORK/last.out" 2>"$WORK/last.err"
    RC=$?
    set -e
}

expect_decision() {  # expect_decision DESC RC SUBSTRING
    local out
    out=$(head -c 32768 "$WORK/last.out")
    if [ "$RC" -eq "$2" ] && grep -qF -- "$3" <<<"$out" && [ "$(wc -l <"$WORK/last.out")" -eq 1 ]; then
        pass "$1"
    else
        fail "$1: exit $RC (expected $2), stdout '$out' (expected one line with '$3'), stderr '$(head -c 500 "$WORK/last.err")'"
    fi
}

descriptor "$INDEX" >"$WORK/index.json"
descriptor "$MANIFEST" "$MANIFEST_TYPE" >"$WORK/manifest.json"

verifier "$WORK/index.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "admitted index digest, containerd's exact arguments: allowed" 0 "allowed"
verifier "$WORK/manifest.json" -name "$REF" -digest "$MANIFEST" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "admitted manifest digest: allowed" 0 "allowed"
verifier "$WORK/index.json" --name="$REF" --digest="$INDEX" --stdin-media-type="$DESCRIPTOR_TYPE"
expect_decision "--name= forms: allowed" 0 "allowed"
verifier "$WORK/index.json" -name="$REF" --digest "$INDEX" -stdin-media-type="$DESCRIPTOR_TYPE"
expect_decision "mixed -flag=X and --flag X forms: allowed" 0 "allowed"
verifier "$WORK/index.json" -digest "$INDEX" -name "$REF" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "flags in another order: allowed" 0 "allowed"

descriptor "$AUDITED" "$MANIFEST_TYPE" >"$WORK/audited.json"
verifier "$WORK/audited.json" -name "$REF" -digest "$AUDITED" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "audit-mode admission: allowed, saying audit" 0 "audit"

descriptor "$FAILED" "$MANIFEST_TYPE" >"$WORK/failed.json"
verifier "$WORK/failed.json" -name "$REF" -digest "$FAILED" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "failed enforce verdict: denied" 1 "failed verification"

descriptor "$STRANGER" >"$WORK/stranger.json"
verifier "$WORK/stranger.json" -name "$REF" -digest "$STRANGER" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "digest never admitted: denied" 1 "never admitted"

verifier "$WORK/manifest.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "descriptor names another digest than -digest: denied" 1 "not -digest"

descriptor "$INDEX" application/vnd.oci.image.layer.v1.tar+gzip >"$WORK/layer.json"
verifier "$WORK/layer.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "descriptor of a layer: denied" 1 "not an image manifest or index"

descriptor "$CORRUPT" >"$WORK/corrupt.json"
verifier "$WORK/corrupt.json" -name "$REF" -digest "$CORRUPT" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "corrupt verdict file: denied" 1 "cannot be read"

: >"$WORK/empty"
verifier "$WORK/empty" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "empty stdin: denied" 1 "denied"
printf '{"mediaType":"%s","digest":"%s",' "$INDEX_TYPE" "$INDEX" >"$WORK/truncated.json"
verifier "$WORK/truncated.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "truncated descriptor: denied" 1 "not valid JSON"
head -c 70000 /dev/zero | tr '\0' ' ' >"$WORK/huge"
verifier "$WORK/huge" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "stdin over 64 KiB: denied" 1 "kMaxVerifierStdinBytes"

verifier "$WORK/index.json" -name "$REF" -digest "$INDEX" -stdin-media-type text/plain
expect_decision "another stdin media type: denied" 1 "stdin media type"
verifier "$WORK/index.json" -name "$REF" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "missing -digest: denied" 1 "missing -digest"
verifier "$WORK/index.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE" -extra 1
expect_decision "unknown flag: denied" 1 "unexpected argument"
verifier "$WORK/index.json" -name "$REF" -digest
expect_decision "flag without a value: denied" 1 "needs a value"
verifier "$WORK/index.json" -name "$REF" -digest "sha256:ZZZ" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "malformed digest: denied" 1 "denied"
SHA512=sha512:$(printf 'x' | sha512sum | cut -d' ' -f1)
descriptor "$SHA512" >"$WORK/sha512.json"
verifier "$WORK/sha512.json" -name "$REF" -digest "$SHA512" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "sha512 digest (no verdicts kept for it): denied" 1 "sha256"

LONGNAME=$(head -c 40000 /dev/zero | tr '\0' 'n')
verifier "$WORK/index.json" -name "$LONGNAME" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
size=$(wc -c <"$WORK/last.out")
if [ "$RC" -eq 0 ] && [ "$size" -le 4097 ]; then pass "a 40 KB image name: the reason stays bounded ($size bytes)"; else
    fail "a 40 KB image name: exit $RC, $size bytes on stdout"; fi

# The trust store changes: verdicts made under the old one no longer allow.
VERIFIER_TRUST="$WORK/trust2"
mkdir -p "$VERIFIER_TRUST"
printf '{"version": 1, "default": "audit", "scopes": []}\n' >"$VERIFIER_TRUST/policy.json"
verifier "$WORK/index.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "verdict made under an older trust store: denied" 1 "verified again"
VERIFIER_TRUST="$WORK/no-such-trust"
verifier "$WORK/index.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "trust store missing: denied" 1 "trust store"
mkdir -p "$WORK/bad-trust" && printf '{"version": 1, "default": "maybe"}\n' >"$WORK/bad-trust/policy.json"
VERIFIER_TRUST="$WORK/bad-trust"
verifier "$WORK/index.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "trust store invalid: denied" 1 "trust store"
unset VERIFIER_TRUST

# A state directory that does not exist: nothing was admitted.
STATE_SAVED=$STATE
STATE="$WORK/no-state"
verifier "$WORK/index.json" -name "$REF" -digest "$INDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "missing state directory: denied" 1 "never admitted"
STATE=$STATE_SAVED

# A verdict file replaced by a symlink to an admitted one is not followed.
ln -s "$STATE/verdicts/sha256/${INDEX#sha256:}.json" "$STATE/verdicts/sha256/${STRANGER#sha256:}.json"
verifier "$WORK/stranger.json" -name "$REF" -digest "$STRANGER" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "verdict symlinked from another digest: denied" 1 "symlink"

# --- install -> verifier -> list -> remove, with a real containerd. An audit default admits the
# unsigned multi-platform fixture; install writes verdicts for the index and the platform manifest.
containerd_start
STATE="$WORK/installed-state"
AUDIT_TRUST="$WORK/audit-trust"
mkdir -p "$AUDIT_TRUST"
printf '{"version":1,"default":"audit","scopes":[]}\n' >"$AUDIT_TRUST/policy.json"
M=$(fixture_copy multiarch "$WORK/multiarch")
MREF=registry.example.com/fleet/multi:1.0
EV_PREFIX=(env EDGEVERIFY_STATE_DIR="$STATE")
run_ev install --trust "$AUDIT_TRUST" --containerd-address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE" \
    "oci:$M:multi" --reference "$MREF" --platform linux/amd64 --json
check_eq "install of the index (audit default): exit 0" "$RC" 0
[ "$RC" -eq 0 ] || _show_run
MINDEX=$(ctr_images_ls_digest "$MREF")
MMANIFEST=$(jget "$WORK/last.out" 'd["images"][0]["manifestDigest"]' 2>/dev/null || true)
VERIFIER_TRUST="$AUDIT_TRUST"
descriptor "$MINDEX" >"$WORK/mindex.json"
verifier "$WORK/mindex.json" -name "$MREF" -digest "$MINDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "installed index digest (what containerd resolves): allowed, audit" 0 "audit"
descriptor "$MMANIFEST" "$MANIFEST_TYPE" >"$WORK/mmanifest.json"
verifier "$WORK/mmanifest.json" -name "$MREF" -digest "$MMANIFEST" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "installed platform manifest digest: allowed" 0 "allowed"

EV_PREFIX=(env EDGEVERIFY_STATE_DIR="$STATE" EDGEVERIFY_TRUST_DIR="$AUDIT_TRUST")
run_ev list --json
check_eq "list --json: exit 0" "$RC" 0
check_eq "list --json: index and manifest, both current" \
    "$(jget "$WORK/last.out" 'sorted([i["role"], i["current"], i["reference"]] for i in d["images"])')" \
    "[[\"index\", true, \"$MREF\"], [\"manifest\", true, \"$MREF\"]]"
run_ev list --trust "$TRUST"
if [ "$RC" -eq 0 ] && grep -q "not current: $MINDEX" "$WORK/last.out"; then pass "list under another trust store: not current"; else
    fail "list under another trust store: not current"; _show_run; fi

# A stale verdict whose containerd name was re-used by this later install: remove leaves the image.
REF="$MREF" write_verdict "$STRANGER" manifest true enforce
run_ev remove "$STRANGER" --containerd-address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE"
check_eq "remove of a stale verdict whose name now holds another image: exit 0" "$RC" 0
check_eq "remove of a stale verdict: the re-used name's image stays" "$(ctr_images_ls_digest "$MREF")" "$MINDEX"
check_eq "remove of a stale verdict: its verdict is gone" "$(ls "$STATE/verdicts/sha256/" | wc -l | tr -d ' ')" 2

run_ev remove "$MMANIFEST" --containerd-address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE"
check_eq "remove by the manifest digest: exit 0" "$RC" 0
[ "$RC" -eq 0 ] || _show_run
check_eq "remove: containerd no longer holds the image" "$(ctr_images_ls_digest "$MREF")" ""
check_eq "remove: index and manifest verdicts gone" \
    "$(ls "$STATE/verdicts/sha256/" | wc -l | tr -d ' ')" 0
verifier "$WORK/mindex.json" -name "$MREF" -digest "$MINDEX" -stdin-media-type "$DESCRIPTOR_TYPE"
expect_decision "removed index digest: denied" 1 "never admitted"
run_ev remove "$MINDEX" --containerd-address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE"
check_eq "remove of a digest no longer admitted: exit 1" "$RC" 1
EV_PREFIX=()
unset VERIFIER_TRUST

finish
