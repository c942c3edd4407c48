# NXP i.MX8M Mini (4x Cortex-A53 with the ARMv8 crypto extensions), 64-bit Yocto/Debian images.
set(EDGEVERIFY_BOARD_CPU_FLAGS "-mcpu=cortex-a53+crypto")
set(EDGEVERIFY_BOARD_ARCH aarch64)
