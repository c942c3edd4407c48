# Raspberry Pi 5 (BCM2712, Cortex-A76), 64-bit OS. ARMv8.2-A: the SHA-256 instructions nettle
# uses at run time are present on both Pi 4 and Pi 5 only when the kernel reports "sha2".
set(EDGEVERIFY_BOARD_CPU_FLAGS "-mcpu=cortex-a76")
set(EDGEVERIFY_BOARD_ARCH aarch64)
