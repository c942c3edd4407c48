################################################################################
#
# edgeverify
#
################################################################################

EDGEVERIFY_VERSION = 0.1.0
# Builds from this tree (the BR2_EXTERNAL lives in its firmware/buildroot folder).
EDGEVERIFY_SITE = $(BR2_EXTERNAL_EDGEVERIFY_PATH)/../..
EDGEVERIFY_SITE_METHOD = local
EDGEVERIFY_LICENSE = CLOSED
EDGEVERIFY_DEPENDENCIES = mbedtls libarchive libuv nettle json-for-modern-cpp libhttpparser host-pkgconf
# Buildroot strips the target files itself (BR2_STRIP_strip), and keeps them whole for debugging
# when that is off: the link does not strip.
EDGEVERIFY_CONF_OPTS = -DEDGEVERIFY_BUILD_TESTS=OFF -DEDGEVERIFY_BUILD_SERVER=OFF -DEDGEVERIFY_STRIP=OFF

ifeq ($(BR2_PACKAGE_EDGEVERIFY_STATIC),y)
EDGEVERIFY_CONF_OPTS += -DEDGEVERIFY_STATIC=ON
else ifeq ($(BR2_PACKAGE_EDGEVERIFY_MINSIZE),y)
# Against the shared libarchive: a BR2_SHARED_LIBS build has no libarchive.a.
EDGEVERIFY_CONF_OPTS += -DEDGEVERIFY_MINSIZE=ON -DEDGEVERIFY_LIBARCHIVE_STATIC=OFF
endif

define EDGEVERIFY_INSTALL_DEVICE_FILES
	$(INSTALL) -D -m 0644 $(@D)/firmware/etc/edgeverify/agent.json $(TARGET_DIR)/etc/edgeverify/agent.json
	$(INSTALL) -D -m 0644 $(@D)/firmware/etc/edgeverify/trust/policy.json $(TARGET_DIR)/etc/edgeverify/trust/policy.json
	$(INSTALL) -d -m 0755 $(TARGET_DIR)/etc/edgeverify/trust/keys
	$(INSTALL) -D -m 0644 $(@D)/firmware/containerd/image-verifier.toml $(TARGET_DIR)/etc/containerd/conf.d/edgeverify-image-verifier.toml
	$(INSTALL) -d $(TARGET_DIR)/opt/containerd/image-verifier/bin
	ln -sf /usr/bin/edgeverify $(TARGET_DIR)/opt/containerd/image-verifier/bin/edgeverify
endef
EDGEVERIFY_POST_INSTALL_TARGET_HOOKS += EDGEVERIFY_INSTALL_DEVICE_FILES

define EDGEVERIFY_INSTALL_INIT_SYSTEMD
	$(INSTALL) -D -m 0644 $(@D)/firmware/systemd/edgeverify-agent.service \
		$(TARGET_DIR)/usr/lib/systemd/system/edgeverify-agent.service
	$(INSTALL) -D -m 0644 $(@D)/firmware/containerd/containerd-edgeverify.conf \
		$(TARGET_DIR)/usr/lib/systemd/system/containerd.service.d/edgeverify.conf
endef

$(eval $(cmake-package))
