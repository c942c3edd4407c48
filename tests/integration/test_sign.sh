#!/usr/bin/env bash
# `edgeverify keygen` and `edgeverify sign`: the key pair openssl accepts, signatures written into
# a copy of a skopeo layout and into skopeo's oci-archive that edgeverify's verifier admits, that
# openssl verifies on its own, and that leave a layout and an archive umoci and skopeo still read;
# `sign --bundle` referrers with cosign v3's manifest fields.
source "$(dirname "$0")/lib.sh"
require_tools openssl base64 stat

REF=registry.example.com/fleet/app:1.0
REPO=registry.example.com/fleet/app
MANIFEST=$(jget "$FIX/single/index.json" 'd["manifests"][0]["digest"]')

# --- keygen
mkdir -p "$WORK/keys"
run_ev keygen --out "$WORK/keys/release"
check_eq "keygen: exit 0" "$RC" 0
check_eq "keygen: private key mode 0600" "$(stat -c %a "$WORK/keys/release.key" 2>/dev/null)" 600
check_eq "keygen: PKCS#8 PEM" "$(head -n1 "$WORK/keys/release.key")" "-----BEGIN PRIVATE KEY-----"
check_eq "keygen: SPKI PEM" "$(head -n1 "$WORK/keys/release.pub")" "-----BEGIN PUBLIC KEY-----"
expect_exit 0 -- openssl pkey -in "$WORK/keys/release.key" -noout
if openssl pkey -in "$WORK/keys/release.key" -noout -text 2>/dev/null | grep -q "NIST CURVE: P-256"; then
    pass "keygen: the key is ECDSA P-256"
else
    fail "keygen: the key is ECDSA P-256"
fi
check_eq "keygen: .pub is the key's public half" \
    "$(openssl pkey -in "$WORK/keys/release.key" -pubout 2>/dev/null)" "$(cat "$WORK/keys/release.pub")"
BEFORE=$(sha256sum "$WORK/keys/release.key")
run_ev keygen --out "$WORK/keys/release"
if [ "$RC" -eq 2 ] && grep -q "already exists; refusing to overwrite" "$WORK/last.err"; then
    pass "keygen: refuses to overwrite an existing key (exit 2)"
else
    fail "keygen: refuses to overwrite an existing key"
    _show_run
fi
check_eq "keygen: the existing key is untouched" "$(sha256sum "$WORK/keys/release.key")" "$BEFORE"
printf 'x\n' >"$WORK/keys/half.pub"
run_ev keygen --out "$WORK/keys/half"
check_eq "keygen: an existing .pub is refused too (exit 2)" "$RC" 2
check_eq "keygen: no .key left behind" "$([ -e "$WORK/keys/half.key" ] && echo yes || echo no)" no
run_ev keygen
check_eq "keygen: --out is required (exit 2)" "$RC" 2

# A trust store holding the new public key.
mkdir -p "$WORK/trust/keys"
cp "$WORK/keys/release.pub" "$WORK/trust/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"registry.example.com/fleet/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' >"$WORK/trust/policy.json"

# --- sign
L=$(fixture_copy single "$WORK/signed")
run_ev verify "$L" --trust "$WORK/trust" --reference "$REF"
check_eq "unsigned copy is refused before signing (exit 1)" "$RC" 1

run_ev sign "$L" --key "$WORK/keys/release.key" --reference "$REF" --json
check_eq "sign: exit 0" "$RC" 0
check_eq "sign: result" "$(jget "$WORK/last.out" 'd["result"]')" signed
check_eq "sign: the manifest digest signed" "$(jget "$WORK/last.out" 'd["signed"][0]["manifestDigest"]')" "$MANIFEST"
check_eq "sign: the tag" "$(jget "$WORK/last.out" 'd["signed"][0]["tag"]')" "sha256-${MANIFEST#sha256:}.sig"
SIGMAN=$(jget "$WORK/last.out" 'd["signed"][0]["signatureManifest"]')
check_eq "sign: index.json tags the signature manifest" \
    "$(jget "$L/index.json" "[m['digest'] for m in d['manifests'] if m.get('annotations',{}).get('org.opencontainers.image.ref.name')=='sha256-${MANIFEST#sha256:}.sig']")" "[\"$SIGMAN\"]"
check_eq "sign: no temporary files left" "$(find "$L" -name '.edgeverify-tmp-*' | wc -l)" 0

# (a) edgeverify's verifier admits it.
run_ev verify "$L" --trust "$WORK/trust" --reference "$REF" --json
check_eq "verify --trust admits the signed layout (exit 0)" "$RC" 0
check_eq "verify --trust: signer release" "$(jget "$WORK/last.out" 'd["images"][0]["trust"]["satisfiedSigners"]')" '["release"]'

# (b) openssl verifies the signature on its own, over the payload blob's exact bytes.
"$PYTHON" - "$L" "$SIGMAN" "$WORK" <<'PY'
import base64, json, sys
layout, digest, work = sys.argv[1:4]
blob = lambda d: open(f"{layout}/blobs/sha256/{d.split(':', 1)[1]}", "rb").read()
manifest = json.loads(blob(digest))
layer = manifest["layers"][0]
open(f"{work}/payload", "wb").write(blob(layer["digest"]))
open(f"{work}/sig.der", "wb").write(base64.b64decode(layer["annotations"]["dev.cosignproject.cosign/signature"], validate=True))
open(f"{work}/sigman.json", "w").write(json.dumps(manifest))
PY
expect_exit 0 -- openssl dgst -sha256 -verify "$WORK/keys/release.pub" -signature "$WORK/sig.der" "$WORK/payload"
check_eq "openssl: Verified OK" "$(cat "$WORK/last.out")" "Verified OK"
check_eq "payload: cosign's exact bytes" "$(cat "$WORK/payload")" \
    "{\"critical\":{\"identity\":{\"docker-reference\":\"$REPO\"},\"image\":{\"docker-manifest-digest\":\"$MANIFEST\"},\"type\":\"cosign container image signature\"},\"optional\":null}"
check_eq "signature manifest: one simple-signing layer" "$(jget "$WORK/sigman.json" '[l["mediaType"] for l in d["layers"]]')" '["application/vnd.dev.cosign.simplesigning.v1+json"]'
CONFIG=$(jget "$WORK/sigman.json" 'd["config"]["digest"]')
check_eq "signature config: diff_ids name the payload" "$(jget "$(blob_file "$L" "$CONFIG")" 'd["rootfs"]["diff_ids"]')" \
    "[\"$(jget "$WORK/sigman.json" 'd["layers"][0]["digest"]')\"]"

# (c) openssl accepts the key (checked above), and the key signs what openssl verifies.
# (d) still a valid OCI layout for edgeverify, umoci and skopeo.
expect_verified "the signed layout keeps its integrity" -- "$L"
expect_exit 0 -- umoci ls --layout "$L"
if grep -qx "1.0" "$WORK/last.out" && grep -qx "sha256-${MANIFEST#sha256:}.sig" "$WORK/last.out"; then
    pass "umoci ls lists the image tag and the signature tag"
else
    fail "umoci ls lists the image tag and the signature tag"
    _show_run
fi
expect_exit 0 -- "${SKOPEO[@]}" inspect "oci:$L:1.0"

# Signing again appends a second signature to the same .sig manifest (as cosign does).
run_ev keygen --out "$WORK/keys/second"
run_ev sign "$L" --key "$WORK/keys/second.key" --reference "$REF" --json
check_eq "second sign: exit 0" "$RC" 0
check_eq "second sign: appended" "$(jget "$WORK/last.out" '[d["signed"][0]["appended"], d["signed"][0]["signatures"]]')" '[true, 2]'
check_eq "second sign: still one .sig entry in index.json" \
    "$(jget "$L/index.json" "len([m for m in d['manifests'] if m.get('annotations',{}).get('org.opencontainers.image.ref.name','').endswith('.sig')])")" 1
run_ev verify "$L" --trust "$WORK/trust" --reference "$REF"
check_eq "verify --trust still admits it after the second signature" "$RC" 0

# Human output.
L2=$(fixture_copy single "$WORK/human")
run_ev sign "$L2" --key "$WORK/keys/release.key" --reference "$REF"
if [ "$RC" -eq 0 ] && grep -q "^signed $MANIFEST .*as $REPO: sha256-" "$WORK/last.out"; then
    pass "sign: human output names digest, repository and tag"
else
    fail "sign: human output"
    _show_run
fi

# --- refused
T=$(fixture_copy single "$WORK/tampered")
LAYER=$(jget "$(blob_file "$T" "$MANIFEST")" 'd["layers"][0]["digest"]')
ocitool flip "$(blob_file "$T" "$LAYER")" middle >/dev/null
INDEX_BEFORE=$(sha256sum <"$T/index.json")
run_ev sign "$T" --key "$WORK/keys/release.key" --reference "$REF"
if [ "$RC" -eq 1 ] && grep -q "refusing to sign content that fails integrity" "$WORK/last.err"; then
    pass "sign refuses a tampered layout (exit 1)"
else
    fail "sign refuses a tampered layout (exit 1)"
    _show_run
fi
check_eq "the tampered layout's index.json is untouched" "$(sha256sum <"$T/index.json")" "$INDEX_BEFORE"

for compressed in image.oci.tar.gz image.docker.tar; do
    cp "$FIX/$compressed" "$WORK/refused-$compressed"
    BEFORE=$(sha256sum <"$WORK/refused-$compressed")
    case $compressed in *.gz) why="compressed" ;; *) why="docker-archive" ;; esac
    expect_error 2 usage "$why" -- sign "$WORK/refused-$compressed" --key "$WORK/keys/release.key" --reference "$REF"
    check_eq "$compressed is untouched" "$(sha256sum <"$WORK/refused-$compressed")" "$BEFORE"
done
expect_error 2 usage "--reference" -- sign "$(fixture_copy single "$WORK/noref")" --key "$WORK/keys/release.key"
printf 'not a key\n' >"$WORK/keys/bad.key"
run_ev sign "$(fixture_copy single "$WORK/badkey")" --key "$WORK/keys/bad.key" --reference "$REF"
check_eq "sign: an unparsable key is refused (exit 2)" "$RC" 2

# --- an oci-archive made by skopeo, signed in place
ARCHIVE_REPO=localhost/edgeverify/test
A="$WORK/image.oci.tar"
cp "$FIX/image.oci.tar" "$A"
mkdir -p "$WORK/trust-local/keys"
cp "$WORK/keys/release.pub" "$WORK/trust-local/keys/release.pub"
printf '{"version":1,"default":"reject","scopes":[{"name":"local","match":"localhost/edgeverify/*","mode":"enforce","signatures":{"threshold":1,"signers":[{"name":"release","key":"keys/release.pub"}]}}]}\n' >"$WORK/trust-local/policy.json"
run_ev verify "$A" --trust "$WORK/trust-local"
check_eq "unsigned oci-archive is refused before signing (exit 1)" "$RC" 1

# tar_listing ARCHIVE OUT: name, type and sha256 of every entry (python's tarfile, not libarchive).
tar_listing() {
    "$PYTHON" - "$1" >"$2" <<'PY'
import hashlib, sys, tarfile
with tarfile.open(sys.argv[1], "r:") as tar:
    for m in tar.getmembers():
        data = tar.extractfile(m).read() if m.isfile() else b""
        print(m.name, m.type.decode(), oct(m.mode & 0o7777), hashlib.sha256(data).hexdigest())
PY
}
tar_listing "$A" "$WORK/archive.before"

# The archive names its image fully (localhost/edgeverify/test:1.0): no --reference needed.
run_ev sign "$A" --key "$WORK/keys/release.key" --json
check_eq "sign oci-archive: exit 0" "$RC" 0
check_eq "sign oci-archive: the repository comes from the archive's ref name" "$(jget "$WORK/last.out" 'd["signed"][0]["reference"]')" "$ARCHIVE_REPO"
AMANIFEST=$(jget "$WORK/last.out" 'd["signed"][0]["manifestDigest"]')
ASIGMAN=$(jget "$WORK/last.out" 'd["signed"][0]["signatureManifest"]')
check_eq "sign oci-archive: no temporary files left" "$(find "$WORK" -maxdepth 1 -name '.edgeverify-tmp-*' | wc -l)" 0
tar_listing "$A" "$WORK/archive.after"
check_eq "sign oci-archive: every old entry but index.json is kept byte for byte" \
    "$(grep -v '^index.json ' "$WORK/archive.before" | while read -r line; do grep -qxF "$line" "$WORK/archive.after" || echo "lost: $line"; done)" ""
check_eq "sign oci-archive: three blobs added (payload, config, signature manifest)" \
    "$(($(wc -l <"$WORK/archive.after") - $(wc -l <"$WORK/archive.before")))" 3
check_eq "sign oci-archive: new entries are 0644 regular files" \
    "$(grep -vxF -f "$WORK/archive.before" "$WORK/archive.after" | awk '{print $2, $3}' | sort -u)" "0 0o644"

"$PYTHON" - "$A" "$ASIGMAN" "$WORK" <<'PY'
import base64, json, sys, tarfile
archive, digest, work = sys.argv[1:4]
with tarfile.open(archive, "r:") as tar:
    blob = lambda d: tar.extractfile(f"blobs/sha256/{d.split(':', 1)[1]}").read()
    index = json.loads(tar.extractfile("index.json").read())
    manifest = json.loads(blob(digest))
    layer = manifest["layers"][0]
    open(f"{work}/apayload", "wb").write(blob(layer["digest"]))
    open(f"{work}/asig.der", "wb").write(base64.b64decode(layer["annotations"]["dev.cosignproject.cosign/signature"], validate=True))
    json.dump(index, open(f"{work}/aindex.json", "w"))
PY
expect_exit 0 -- openssl dgst -sha256 -verify "$WORK/keys/release.pub" -signature "$WORK/asig.der" "$WORK/apayload"
check_eq "oci-archive: openssl Verified OK" "$(cat "$WORK/last.out")" "Verified OK"
check_eq "oci-archive payload: cosign's exact bytes for the archive's repository" "$(cat "$WORK/apayload")" \
    "{\"critical\":{\"identity\":{\"docker-reference\":\"$ARCHIVE_REPO\"},\"image\":{\"docker-manifest-digest\":\"$AMANIFEST\"},\"type\":\"cosign container image signature\"},\"optional\":null}"
check_eq "oci-archive index.json tags the signature manifest" \
    "$(jget "$WORK/aindex.json" "[m['digest'] for m in d['manifests'] if m.get('annotations',{}).get('org.opencontainers.image.ref.name')=='sha256-${AMANIFEST#sha256:}.sig']")" "[\"$ASIGMAN\"]"
expect_exit 0 -- "${SKOPEO[@]}" inspect "oci-archive:$A:localhost/edgeverify/test:1.0"
expect_verified "the signed oci-archive keeps its integrity" -- "$A"
run_ev verify "$A" --trust "$WORK/trust-local" --json
check_eq "verify --trust admits the signed oci-archive (exit 0)" "$RC" 0
check_eq "verify --trust oci-archive: signer release" "$(jget "$WORK/last.out" 'd["images"][0]["trust"]["satisfiedSigners"]')" '["release"]'
run_ev sign "oci-archive:$A" --key "$WORK/keys/second.key" --reference "$REF" --json
check_eq "oci-archive: a second signature (oci-archive: prefix, --reference) is appended" \
    "$(jget "$WORK/last.out" '[d["signed"][0]["appended"], d["signed"][0]["signatures"], d["signed"][0]["reference"]]')" \
    "[true, 2, \"$REPO\"]"

# --- sign --bundle: a key-based Sigstore bundle v0.3 referrer (cosign v3)
# check_referrer CONTAINER SUBJECT REPO: the referrer manifest, bundle and index entry, read from a
# layout directory or an oci-archive with python's json.
check_referrer() {
    "$PYTHON" - "$1" "$2" "$3" "$WORK/last.out" <<'PY'
import base64, json, os, sys, tarfile
where, subject, repo, out = sys.argv[1:5]
if os.path.isdir(where):
    read = lambda p: open(os.path.join(where, p), "rb").read()
else:
    tar = tarfile.open(where, "r:")
    read = lambda p: tar.extractfile(p).read()
blob = lambda d: read(f"blobs/sha256/{d.split(':', 1)[1]}")
result = json.load(open(out))["signed"][0]
problems = []
def want(what, got, expected):
    if got != expected: problems.append(f"{what}: {got!r} != {expected!r}")
ref = result["referrerManifest"]
subject_bytes = blob(subject)
m = json.loads(blob(ref))
want("mediaType", m.get("mediaType"), "application/vnd.oci.image.manifest.v1+json")
want("artifactType", m.get("artifactType"), "application/vnd.dev.sigstore.bundle.v0.3+json")
want("config", {k: m["config"].get(k) for k in ("mediaType", "digest", "size")},
     {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2})
want("config blob", blob(m["config"]["digest"]), b"{}")
want("layers", [l["mediaType"] for l in m["layers"]], ["application/vnd.dev.sigstore.bundle.v0.3+json"])
want("layer digest", m["layers"][0]["digest"], result["bundle"])
want("subject", m.get("subject"), {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": subject, "size": len(subject_bytes)})
a = m.get("annotations", {})
want("content annotation", a.get("dev.sigstore.bundle.content"), "dsse-envelope")
want("predicateType annotation", a.get("dev.sigstore.bundle.predicateType"), "https://sigstore.dev/cosign/sign/v1")
want("created annotation", len(a.get("org.opencontainers.image.created", "")), 20)
bundle = json.loads(blob(m["layers"][0]["digest"]))
want("bundle mediaType", bundle.get("mediaType"), "application/vnd.dev.sigstore.bundle.v0.3+json")
env = bundle.get("dsseEnvelope", {})
want("payloadType", env.get("payloadType"), "application/vnd.in-toto+json")
statement = json.loads(base64.b64decode(env.get("payload", "")))
want("statement subject", statement.get("subject"), [{"name": repo, "digest": {"sha256": subject.split(":", 1)[1]}}])
want("statement predicateType", statement.get("predicateType"), "https://sigstore.dev/cosign/sign/v1")
index = json.loads(read("index.json"))
entries = [e for e in index["manifests"] if e["digest"] == ref]
want("index entries for the referrer", len(entries), 1)
if entries:
    want("index entry has no ref name", "org.opencontainers.image.ref.name" in entries[0].get("annotations", {}), False)
    want("index entry size", entries[0].get("size"), len(blob(ref)))
print("; ".join(problems) if problems else "ok")
PY
}

B=$(fixture_copy single "$WORK/bundle")
run_ev sign "$B" --key "$WORK/keys/release.key" --reference "$REF" --bundle --json
check_eq "sign --bundle (layout): exit 0" "$RC" 0
check_eq "sign --bundle (layout): format" "$(jget "$WORK/last.out" 'd["format"]')" sigstore-bundle
check_eq "sign --bundle (layout): referrer manifest, bundle and index entry as cosign v3 writes them" \
    "$(check_referrer "$B" "$MANIFEST" "$REPO")" ok
"$PYTHON" - "$B" "$WORK" "$WORK/last.out" <<'PY'
import base64, json, sys
layout, work, out = sys.argv[1:4]
bundle = json.load(open(f"{layout}/blobs/sha256/{json.load(open(out))['signed'][0]['bundle'].split(':', 1)[1]}"))
env = bundle["dsseEnvelope"]
payload = base64.b64decode(env["payload"])
pae = b"DSSEv1 %d %s %d %s" % (len(env["payloadType"]), env["payloadType"].encode(), len(payload), payload)
open(f"{work}/pae", "wb").write(pae)
open(f"{work}/dsse.sig", "wb").write(base64.b64decode(env["signatures"][0]["sig"]))
PY
expect_exit 0 -- openssl dgst -sha256 -verify "$WORK/keys/release.pub" -signature "$WORK/dsse.sig" "$WORK/pae"
check_eq "sign --bundle: openssl verifies the DSSE signature over the PAE" "$(cat "$WORK/last.out")" "Verified OK"
expect_verified "the layout with a bundle referrer keeps its integrity" -- "$B"
expect_exit 0 -- umoci ls --layout "$B"
check_eq "umoci ls: still only the image tag (the referrer has none)" "$(cat "$WORK/last.out")" "1.0"
expect_exit 0 -- "${SKOPEO[@]}" copy --quiet "oci:$B:1.0" "oci:$WORK/bundle-copy:1.0"
expect_exit 0 -- "${SKOPEO[@]}" inspect "oci:$B:1.0"
# End to end: edgeverify's own verifier finds the referrer and admits the image on it alone.
expect_admitted "verify --trust admits the layout on its bundle referrer" release "referrer sha256:" -- \
    "$B" --trust "$WORK/trust" --reference "$REF"

BA="$WORK/bundle.oci.tar"
cp "$FIX/image.oci.tar" "$BA"
run_ev sign "oci-archive:$BA" --key "$WORK/keys/release.key" --bundle --json
check_eq "sign --bundle (oci-archive): exit 0" "$RC" 0
BAMANIFEST=$(jget "$WORK/last.out" 'd["signed"][0]["manifestDigest"]')
check_eq "sign --bundle (oci-archive): referrer manifest, bundle and index entry" \
    "$(check_referrer "$BA" "$BAMANIFEST" "$ARCHIVE_REPO")" ok
expect_exit 0 -- "${SKOPEO[@]}" inspect "oci-archive:$BA:localhost/edgeverify/test:1.0"
expect_verified "the oci-archive with a bundle referrer keeps its integrity" -- "$BA"
expect_admitted "verify --trust admits the oci-archive on its bundle referrer" release "referrer sha256:" -- \
    "$BA" --trust "$WORK/trust-local"

finish
