# BeagleBone Black (TI AM335x, Cortex-A8 with NEON), 32-bit ARMv7 hard-float. The same binary
# runs on a Raspberry Pi 2/3 with a 32-bit OS (Cortex-A7/A53 in AArch32 execute A8 code).
set(EDGEVERIFY_BOARD_CPU_FLAGS "-mcpu=cortex-a8 -mfpu=neon -mfloat-abi=hard")
set(EDGEVERIFY_BOARD_ARCH armhf)
