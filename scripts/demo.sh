#!/usr/bin/env bash
# `make demo`: builds a small image with umoci (busybox inside), exports it with skopeo as an
# oci-archive, verifies it, then flips one byte of a layer and shows the rejection.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
edgeverify="$build_dir/src/edgeverify"
work="$build_dir/demo"
rm -rf "$work" && mkdir -p "$work"

echo "--- building a sample image with umoci (busybox, 2 layers) ---"
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$work/policy.json"
umoci init --layout "$work/oci" >/dev/null
umoci new --image "$work/oci:demo" >/dev/null
umoci unpack --rootless --image "$work/oci:demo" "$work/bundle" >/dev/null
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/etc"
cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
ln -s busybox "$work/bundle/rootfs/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$work/bundle/rootfs/etc/passwd"
umoci repack --image "$work/oci:demo" "$work/bundle" >/dev/null
mkdir -p "$work/app" && echo "hello from the demo" >"$work/app/hello.txt"
umoci insert --rootless --image "$work/oci:demo" "$work/app" /app >/dev/null
umoci config --image "$work/oci:demo" --config.user 1000 --config.cmd /bin/sh >/dev/null
skopeo --policy "$work/policy.json" copy -q "oci:$work/oci:demo" "oci-archive:$work/demo.tar:example.com/demo/app:1.0"
echo "image: $work/demo.tar ($(stat -c %s "$work/demo.tar") bytes)"

echo
echo "--- edgeverify verify $work/demo.tar --integrity-only ---"
"$edgeverify" verify "$work/demo.tar" --integrity-only
echo "exit code: $?"

echo
echo "--- the same archive with one byte of a layer flipped ---"
python3 - "$work/demo.tar" "$work/tampered.tar" <<'PY'
import sys, tarfile, io, json
src, dst = sys.argv[1], sys.argv[2]
with tarfile.open(src) as tin, tarfile.open(dst, "w") as tout:
    index = json.load(tin.extractfile("index.json"))
    manifest_digest = index["manifests"][0]["digest"].split(":")[1]
    manifest = json.load(tin.extractfile("blobs/sha256/" + manifest_digest))
    victim = "blobs/sha256/" + manifest["layers"][-1]["digest"].split(":")[1]
    for member in tin.getmembers():
        data = tin.extractfile(member).read() if member.isfile() else None
        if member.name == victim:
            data = bytearray(data); data[len(data) // 2] ^= 0x01; data = bytes(data)
        tout.addfile(member, io.BytesIO(data) if data is not None else None)
PY
set +e
"$edgeverify" verify "$work/tampered.tar" --integrity-only
rc=$?
set -e
echo "exit code: $rc (1 = rejected)"
[ "$rc" -eq 1 ]
