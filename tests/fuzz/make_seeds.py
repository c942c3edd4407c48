#!/usr/bin/env python3
"""Writes the seed inputs of tests/fuzz/corpus/<target>/ (docs/testing.md "Fuzzing").

Every seed is made here: JSON and CBOR by hand with the standard library, certificates, a CRL,
keys and signatures with the openssl CLI. Nothing is copied from elsewhere. Certificates and
signatures change on each run (new keys); the DSSE and checkpoint seeds are signed with
seed_key.pem, the test-only key whose public half fuzz_dsse_envelope.cpp holds.
Usage: tests/fuzz/make_seeds.py   (rewrites tests/fuzz/corpus/)
"""
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
SEED_KEY = os.path.join(HERE, "seed_key.pem")
WORK = tempfile.mkdtemp(prefix="edgeverify-seeds.")


def b64(data):
    return base64.b64encode(data).decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, check=True, capture_output=True).stdout


def path(name):
    return os.path.join(WORK, name)


def write(target, name, content):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    with open(os.path.join(CORPUS, target, name), "wb") as out:
        out.write(content)


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


# --- keys, certificates and a CRL (openssl) ---------------------------------------------------

def make_pki():
    with open(path("ca.cnf"), "w") as cnf:
        cnf.write("""[ca]
default_ca = seeds
[seeds]
database = %s
crlnumber = %s
default_md = sha256
default_crl_days = 30
[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
crlDistributionPoints = URI:http://crl.example.com/ca.crl
[v3_fulcio]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = critical, URI:https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main
1.3.6.1.4.1.57264.1.1 = ASN1:FORMAT:UTF8,UTF8String:https://token.actions.githubusercontent.com
1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:https://token.actions.githubusercontent.com
[v3_sct]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = email:release@example.com
1.3.6.1.4.1.11129.2.4.2 = DER:%s
[v3_tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
""" % (path("index.txt"), path("crlnumber"), sct_extension_value().hex()))
    open(path("index.txt"), "w").close()
    with open(path("crlnumber"), "w") as f:
        f.write("01\n")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path("ca.key"))
    openssl("req", "-x509", "-new", "-key", path("ca.key"), "-subj", "/C=US/ST=WA/O=Seeds/CN=Seed Root",
            "-days", "3650", "-config", path("ca.cnf"), "-extensions", "v3_ca", "-out", path("ca.pem"))
    for name, ext, subject in (("leaf", "v3_leaf", "/C=US/ST=WA/O=Seeds/CN=release"),
                               ("fulcio", "v3_fulcio", "/O=sigstore.dev"),
                               ("sct", "v3_sct", "/O=sigstore.dev"),
                               ("tsa", "v3_tsa", "/C=US/O=Seeds/CN=Seed TSA")):
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path(name + ".key")) \
            if name == "leaf" else \
            openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path(name + ".key"))
        openssl("req", "-new", "-key", path(name + ".key"), "-subj", subject, "-out", path(name + ".csr"))
        openssl("x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "365", "-extfile", path("ca.cnf"), "-extensions", ext,
                "-out", path(name + ".pem"))
    openssl("ca", "-config", path("ca.cnf"), "-keyfile", path("ca.key"), "-cert", path("ca.pem"),
            "-revoke", path("leaf.pem"))
    openssl("ca", "-config", path("ca.cnf"), "-keyfile", path("ca.key"), "-cert", path("ca.pem"),
            "-gencrl", "-out", path("ca.crl"))


def sct_extension_value():
    """An OCTET STRING wrapping a TLS SignedCertificateTimestampList of two SCTs (RFC 6962 3.3)."""
    scts = b""
    for index in range(2):
        signature = bytes.fromhex("3006020101020101")  # a placeholder: parsing does not verify
        sct = (b"\x00" + hashlib.sha256(b"ct log %d" % index).digest() + (1767225600000).to_bytes(8, "big") +
               b"\x00\x00" + b"\x04\x03" + len(signature).to_bytes(2, "big") + signature)
        scts += len(sct).to_bytes(2, "big") + sct
    tls = len(scts).to_bytes(2, "big") + scts
    return b"\x04" + bytes([len(tls)]) + tls


def der(name):
    return openssl("x509", "-in", path(name + ".pem"), "-outform", "DER")


def spki_der(key_file):
    return openssl("pkey", "-in", key_file, "-pubout", "-outform", "DER")


def sign(key_file, message):
    with open(path("message"), "wb") as f:
        f.write(message)
    return openssl("dgst", "-sha256", "-sign", key_file, path("message"))


# --- targets ----------------------------------------------------------------------------------

def seeds_sct():
    write("sct", "list.bin", sct_extension_value())
    write("sct", "fulcio-with-scts.der", der("sct"))


def seeds_x509():
    for name in ("ca", "leaf", "fulcio", "tsa", "sct"):
        write("x509_certificate", name + ".der", der(name))
        with open(path(name + ".pem"), "rb") as f:
            write("x509_certificate", name + ".pem", f.read())
    with open(path("ca.crl"), "rb") as f:
        write("x509_crl", "ca.crl.pem", f.read())
    write("x509_crl", "ca.crl.der", openssl("crl", "-in", path("ca.crl"), "-outform", "DER"))


def seeds_json():
    write("json_strict", "object.json", '{"a":[1,-2,3.5e10,true,false,null],"b":{"c":"\\u00e9\\n\\"x"}}')
    write("json_strict", "nested.json", "[[[[[[{\"k\":[]}]]]]]]")
    write("json_strict", "duplicate.json", '{"a":1,"a":2}')
    write("json_strict", "surrogates.json", '["\\ud83d\\ude00","\\udc00",18446744073709551616,-0.0]')


def cbor_head(major, value):
    if value < 24:
        return bytes([major << 5 | value])
    for extra, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | extra]) + value.to_bytes(width, "big")
    raise ValueError(value)


def cbor(value):
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if value is None:
        return b"\xf6"
    if isinstance(value, int):
        return cbor_head(0, value) if value >= 0 else cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return cbor_head(2, len(value)) + value
    if isinstance(value, str):
        return cbor_head(3, len(value.encode())) + value.encode()
    if isinstance(value, list):
        return cbor_head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return cbor_head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    if isinstance(value, tuple):  # (tag, item)
        return cbor_head(6, value[0]) + cbor(value[1])
    raise TypeError(value)


NOTATION_PAYLOAD = dumps({"targetArtifact": {
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": "sha256:" + hashlib.sha256(b"manifest").hexdigest(), "size": 528}}).encode()


def seeds_notation():
    leaf, ca = der("leaf"), der("ca")
    protected = cbor({1: -37, 2: ["io.cncf.notary.signingScheme"],
                      3: "application/vnd.cncf.notary.payload.v1+json",
                      "io.cncf.notary.signingScheme": "notary.x509",
                      "io.cncf.notary.signingTime": (1, 1767225600)})
    to_sign = cbor(["Signature1", protected, b"", NOTATION_PAYLOAD])
    signature = sign(path("leaf.key"), to_sign)  # PKCS#1 v1.5 bytes: a placeholder the parser does not verify
    envelope = cbor((18, [protected, {33: [leaf, ca], "io.cncf.notary.signingAgent": "seeds/1.0"},
                          NOTATION_PAYLOAD, signature]))
    write("notation_cose", "x509.cose", envelope)
    write("cbor", "x509.cose", envelope)
    write("cbor", "protected.cbor", protected)
    authority = cbor({1: -7, 2: ["io.cncf.notary.signingScheme", "io.cncf.notary.authenticSigningTime",
                                 "io.cncf.notary.expiry"],
                      3: "application/vnd.cncf.notary.payload.v1+json",
                      "io.cncf.notary.signingScheme": "notary.x509.signingAuthority",
                      "io.cncf.notary.authenticSigningTime": (1, 1767225600),
                      "io.cncf.notary.expiry": (1, 1798761600)})
    write("notation_cose", "signing-authority.cose",
          cbor((18, [authority, {33: der("fulcio")}, NOTATION_PAYLOAD, b"\x01" * 64])))
    write("cbor", "kinds.cbor", cbor([0, 23, 24, 255, 65536, 1 << 40, -1, -(1 << 33), b"", "", True, None, {}]))

    header = dumps({"alg": "PS256", "cty": "application/vnd.cncf.notary.payload.v1+json",
                    "crit": ["io.cncf.notary.signingScheme"],
                    "io.cncf.notary.signingScheme": "notary.x509",
                    "io.cncf.notary.signingTime": "2026-01-01T00:00:00+08:00"}).encode()
    signing_input = (b64url(header) + "." + b64url(NOTATION_PAYLOAD)).encode()
    jws = {"payload": b64url(NOTATION_PAYLOAD), "protected": b64url(header),
           "header": {"x5c": [b64(leaf), b64(ca)], "io.cncf.notary.signingAgent": "seeds/1.0"},
           "signature": b64url(sign(path("leaf.key"), signing_input))}
    write("notation_jws", "x509.jws", dumps(jws))


def checkpoint(origin, size, root, key_file, name):
    body = "%s\n%d\n%s\n" % (origin, size, b64(root))
    hint = hashlib.sha256(spki_der(key_file)).digest()[:4]
    return body + "\n\u2014 %s %s\n" % (name, b64(hint + sign(key_file, body.encode())))


def seeds_checkpoint():
    root = hashlib.sha256(b"\x01root").digest()
    note = checkpoint("rekor.example.com - 1193050959916656506", 42, root, SEED_KEY, "rekor.example.com")
    write("checkpoint", "ecdsa.note", note)
    write("checkpoint", "extension.note",
          note.replace("\n\n", "\nTimestamp: 1767225600\n\n", 1) + "\u2014 witness AAAAAAAA\n")


def tlog_entry(body, with_proof, leaf_der):
    entry = {"logIndex": "7", "logId": {"keyId": b64(hashlib.sha256(spki_der(SEED_KEY)).digest())},
             "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"}, "integratedTime": "1767225600",
             "inclusionPromise": {"signedEntryTimestamp": b64(sign(SEED_KEY, body))},
             "canonicalizedBody": b64(body)}
    if with_proof:
        root = hashlib.sha256(b"\x00" + body).digest()
        entry["inclusionProof"] = {"logIndex": "0", "rootHash": b64(root), "treeSize": "1", "hashes": [],
                                   "checkpoint": {"envelope": checkpoint("rekor.example.com", 1, root, SEED_KEY,
                                                                         "rekor.example.com")}}
    return entry


def seeds_bundles():
    artifact = b"hello, edge"
    digest = hashlib.sha256(artifact).digest()
    signature = sign(SEED_KEY, artifact)
    body = dumps({"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
        "data": {"hash": {"algorithm": "sha256", "value": digest.hex()}},
        "signature": {"content": b64(signature), "publicKey": {"content": b64(openssl(
            "pkey", "-in", SEED_KEY, "-pubout"))}}}}).encode()
    message = {"messageDigest": {"algorithm": "SHA2_256", "digest": b64(digest)}, "signature": b64(signature)}
    for minor, proof in ((1, False), (2, True), (3, True)):
        write("sigstore_bundle", "key-v0.%d.json" % minor, dumps({
            "mediaType": "application/vnd.dev.sigstore.bundle%s" % (
                ".v0.3+json" if minor == 3 else "+json;version=0.%d" % minor),
            "verificationMaterial": {"publicKey": {"hint": b64(hashlib.sha256(spki_der(SEED_KEY)).digest())},
                                     "tlogEntries": [tlog_entry(body, proof, None)]},
            "messageSignature": message}))
    write("sigstore_bundle", "keyless-v0.3.json", dumps({
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"certificate": {"rawBytes": b64(der("fulcio"))},
                                 "tlogEntries": [tlog_entry(body, True, der("fulcio"))],
                                 "timestampVerificationData": {"rfc3161Timestamps": [
                                     {"signedTimestamp": b64(b"\x30\x03\x02\x01\x00")}]}},
        "messageSignature": message}))
    write("sigstore_bundle", "chain-v0.2.json", dumps({
        "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.2",
        "verificationMaterial": {"x509CertificateChain": {"certificates": [
            {"rawBytes": b64(der("fulcio"))}, {"rawBytes": b64(der("ca"))}]},
            "tlogEntries": [tlog_entry(body, True, None)]},
        "messageSignature": message}))
    statement = dumps({"_type": "https://in-toto.io/Statement/v1",
                       "subject": [{"name": "registry.example.com/app", "digest": {"sha256": digest.hex()}}],
                       "predicateType": "https://sigstore.dev/cosign/sign/v1", "predicate": {}}).encode()
    write("sigstore_bundle", "dsse-v0.3.json", dumps({
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"publicKey": {"hint": ""}, "tlogEntries": []},
        "dsseEnvelope": {"payload": b64(statement), "payloadType": "application/vnd.in-toto+json",
                         "signatures": [{"sig": b64(sign(SEED_KEY, dsse_pae(
                             "application/vnd.in-toto+json", statement))), "keyid": ""}]}}))
    write("intoto_statement", "cosign-sign.json", statement)
    write("intoto_statement", "v0.1.json", dumps({
        "_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://slsa.dev/provenance/v0.2",
        "subject": [{"digest": {"sha256": digest.hex(), "sha512": hashlib.sha512(artifact).hexdigest()}}],
        "predicate": {}}))
    write("intoto_statement", "trivy-vuln.json", dumps({
        "_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://cosign.sigstore.dev/attestation/vuln/v1",
        "subject": [{"name": "app", "digest": {"sha256": digest.hex()}}],
        "predicate": {"invocation": {}, "scanner": {"uri": "pkg:github/aquasecurity/trivy@0.50.0", "version": "0.50.0",
                      "result": {"SchemaVersion": 2, "Results": [{"Target": "app", "Vulnerabilities": [
                          {"VulnerabilityID": "CVE-2026-0001", "PkgName": "openssl", "InstalledVersion": "3.0.1",
                           "FixedVersion": "3.0.2", "Severity": "CRITICAL"}]}]}},
                      "metadata": {"scanStartedOn": "2026-01-01T00:00:00Z", "scanFinishedOn": "2026-01-01T00:01:00Z"}}}))
    envelope = {"payloadType": "application/vnd.in-toto+json", "payload": b64(statement),
                "signatures": [{"keyid": "seed", "sig": b64(sign(SEED_KEY, dsse_pae(
                    "application/vnd.in-toto+json", statement)))}]}
    write("dsse_envelope", "signed.json", dumps(envelope))
    envelope["signatures"].insert(0, {"sig": b64(b"\x30\x06\x02\x01\x01\x02\x01\x01")})
    write("dsse_envelope", "two-signatures.json", dumps(envelope))


def dsse_pae(payload_type, payload):
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(payload), payload)


def seeds_trusted_root():
    key = spki_der(SEED_KEY)
    write("trusted_root", "trusted_root.json", dumps({
        "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
        "tlogs": [{"baseUrl": "https://rekor.example.com", "hashAlgorithm": "SHA2_256",
                   "publicKey": {"rawBytes": b64(key), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                                 "validFor": {"start": "2026-01-01T00:00:00Z"}},
                   "logId": {"keyId": b64(hashlib.sha256(key).digest())}}],
        "certificateAuthorities": [{"subject": {"organization": "sigstore.dev", "commonName": "sigstore"},
                                    "uri": "https://fulcio.example.com",
                                    "certChain": {"certificates": [{"rawBytes": b64(der("ca"))}]},
                                    "validFor": {"start": "2026-01-01T00:00:00Z", "end": "2036-01-01T00:00:00.5Z"}}],
        "ctlogs": [{"baseUrl": "https://ctfe.example.com", "hashAlgorithm": "SHA2_256",
                    "publicKey": {"rawBytes": b64(key), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                                  "validFor": {"start": "2026-01-01T00:00:00Z"}},
                    "logId": {"keyId": b64(hashlib.sha256(key).digest())}}],
        "timestampAuthorities": [{"subject": {"organization": "Seeds", "commonName": "Seed TSA"},
                                  "certChain": {"certificates": [{"rawBytes": b64(der("tsa"))},
                                                                 {"rawBytes": b64(der("ca"))}]},
                                  "validFor": {"start": "2026-01-01T00:00:00Z"}}]}))


def seeds_oci():
    def descriptor(media_type, content, **extra):
        return dict({"mediaType": media_type, "digest": "sha256:" + hashlib.sha256(content).hexdigest(),
                     "size": len(content)}, **extra)
    config = dumps({"architecture": "arm64", "os": "linux", "variant": "v8", "created": "2026-01-01T00:00:00Z",
                    "config": {"User": "1000:1000", "Labels": {"a": "b"}},
                    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "ab" * 32]}}).encode()
    manifest = dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": descriptor("application/vnd.oci.image.config.v1+json", config),
                      "layers": [descriptor("application/vnd.oci.image.layer.v1.tar+gzip", b"layer",
                                            annotations={"k": "v"}, urls=["https://example.com/l"])],
                      "subject": descriptor("application/vnd.oci.image.manifest.v1+json", b"subject"),
                      "annotations": {"org.opencontainers.image.created": "2026-01-01T00:00:00Z"}}).encode()
    index = dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": [descriptor("application/vnd.oci.image.manifest.v1+json", manifest,
                                            platform={"os": "linux", "architecture": "arm64", "variant": "v8"},
                                            annotations={"org.opencontainers.image.ref.name": "1.0"}),
                                 descriptor("application/vnd.oci.image.manifest.v1+json", b"x",
                                            artifactType="application/vnd.dev.sigstore.bundle.v0.3+json",
                                            data=b64(b"x"))]})
    write("oci_document", "config.json", config)
    write("oci_document", "manifest.json", manifest)
    write("oci_document", "index.json", index)
    write("oci_document", "docker-manifest.json", dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": descriptor("application/vnd.docker.container.image.v1+json", config),
        "layers": [descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", b"layer")]}))
    write("oci_document", "docker-archive-manifest.json", dumps([
        {"Config": "blobs/sha256/" + "ab" * 32, "RepoTags": ["app:1.0"], "Layers": ["blobs/sha256/" + "cd" * 32]}]))


def seeds_policy():
    write("trust_policy", "policy.json", json.dumps({
        "version": 1, "default": "reject", "scopes": [
            {"name": "fleet", "match": "registry.example.com/fleet/*", "mode": "enforce",
             "signatures": {"threshold": 2, "requireTransparencyLog": False, "signers": [
                 {"name": "release", "key": "keys/release.pub"},
                 {"name": "ci", "sigstore": {"issuer": "https://token.actions.githubusercontent.com",
                                             "identityRegExp": "^https://github.com/acme/"}},
                 {"name": "pki", "x509": {"trustStore": "ca/acme", "subject": "C=US, ST=WA, O=Acme\\, Inc, CN=release"}}]},
             "rules": {}},
            {"name": "audit", "match": "docker.io/library/alpine", "mode": "audit",
             "signatures": {"threshold": 1, "signers": [{"name": "k", "key": "keys/k.pub"}]}}]}, indent=2))
    write("trust_policy", "audit-default.json", dumps({"version": 1, "default": "audit", "scopes": []}))


def seeds_tar():
    def archive(fmt, members):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
            for info, data in members:
                tar.addfile(info, io.BytesIO(data) if data is not None else None)
        return buf.getvalue()

    def entry(name, kind=tarfile.REGTYPE, data=None, mode=0o644, link="", **extra):
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.linkname, info.mtime = kind, mode, link, 1767225600
        if data is not None:
            info.size = len(data)
        for key, value in extra.items():
            setattr(info, key, value)
        return info, data

    common = [entry("etc/", tarfile.DIRTYPE, mode=0o755), entry("etc/passwd", data=b"root:x:0:0::/root:/bin/sh\n"),
              entry("usr/bin/su", data=b"\x7fELF", mode=0o4755), entry("bin/sh", tarfile.SYMTYPE, link="/bin/busybox"),
              entry("tmp/.wh.old", data=b""), entry("dev/null", tarfile.CHRTYPE, devmajor=1, devminor=3),
              entry("var/lib/dpkg/status", data=b"Package: busybox\nStatus: install ok installed\nVersion: 1.36\n\n")]
    long_name = "d/" + "n" * 150 + "/file"
    ustar = archive(tarfile.USTAR_FORMAT, common)
    write("layer_tar", "ustar.tar", ustar)
    write("layer_tar", "gnu.tar", archive(tarfile.GNU_FORMAT, common + [entry(long_name, data=b"x" * 600),
                                                                       entry("big", data=b"", uid=1 << 40)]))
    pax = archive(tarfile.PAX_FORMAT, common + [entry(long_name, data=b"y", pax_headers={"comment": "seed"}),
                                                entry("link", tarfile.LNKTYPE, link="../../etc/shadow")])
    write("layer_tar", "pax.tar", pax)
    write("tar_header", "ustar-header", ustar[:512])
    write("tar_header", "pax-header", pax[:512] + b"30 mtime=1767225600.123456789\n20 path=a/b/c/d/e/fgh\n")
    write("tar_header", "gnu-base256", archive(tarfile.GNU_FORMAT, [entry("big", data=b"", uid=1 << 40)])[:512])


def seeds_timestamp():
    with open(path("tsa.cnf"), "w") as cnf:
        cnf.write("""[tsa]
default_tsa = seeds
[seeds]
serial = %s
signer_cert = %s
signer_key = %s
certs = %s
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500
ess_cert_id_alg = sha256
""" % (path("tsaserial"), path("tsa.pem"), path("tsa.key"), path("ca.pem")))
    with open(path("tsaserial"), "w") as f:
        f.write("01\n")
    with open(path("signature"), "wb") as f:
        f.write(b"signature bytes")
    for name, extra in (("with-certs", ["-cert"]), ("no-certs", [])):
        openssl("ts", "-query", "-data", path("signature"), "-sha256", *extra, "-out", path("query.tsq"))
        openssl("ts", "-reply", "-config", path("tsa.cnf"), "-queryfile", path("query.tsq"),
                "-out", path("reply.tsr"))
        with open(path("reply.tsr"), "rb") as f:
            write("timestamp", name + ".tsr", f.read())
        openssl("ts", "-reply", "-config", path("tsa.cnf"), "-queryfile", path("query.tsq"),
                "-token_out", "-out", path("token.der"))
        with open(path("token.der"), "rb") as f:
            write("timestamp", name + ".token", f.read())


def main():
    try:
        shutil.rmtree(CORPUS, ignore_errors=True)
        make_pki()
        seeds_x509()
        seeds_json()
        seeds_notation()
        seeds_checkpoint()
        seeds_bundles()
        seeds_trusted_root()
        seeds_oci()
        seeds_policy()
        seeds_tar()
        seeds_timestamp()
        seeds_sct()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    for target in sorted(os.listdir(CORPUS)):
        print("%-18s %d seeds" % (target, len(os.listdir(os.path.join(CORPUS, target)))))


if __name__ == "__main__":
    main()
