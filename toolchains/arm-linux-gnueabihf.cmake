# Cross build for 32-bit ARMv7 hard-float with Debian's cross compiler (crossbuild-essential-armhf)
# and armhf libraries from a sysroot that scripts/make-armhf-sysroot.sh assembles with
# `apt-get download` + `dpkg -x` under a private apt state, so the machine's own apt never gains
# the armhf architecture (docs/cross-compiling.md explains why). The sysroot holds the libraries
# only: the C library and libstdc++ come from the cross toolchain (/usr/arm-linux-gnueabihf).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)

if(DEFINED ENV{EDGEVERIFY_ARMHF_SYSROOT})
  set(EDGEVERIFY_ARMHF_SYSROOT "$ENV{EDGEVERIFY_ARMHF_SYSROOT}")
elseif(NOT EDGEVERIFY_ARMHF_SYSROOT)
  get_filename_component(EDGEVERIFY_ARMHF_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../.cross/sysroot-armhf" ABSOLUTE)
endif()
set(EDGEVERIFY_ARMHF_SYSROOT "${EDGEVERIFY_ARMHF_SYSROOT}" CACHE PATH "armhf library sysroot (scripts/make-armhf-sysroot.sh)")
if(NOT EXISTS "${EDGEVERIFY_ARMHF_SYSROOT}/usr/include/mbedtls/version.h")
  message(FATAL_ERROR "armhf sysroot missing or incomplete at ${EDGEVERIFY_ARMHF_SYSROOT}: "
                      "run scripts/install-cross-deps.sh armhf (or set EDGEVERIFY_ARMHF_SYSROOT)")
endif()
set(_sr "${EDGEVERIFY_ARMHF_SYSROOT}")
set(_libdirs "${_sr}/usr/lib/arm-linux-gnueabihf;${_sr}/lib/arm-linux-gnueabihf")

set(CMAKE_FIND_ROOT_PATH "${_sr};/usr/arm-linux-gnueabihf")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Plain pkg-config, pointed at the sysroot's .pc files; the sysroot prefix is added to -I/-L.
set(ENV{PKG_CONFIG_LIBDIR} "${_sr}/usr/lib/arm-linux-gnueabihf/pkgconfig:${_sr}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${_sr}")
set(ENV{PKG_CONFIG_PATH} "")

# The multiarch include directory first, as the native compiler orders them: it holds the
# architecture-specific headers (gmp.h, which nettle's bignum.h includes, for one).
set(_inc "-isystem ${_sr}/usr/include/arm-linux-gnueabihf -isystem ${_sr}/usr/include")
set(CMAKE_C_FLAGS_INIT "${_inc}")
set(CMAKE_CXX_FLAGS_INIT "${_inc}")
set(_link "-L${_sr}/usr/lib/arm-linux-gnueabihf -Wl,-rpath-link,${_sr}/usr/lib/arm-linux-gnueabihf -Wl,-rpath-link,${_sr}/lib/arm-linux-gnueabihf")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_link}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${_link}")

# ctest runs the ARM binaries through qemu-user; the sysroot's libraries are found through
# qemu's LD_LIBRARY_PATH, the C library through -L.
string(REPLACE ";" ":" _ld_path "${_libdirs}")
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-arm-static;-L;/usr/arm-linux-gnueabihf;-E;LD_LIBRARY_PATH=${_ld_path})
