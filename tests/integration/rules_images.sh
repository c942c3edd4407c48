# Images for the image-rules and inspect tests (sourced after lib.sh by test_rules.sh and
# test_inspect.sh): built with umoci in $WORK, signed with openssl as cosign .sig manifests.
#
#   $RULES/layout:risky  2 layers. Layer 0: busybox, setuid usr/bin/suidhelper (4755), a
#                        world-writable dir data/ (0777, no sticky bit), a sticky tmp/ (1777, fine),
#                        a char device dev/null0 (1:3), a Debian-like var/lib/dpkg/status (3
#                        paragraphs, 2 installed) and etc/os-release. Layer 1: app/hello.txt.
#                        No config User (root), created 10 days ago, manifest annotations
#                        base.digest sha256:bbbb..., base.name docker.io/library/debian:12, version 1.2.0.
#   $RULES/layout:clean  1 layer, busybox only, User 1000:1000, created now, no annotations.
#   $RULES/trust         keys/release.pub and a policy writer (rules_policy RULES_JSON [MODE]).
require_tools openssl base64

RULES="$WORK/rules"
REF=registry.example.com/fleet/app:1.0
BASE_DIGEST="sha256:$(printf 'b%.0s' $(seq 64))"

_rules_rootfs() {  # ROOTFS
    local r=$1
    mkdir -p "$r/bin" "$r/etc" "$r/usr/bin"
    cp /bin/busybox "$r/bin/busybox"
    ln -s busybox "$r/bin/sh"
}

_build_rules_images() {
    mkdir -p "$RULES"
    (
        cd "$RULES"
        umoci init --layout layout
        umoci new --image layout:risky
        umoci unpack --image layout:risky bundle >/dev/null
        local r=bundle/rootfs
        _rules_rootfs "$r"
        printf '#!/bin/sh\necho privileged\n' >"$r/usr/bin/suidhelper"
        chmod 4755 "$r/usr/bin/suidhelper"
        mkdir -p "$r/data" "$r/tmp" "$r/dev" "$r/var/lib/dpkg"
        chmod 0777 "$r/data"
        chmod 1777 "$r/tmp"
        mknod "$r/dev/null0" c 1 3
        printf 'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\nDescription: GNU C Library\n shared libraries\n\nPackage: oldpkg\nStatus: deinstall ok config-files\nVersion: 0.9\n\nPackage: busybox\nStatus: install ok installed\nVersion: 1:1.35.0-4\n' \
            >"$r/var/lib/dpkg/status"
        printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' >"$r/etc/os-release"
        umoci repack --image layout:risky bundle
        rm -rf bundle
        mkdir -p src/app
        printf 'hello\n' >src/app/hello.txt
        umoci insert --image layout:risky src/app /app
        umoci config --image layout:risky --created "$(date -u -d '10 days ago' +%Y-%m-%dT%H:%M:%SZ)" \
            --manifest.annotation "org.opencontainers.image.base.digest=$BASE_DIGEST" \
            --manifest.annotation org.opencontainers.image.base.name=docker.io/library/debian:12 \
            --manifest.annotation org.opencontainers.image.version=1.2.0

        umoci new --image layout:clean
        umoci unpack --image layout:clean bundle >/dev/null
        _rules_rootfs bundle/rootfs
        umoci repack --image layout:clean bundle
        rm -rf bundle
        umoci config --image layout:clean --config.user 1000:1000 --created "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        umoci gc --layout layout
    ) >/dev/null || bail "building the rules images failed"
    mkdir -p "$RULES/trust/keys"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$RULES/release.key" 2>/dev/null
    openssl pkey -in "$RULES/release.key" -pubout -out "$RULES/trust/keys/release.pub" 2>/dev/null
    local tag digest
    for tag in risky clean; do
        digest=$(jget "$RULES/layout/index.json" "[m['digest'] for m in d['manifests'] if m.get('annotations',{}).get('org.opencontainers.image.ref.name')=='$tag'][0]")
        printf '{"critical":{"identity":{"docker-reference":"registry.example.com/fleet/app"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
            "$digest" >"$RULES/$tag.payload"
        ocitool add-cosign-sig "$RULES/layout" "$digest" "$RULES/$tag.payload" \
            "$(openssl dgst -sha256 -sign "$RULES/release.key" "$RULES/$tag.payload" | base64 -w0)" >/dev/null
        eval "DIGEST_${tag^^}=$digest"
    done
}
_build_rules_images

# rules_policy RULES_JSON [SCOPE_MODE]: writes $RULES/trust/policy.json with one scope.
rules_policy() {
    printf '{"version":1,"default":"reject","scopes":[{"name":"fleet","match":"registry.example.com/fleet/*","mode":"%s","signatures":{"signers":[{"name":"release","key":"keys/release.pub"}]},"rules":%s}]}\n' \
        "${2:-enforce}" "$1" >"$RULES/trust/policy.json"
}
