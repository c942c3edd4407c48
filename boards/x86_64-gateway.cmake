# A generic x86_64 gateway (Intel Atom/Celeron class and up): x86-64-v2 (SSE4.2, POPCNT), which
# every x86 gateway CPU of the last decade has. SHA-NI is picked at run time by nettle.
set(EDGEVERIFY_BOARD_CPU_FLAGS "-march=x86-64-v2")
set(EDGEVERIFY_BOARD_ARCH x86_64)
