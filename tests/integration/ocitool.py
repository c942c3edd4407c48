#!/usr/bin/env python3
"""Small, independent helpers for the integration tests: inspect an OCI image layout, tamper with
it while keeping every *other* digest consistent (re-hash the edited document and rewrite the
descriptors that point at it, up to index.json), build multi-arch indexes by hand, and edit tar
archives entry by entry. Python standard library only; never imports edgeverify code.

Usage: ocitool.py COMMAND ARGS...   (see the subcommand table at the bottom)
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MT_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_TYPES = (MT_INDEX, MT_DOCKER_LIST)
MANIFEST_TYPES = (MT_MANIFEST, MT_DOCKER_MANIFEST)


def die(msg):
    sys.stderr.write("ocitool: " + msg + "\n")
    sys.exit(2)


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def dumps(doc):
    # Compact like umoci/skopeo write them.
    return json.dumps(doc, separators=(",", ":")).encode()


class Layout:
    def __init__(self, root):
        self.root = root
        if not os.path.isfile(os.path.join(root, "index.json")):
            die(root + ": not an OCI layout (no index.json)")

    def blob_path(self, digest):
        algo, hexpart = digest.split(":", 1)
        return os.path.join(self.root, "blobs", algo, hexpart)

    def read_blob(self, digest):
        with open(self.blob_path(digest), "rb") as f:
            return f.read()

    def write_blob(self, data):
        digest = sha256(data)
        path = self.blob_path(digest)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return digest

    def index(self):
        with open(os.path.join(self.root, "index.json"), "rb") as f:
            return json.loads(f.read())

    def write_index(self, doc):
        with open(os.path.join(self.root, "index.json"), "wb") as f:
            f.write(dumps(doc))

    def json_blobs(self):
        """Every blob that is an index or manifest document (the possible parents of a descriptor)."""
        out = []
        base = os.path.join(self.root, "blobs", "sha256")
        for name in sorted(os.listdir(base)):
            path = os.path.join(base, name)
            if os.path.islink(path) or os.path.getsize(path) > 4 * 1024 * 1024:
                continue
            with open(path, "rb") as f:
                data = f.read()
            try:
                doc = json.loads(data)
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(doc, dict) and ("manifests" in doc or "layers" in doc):
                out.append(("sha256:" + name, doc))
        return out

    def image_entry(self, ref=None):
        """index.json descriptor of the (only, or named) image."""
        entries = self.index()["manifests"]
        if ref is not None:
            entries = [e for e in entries
                       if e.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref]
        if len(entries) != 1:
            die("expected exactly one index.json entry%s, found %d" % (" for " + ref if ref else "", len(entries)))
        return entries[0]

    def manifest_digest(self, ref=None):
        entry = self.image_entry(ref)
        if entry["mediaType"] in INDEX_TYPES:
            die("image entry is an index; name a platform manifest directly")
        return entry["digest"]

    def manifest(self, ref=None):
        return json.loads(self.read_blob(self.manifest_digest(ref)))

    def config(self, ref=None):
        return json.loads(self.read_blob(self.manifest(ref)["config"]["digest"]))

    def replace_blob(self, old_digest, new_data, keep_old=False):
        """Store new_data, then rewrite every descriptor naming old_digest (in index.json and in
        index/manifest blobs), re-hashing those parents in turn, so the whole graph stays consistent."""
        new_digest = self.write_blob(new_data)
        self._repoint(old_digest, new_digest, len(new_data))
        if not keep_old and new_digest != old_digest and os.path.exists(self.blob_path(old_digest)):
            os.unlink(self.blob_path(old_digest))
        return new_digest

    def _repoint(self, old_digest, new_digest, new_size):
        def fix(descs):
            changed = False
            for d in descs:
                if isinstance(d, dict) and d.get("digest") == old_digest:
                    d["digest"] = new_digest
                    d["size"] = new_size
                    changed = True
            return changed

        idx = self.index()
        if fix(idx.get("manifests", [])):
            self.write_index(idx)
        for digest, doc in self.json_blobs():
            if digest == new_digest:
                continue
            changed = fix(doc.get("manifests", []))
            changed |= fix(doc.get("layers", []))
            if isinstance(doc.get("config"), dict):
                changed |= fix([doc["config"]])
            if changed:
                self.replace_blob(digest, dumps(doc))

    def rewrite_json_blob(self, digest, edit):
        doc = json.loads(self.read_blob(digest))
        edit(doc)
        return self.replace_blob(digest, dumps(doc))


def parse_value(text):
    """Values on the command line are JSON when they parse as JSON, else strings."""
    try:
        return json.loads(text)
    except ValueError:
        return text


# ---------------------------------------------------------------- subcommands: signatures

def cmd_add_cosign_sig(args):
    """add-cosign-sig LAYOUT TAG_DIGEST PAYLOAD_FILE SIGNATURE_B64...: add a cosign legacy
    signature manifest (one simple-signing layer per signature, all over the same payload file)
    tagged sha256-<hex of TAG_DIGEST>.sig, written the way cosign writes it."""
    lay = Layout(args[0])
    tag_digest, payload_file, signatures = args[1], args[2], args[3:]
    with open(payload_file, "rb") as f:
        payload = f.read()
    payload_digest = lay.write_blob(payload)
    config = dumps({"architecture": "", "os": "", "config": {},
                    "rootfs": {"type": "layers", "diff_ids": [payload_digest] * len(signatures)}})
    config_digest = lay.write_blob(config)
    layers = [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "digest": payload_digest,
               "size": len(payload), "annotations": {"dev.cosignproject.cosign/signature": sig}}
              for sig in signatures]
    manifest = dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": config_digest, "size": len(config)},
                      "layers": layers})
    manifest_digest = lay.write_blob(manifest)
    index_path = os.path.join(lay.root, "index.json")
    with open(index_path) as f:
        index = json.load(f)
    index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "digest": manifest_digest, "size": len(manifest),
                               "annotations": {"org.opencontainers.image.ref.name":
                                               tag_digest.replace(":", "-", 1) + ".sig"}})
    with open(index_path, "wb") as f:
        f.write(dumps(index))
    print(manifest_digest)


def cmd_add_cosign_att(args):
    """add-cosign-att LAYOUT TAG_DIGEST PREDICATE_TYPE ENVELOPE_FILE...: add a cosign legacy
    attestation manifest tagged sha256-<hex of TAG_DIGEST>.att, one DSSE envelope layer
    (application/vnd.dsse.envelope.v1+json) per file, annotated as cosign attest writes them (an
    empty dev.cosignproject.cosign/signature and the predicateType)."""
    lay = Layout(args[0])
    tag_digest, predicate_type, files = args[1], args[2], args[3:]
    layers = []
    for path in files:
        with open(path, "rb") as f:
            envelope = f.read()
        layers.append({"mediaType": "application/vnd.dsse.envelope.v1+json", "digest": lay.write_blob(envelope),
                       "size": len(envelope),
                       "annotations": {"dev.cosignproject.cosign/signature": "", "predicateType": predicate_type}})
    config = dumps({"architecture": "", "os": "", "config": {},
                    "rootfs": {"type": "layers", "diff_ids": [layer["digest"] for layer in layers]}})
    config_digest = lay.write_blob(config)
    manifest = dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": config_digest, "size": len(config)},
                      "layers": layers})
    manifest_digest = lay.write_blob(manifest)
    index_path = os.path.join(lay.root, "index.json")
    with open(index_path) as f:
        index = json.load(f)
    index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "digest": manifest_digest, "size": len(manifest),
                               "annotations": {"org.opencontainers.image.ref.name":
                                               tag_digest.replace(":", "-", 1) + ".att"}})
    with open(index_path, "wb") as f:
        f.write(dumps(index))
    print(manifest_digest)


# ---------------------------------------------------------------- subcommands: inspection

def cmd_info(args):
    """info LAYOUT [REF]: JSON summary of one image (manifest digest, config digest, layers, diff_ids)."""
    lay = Layout(args[0])
    ref = args[1] if len(args) > 1 else None
    mdigest = lay.manifest_digest(ref)
    man = json.loads(lay.read_blob(mdigest))
    cfg = json.loads(lay.read_blob(man["config"]["digest"]))
    print(json.dumps({
        "manifestDigest": mdigest,
        "configDigest": man["config"]["digest"],
        "layers": man["layers"],
        "diffIds": cfg["rootfs"]["diff_ids"],
        "platform": cfg.get("os", "") + "/" + cfg.get("architecture", ""),
    }))


def cmd_jq(args):
    """jq FILE EXPR: evaluate a Python expression over the JSON document d (stdin when FILE is -)."""
    data = sys.stdin.read() if args[0] == "-" else open(args[0]).read()
    d = json.loads(data)
    value = eval(args[1], {"d": d, "len": len, "set": set, "sorted": sorted})  # noqa: S307 (test helper)
    print(value if isinstance(value, str) else json.dumps(value))


def cmd_archive_info(args):
    """archive-info TAR: like info, for an oci-archive (reads index.json, manifest, config from the tar)."""
    with tarfile.open(args[0]) as tar:
        def read(name):
            return tar.extractfile(name).read()
        idx = json.loads(read("index.json"))
        entries = idx["manifests"]
        if len(entries) != 1:
            die("expected one image in the archive")
        mdigest = entries[0]["digest"]
        man = json.loads(read("blobs/sha256/" + mdigest.split(":")[1]))
        cfg = json.loads(read("blobs/sha256/" + man["config"]["digest"].split(":")[1]))
    print(json.dumps({"manifestDigest": mdigest, "configDigest": man["config"]["digest"],
                      "layers": man["layers"], "diffIds": cfg["rootfs"]["diff_ids"]}))


# ---------------------------------------------------------------- subcommands: consistent tampering

def cmd_set_diff_id(args):
    """set-diff-id LAYOUT N VALUE: config rootfs.diff_ids[N] = VALUE; config, manifest, index re-hashed."""
    lay = Layout(args[0])
    n, value = int(args[1]), args[2]
    cfg_digest = lay.manifest()["config"]["digest"]

    def edit(cfg):
        cfg["rootfs"]["diff_ids"][n] = value
    print(lay.rewrite_json_blob(cfg_digest, edit))


def cmd_set_layer(args):
    """set-layer LAYOUT N FIELD VALUE: manifest layers[N].FIELD = VALUE; manifest and index re-hashed."""
    lay = Layout(args[0])
    n, field, value = int(args[1]), args[2], parse_value(args[3])

    def edit(man):
        man["layers"][n][field] = value
    print(lay.rewrite_json_blob(lay.manifest_digest(), edit))


def cmd_set_config_desc(args):
    """set-config-desc LAYOUT FIELD VALUE: manifest config.FIELD = VALUE; manifest and index re-hashed."""
    lay = Layout(args[0])
    field, value = args[1], parse_value(args[2])

    def edit(man):
        man["config"][field] = value
    print(lay.rewrite_json_blob(lay.manifest_digest(), edit))


def cmd_set_manifest(args):
    """set-manifest LAYOUT FIELD VALUE: top-level manifest FIELD = VALUE; manifest and index re-hashed."""
    lay = Layout(args[0])
    field, value = args[1], parse_value(args[2])

    def edit(man):
        man[field] = value
    print(lay.rewrite_json_blob(lay.manifest_digest(), edit))


def cmd_set_index_entry(args):
    """set-index-entry LAYOUT FIELD VALUE: index.json manifests[0].FIELD = VALUE (index.json is not hashed)."""
    lay = Layout(args[0])
    field, value = args[1], parse_value(args[2])
    idx = lay.index()
    if len(idx["manifests"]) != 1:
        die("expected one index.json entry")
    idx["manifests"][0][field] = value
    lay.write_index(idx)


def cmd_flip(args):
    """flip FILE [OFFSET|middle|last]: XOR one byte with 0x01 in place; prints the offset."""
    path = args[0]
    where = args[1] if len(args) > 1 else "middle"
    size = os.path.getsize(path)
    if size == 0:
        die(path + ": empty")
    offset = size // 2 if where == "middle" else size - 1 if where == "last" else int(where)
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x01]))
    print(offset)


def cmd_replace_bytes(args):
    """replace-bytes FILE OLD NEW: replace the only occurrence of OLD with NEW (same length) in place."""
    path, old, new = args[0], args[1].encode(), args[2].encode()
    if len(old) != len(new):
        die("OLD and NEW must have the same length")
    data = open(path, "rb").read()
    if data.count(old) != 1:
        die("%s: %r occurs %d times, expected once" % (path, old, data.count(old)))
    with open(path, "wb") as f:
        f.write(data.replace(old, new))


# ---------------------------------------------------------------- subcommands: multi-arch index

def cmd_make_index(args):
    """make-index LAYOUT TAG REF=os/arch[/variant]...: write an OCI image index blob listing the
    manifests of the given tags with their platforms, drop those tags from index.json and point a
    single index.json entry TAG at the new index (the shape `skopeo copy --all` gives a multi-arch
    image in an OCI layout). Neither umoci 0.4.7 nor skopeo 1.9 can create an index from local
    images, so it is written here by hand."""
    lay = Layout(args[0])
    tag = args[1]
    entries = []
    idx = lay.index()
    refs = []
    for spec in args[2:]:
        ref, plat = spec.split("=", 1)
        parts = plat.split("/")
        entry = lay.image_entry(ref)
        desc = {"mediaType": entry["mediaType"], "digest": entry["digest"], "size": entry["size"],
                "platform": {"architecture": parts[1], "os": parts[0]}}
        if len(parts) > 2:
            desc["platform"]["variant"] = parts[2]
        entries.append(desc)
        refs.append(ref)
    doc = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": entries}
    data = dumps(doc)
    digest = lay.write_blob(data)
    idx["manifests"] = [e for e in idx["manifests"]
                        if e.get("annotations", {}).get("org.opencontainers.image.ref.name") not in refs]
    idx["manifests"].append({"mediaType": MT_INDEX, "digest": digest, "size": len(data),
                             "annotations": {"org.opencontainers.image.ref.name": tag}})
    lay.write_index(idx)
    print(digest)


# ---------------------------------------------------------------- subcommands: tar archives

def _copy_member(out, tar, member, data=None):
    m = tarfile.TarInfo(member.name)
    for attr in ("mode", "uid", "gid", "mtime", "type", "linkname", "uname", "gname"):
        setattr(m, attr, getattr(member, attr))
    if member.isfile():
        if data is None:
            data = tar.extractfile(member).read()
        m.size = len(data)
        out.addfile(m, io.BytesIO(data))
    else:
        out.addfile(m)


def cmd_tar_edit(args):
    """tar-edit IN OUT [OPS...]: copy a tar entry by entry (format GNU, entries in order) applying:
      --drop NAME              leave the entry out
      --replace NAME=FILE      new content for the entry
      --append NAME=FILE       add an entry at the end (may duplicate an existing name: python
                               tarfile writes the name verbatim, '../x' and '/x' included)
      --append-dir NAME        add a directory entry at the end
      --first NAME=FILE        add an entry before all others
      --order reverse          write the original entries in reverse order
    """
    src, dst, ops = args[0], args[1], args[2:]
    drop, replace, append, first = set(), {}, [], []
    reverse = False
    i = 0
    while i < len(ops):
        op, val = ops[i], ops[i + 1]
        i += 2
        if op == "--drop":
            drop.add(val)
        elif op == "--replace":
            k, v = val.split("=", 1)
            replace[k] = v
        elif op == "--append":
            k, v = val.split("=", 1)
            append.append((k, v, False))
        elif op == "--append-dir":
            append.append((val, None, True))
        elif op == "--order":
            if val != "reverse":
                die("tar-edit: --order takes 'reverse'")
            reverse = True
        elif op == "--first":
            k, v = val.split("=", 1)
            first.append((k, v))
        else:
            die("tar-edit: unknown op " + op)

    def add_new(out, name, path, is_dir=False):
        m = tarfile.TarInfo(name)
        m.mtime = 0
        if is_dir:
            m.type = tarfile.DIRTYPE
            m.mode = 0o755
            out.addfile(m)
            return
        data = open(path, "rb").read()
        m.size = len(data)
        m.mode = 0o644
        out.addfile(m, io.BytesIO(data))

    seen = set()
    with tarfile.open(src) as tar, tarfile.open(dst, "w", format=tarfile.GNU_FORMAT) as out:
        for name, path in first:
            add_new(out, name, path)
        members = tar.getmembers()
        if reverse:
            members = members[::-1]
        for member in members:
            if member.name in drop:
                seen.add(member.name)
                continue
            if member.name in replace:
                seen.add(member.name)
                _copy_member(out, tar, member, open(replace[member.name], "rb").read())
                continue
            _copy_member(out, tar, member)
        for name, path, is_dir in append:
            add_new(out, name, path, is_dir)
    missing = (drop | set(replace)) - seen
    if missing:
        die("tar-edit: no such entries: " + ", ".join(sorted(missing)))


def cmd_tar_flip(args):
    """tar-flip TAR MEMBER: XOR the byte in the middle of MEMBER's data with 0x01, in place."""
    path, name = args[0], args[1]
    with tarfile.open(path) as tar:
        member = tar.getmember(name)
        offset = member.offset_data + member.size // 2
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x01]))
    print(offset)


def cmd_tar_names(args):
    """tar-names TAR: one entry name per line, in archive order."""
    with tarfile.open(args[0]) as tar:
        for m in tar.getmembers():
            print(m.name)


def cmd_tar_member_end(args):
    """tar-member-end TAR MEMBER: byte offset where MEMBER's data ends."""
    with tarfile.open(args[0]) as tar:
        m = tar.getmember(args[1])
        print(m.offset_data + m.size)


# ---------------------------------------------------------------- subcommands: hostile JSON and data

def cmd_big_index(args):
    """big-index OUT BYTES: a valid index.json padded by an annotation to more than BYTES bytes."""
    out, size = args[0], int(args[1])
    doc = {"schemaVersion": 2, "manifests": [], "annotations": {"pad": "x" * size}}
    open(out, "wb").write(dumps(doc))


def cmd_deep_index(args):
    """deep-index OUT DEPTH: a syntactically valid index.json with DEPTH nested arrays."""
    out, depth = args[0], int(args[1])
    nested = "[" * depth + "]" * depth
    open(out, "wb").write(('{"schemaVersion":2,"manifests":[],"annotations":{},"x":' + nested + "}").encode())


def cmd_gzip_file(args):
    """gzip-file IN OUT: gzip IN to OUT (level 6)."""
    with open(args[0], "rb") as f, gzip.open(args[1], "wb", compresslevel=6) as g:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            g.write(chunk)


def cmd_layer_stats(args):
    """layer-stats BLOB: entry counts of a (gzip, zstd or plain) layer tar as Python's tarfile sees
    them, plus setuid paths and whiteout paths. A tar that ends right after the last entry's data
    (umoci 0.4.7 insert layers) is read up to that point."""
    import subprocess
    raw = open(args[0], "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    elif raw[:4] == b"\x28\xb5\x2f\xfd":
        raw = subprocess.run(["zstd", "-dc"], input=raw, capture_output=True, check=True).stdout
    stats = {"entries": 0, "regularFiles": 0, "directories": 0, "symlinks": 0, "hardlinks": 0,
             "whiteouts": 0, "setuid": [], "whiteoutPaths": []}
    tar = tarfile.open(fileobj=io.BytesIO(raw), mode="r:")
    try:
        for m in tar:
            stats["entries"] += 1
            base = m.name.rsplit("/", 1)[-1]
            if base.startswith(".wh."):
                pass  # a whiteout marker (a regular file in tar terms) counts as a whiteout only
            elif m.isdir():
                stats["directories"] += 1
            elif m.issym():
                stats["symlinks"] += 1
            elif m.islnk():
                stats["hardlinks"] += 1
            elif m.isfile():
                stats["regularFiles"] += 1
            if base.startswith(".wh."):
                stats["whiteouts"] += 1
                stats["whiteoutPaths"].append(m.name)
            if m.mode & 0o4000:
                stats["setuid"].append(m.name)
    except tarfile.ReadError:
        pass
    print(json.dumps(stats))


# ---------------------------------------------------------------- subcommands: referrers

def cmd_add_blob(args):
    """add-blob LAYOUT FILE...: store each FILE's bytes as a blob, unlisted (as cosign save
    leaves referrers); prints each digest."""
    if len(args) < 2:
        die("usage: add-blob LAYOUT FILE...")
    layout = Layout(args[0])
    for path in args[1:]:
        with open(path, "rb") as f:
            print(layout.write_blob(f.read()))


def cmd_add_index_entry(args):
    """add-index-entry LAYOUT MEDIATYPE DIGEST [ref=NAME] [artifactType=TYPE]: append a
    descriptor of an existing blob to index.json (size from the blob)."""
    if len(args) < 3:
        die("usage: add-index-entry LAYOUT MEDIATYPE DIGEST [ref=NAME] [artifactType=TYPE]")
    layout = Layout(args[0])
    entry = {"mediaType": args[1], "digest": args[2], "size": len(layout.read_blob(args[2]))}
    for option in args[3:]:
        key, _, value = option.partition("=")
        if key == "ref":
            entry["annotations"] = {"org.opencontainers.image.ref.name": value}
        elif key == "artifactType":
            entry["artifactType"] = value
        else:
            die("add-index-entry: unknown option " + option)
    idx = layout.index()
    idx.setdefault("manifests", []).append(entry)
    layout.write_index(idx)


COMMANDS = {
    "layer-stats": cmd_layer_stats,
    "info": cmd_info,
    "jq": cmd_jq,
    "archive-info": cmd_archive_info,
    "set-diff-id": cmd_set_diff_id,
    "set-layer": cmd_set_layer,
    "set-config-desc": cmd_set_config_desc,
    "set-manifest": cmd_set_manifest,
    "set-index-entry": cmd_set_index_entry,
    "flip": cmd_flip,
    "replace-bytes": cmd_replace_bytes,
    "make-index": cmd_make_index,
    "tar-edit": cmd_tar_edit,
    "tar-flip": cmd_tar_flip,
    "tar-names": cmd_tar_names,
    "tar-member-end": cmd_tar_member_end,
    "big-index": cmd_big_index,
    "deep-index": cmd_deep_index,
    "gzip-file": cmd_gzip_file,
    "add-cosign-sig": cmd_add_cosign_sig,
    "add-cosign-att": cmd_add_cosign_att,
    "add-blob": cmd_add_blob,
    "add-index-entry": cmd_add_index_entry,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die("usage: ocitool.py {" + ",".join(sorted(COMMANDS)) + "} ARGS...")
    COMMANDS[sys.argv[1]](sys.argv[2:])
