# Cross build for 64-bit ARM with Debian's cross compiler (crossbuild-essential-arm64) and the
# arm64 libraries from Debian multiarch (libmbedtls-dev:arm64 and friends, pkgconf:arm64):
# scripts/install-cross-deps.sh arm64 installs them. docs/cross-compiling.md.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# .cross/arm64-extra holds arm64 packages that are not multi-arch co-installable with their amd64
# build (libhttp-parser-dev), extracted by scripts/install-cross-deps.sh arm64.
get_filename_component(EDGEVERIFY_ARM64_EXTRA "${CMAKE_CURRENT_LIST_DIR}/../.cross/arm64-extra" ABSOLUTE)
set(CMAKE_FIND_ROOT_PATH "${EDGEVERIFY_ARM64_EXTRA};/usr/aarch64-linux-gnu")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
# pkgconf:arm64 provides this wrapper; it searches the arm64 .pc files only.
set(PKG_CONFIG_EXECUTABLE /usr/bin/aarch64-linux-gnu-pkg-config CACHE FILEPATH "pkg-config for arm64")
# ctest runs the ARM test binaries through qemu-user (no binfmt registration needed). `-L /`: the
# dynamic loader is multiarch libc6:arm64's /lib/ld-linux-aarch64.so.1, of the same glibc build as
# the libc.so.6 it loads from /lib/aarch64-linux-gnu. Not `-L /usr/aarch64-linux-gnu`: that
# prefix gives the cross toolchain's loader (libc6-arm64-cross, 2.36-8cross1 here), which still
# loads multiarch libc.so.6 (2.36-9+deb12u14 here); a loader and libc from different builds share
# ld.so's private state, and the first pthread_create or fork spun forever (docs/cross-compiling.md).
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-aarch64-static;-L;/)
