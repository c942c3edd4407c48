SUMMARY = "Offline container image verifier and admission agent for edge devices"
DESCRIPTION = "Verifies every digest, the signatures and the image rules of container images \
against an on-device trust store before containerd may run them, and reports signed verdicts."
HOMEPAGE = "https://edgeverify.dev"
# The project has no license file yet: CLOSED until it does (docs/cross-compiling.md).
LICENSE = "CLOSED"

# Builds from a checkout of this tree: in local.conf
#   INHERIT += "externalsrc"
#   EXTERNALSRC:pn-edgeverify = "/path/to/edgeverify"
# or point SRC_URI at the project's git repository and set SRCREV.
SRC_URI = "git://git.example.invalid/edgeverify.git;protocol=https;branch=main"
SRCREV = "${AUTOREV}"
S = "${WORKDIR}/git"

DEPENDS = "mbedtls libarchive libuv nettle nlohmann-json http-parser"

inherit cmake systemd pkgconfig

# EDGEVERIFY_STRIP=OFF: the build system strips and splits the debug info into ${PN}-dbg itself;
# a binary stripped at the link fails do_package's already-stripped QA check.
EXTRA_OECMAKE = "-DEDGEVERIFY_BUILD_TESTS=OFF -DEDGEVERIFY_BUILD_SERVER=OFF -DCMAKE_BUILD_TYPE=Release -DEDGEVERIFY_STRIP=OFF"
PACKAGECONFIG ??= ""
# static: the minimal static agent; minsize: the size-optimized dynamic one (docs/cross-compiling.md),
# against the shared libarchive (OE builds no static libraries by default: DISABLE_STATIC).
PACKAGECONFIG[static] = "-DEDGEVERIFY_STATIC=ON,-DEDGEVERIFY_STATIC=OFF"
PACKAGECONFIG[minsize] = "-DEDGEVERIFY_MINSIZE=ON -DEDGEVERIFY_LIBARCHIVE_STATIC=OFF,-DEDGEVERIFY_MINSIZE=OFF"

SYSTEMD_SERVICE:${PN} = "edgeverify-agent.service"
SYSTEMD_AUTO_ENABLE:${PN} = "enable"

do_install:append() {
    install -D -m 0644 ${S}/firmware/systemd/edgeverify-agent.service ${D}${systemd_system_unitdir}/edgeverify-agent.service
    install -D -m 0644 ${S}/firmware/etc/edgeverify/agent.json ${D}${sysconfdir}/edgeverify/agent.json
    install -D -m 0644 ${S}/firmware/etc/edgeverify/trust/policy.json ${D}${sysconfdir}/edgeverify/trust/policy.json
    install -d -m 0755 ${D}${sysconfdir}/edgeverify/trust/keys
    install -D -m 0644 ${S}/firmware/containerd/image-verifier.toml ${D}${sysconfdir}/containerd/conf.d/edgeverify-image-verifier.toml
    install -D -m 0644 ${S}/firmware/containerd/containerd-edgeverify.conf ${D}${systemd_system_unitdir}/containerd.service.d/edgeverify.conf
    # containerd allows every pull when its verifier bin_dir is empty: populate it.
    install -d ${D}/opt/containerd/image-verifier/bin
    ln -sf ${bindir}/edgeverify ${D}/opt/containerd/image-verifier/bin/edgeverify
}

PACKAGES =+ "${PN}-config ${PN}-trust-skeleton ${PN}-containerd"
FILES:${PN} += "${systemd_system_unitdir}/edgeverify-agent.service"
FILES:${PN}-config = "${sysconfdir}/edgeverify/agent.json"
FILES:${PN}-trust-skeleton = "${sysconfdir}/edgeverify/trust"
FILES:${PN}-containerd = "${sysconfdir}/containerd/conf.d ${systemd_system_unitdir}/containerd.service.d /opt/containerd"
CONFFILES:${PN}-config = "${sysconfdir}/edgeverify/agent.json"
CONFFILES:${PN}-trust-skeleton = "${sysconfdir}/edgeverify/trust/policy.json"
RDEPENDS:${PN} = "${PN}-config ${PN}-trust-skeleton"
RDEPENDS:${PN}-containerd = "${PN}"
RRECOMMENDS:${PN} = "${PN}-containerd"
