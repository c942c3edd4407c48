# Raspberry Pi 4 (BCM2711, Cortex-A72), 64-bit OS. Also runs on a Pi 5 (Cortex-A76 implements
# everything A72 code uses); boards/rpi5-arm64.cmake tunes for the A76.
set(EDGEVERIFY_BOARD_CPU_FLAGS "-mcpu=cortex-a72")
set(EDGEVERIFY_BOARD_ARCH aarch64)
