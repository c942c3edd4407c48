# Finds the Debian 12 packages the project builds against (see DESIGN.md "Dependencies").
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)

pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)

# nettle: the fast hash backend (SHA-NI / ARMv8 crypto extensions). Optional: without it the
# build falls back to mbedTLS for hashing.
pkg_check_modules(NETTLE IMPORTED_TARGET nettle)
# hogweed (nettle's public-key half, same package): Ed25519 verification, absent from mbedTLS 2.28.
pkg_check_modules(HOGWEED IMPORTED_TARGET hogweed)

# mbedTLS 2.28 ships no .pc file and no CMake package in Debian.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/version.h REQUIRED)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
add_library(mbedcrypto UNKNOWN IMPORTED)
set_target_properties(mbedcrypto PROPERTIES IMPORTED_LOCATION "${MBEDCRYPTO_LIBRARY}"
                                            INTERFACE_INCLUDE_DIRECTORIES "${MBEDTLS_INCLUDE_DIR}")

# The agent and the server: libuv (event loop, timers, fs events, processes, TCP), mbedTLS's TLS
# and X.509 halves (src/net only), libhttp-parser (HTTP/1.1 framing; no .pc file in Debian).
if(EDGEVERIFY_STATIC)
  pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv-static)  # the archive is libuv_a.a
else()
  pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv)
endif()
find_library(MBEDTLS_LIBRARY mbedtls REQUIRED)
find_library(MBEDX509_LIBRARY mbedx509 REQUIRED)
add_library(mbedx509 UNKNOWN IMPORTED)
set_target_properties(mbedx509 PROPERTIES IMPORTED_LOCATION "${MBEDX509_LIBRARY}"
                                          INTERFACE_INCLUDE_DIRECTORIES "${MBEDTLS_INCLUDE_DIR}"
                                          INTERFACE_LINK_LIBRARIES mbedcrypto)
add_library(mbedtls UNKNOWN IMPORTED)
set_target_properties(mbedtls PROPERTIES IMPORTED_LOCATION "${MBEDTLS_LIBRARY}"
                                         INTERFACE_INCLUDE_DIRECTORIES "${MBEDTLS_INCLUDE_DIR}"
                                         INTERFACE_LINK_LIBRARIES mbedx509)
find_path(HTTP_PARSER_INCLUDE_DIR http_parser.h REQUIRED)
find_library(HTTP_PARSER_LIBRARY http_parser REQUIRED)
add_library(http_parser UNKNOWN IMPORTED)
set_target_properties(http_parser PROPERTIES IMPORTED_LOCATION "${HTTP_PARSER_LIBRARY}"
                                             INTERFACE_INCLUDE_DIRECTORIES "${HTTP_PARSER_INCLUDE_DIR}")

# The fleet server's storage (src/server, docs/server-storage.md): SQLite, the embedded default,
# and libpq for PostgreSQL. Not needed on device boards (EDGEVERIFY_BUILD_SERVER off).
if(EDGEVERIFY_BUILD_SERVER)
  find_package(SQLite3 REQUIRED)
  pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
endif()

if(EDGEVERIFY_HASH_BACKEND STREQUAL "nettle" AND NOT NETTLE_FOUND)
  message(WARNING "nettle not found: hashing falls back to mbedTLS")
  set(EDGEVERIFY_HASH_BACKEND "mbedtls" CACHE STRING "" FORCE)
endif()

if(EDGEVERIFY_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()

# Static build: pkg-config's imported targets name the shared objects; link the static closure
# (Libs.private) instead. libarchive's lists -lxml2, which only its xar reader needs: the agent
# registers tar/raw and gzip/zstd explicitly, so no libxml2 or ICU object is pulled in.
if(EDGEVERIFY_STATIC)
  foreach(module LIBARCHIVE NETTLE HOGWEED LIBUV)
    if(TARGET PkgConfig::${module})
      set_property(TARGET PkgConfig::${module} PROPERTY INTERFACE_LINK_LIBRARIES "${${module}_STATIC_LDFLAGS}")
      set_property(TARGET PkgConfig::${module} PROPERTY INTERFACE_LINK_OPTIONS "")
    endif()
  endforeach()
elseif(EDGEVERIFY_LIBARCHIVE_STATIC)
  # Size-optimized dynamic agent (CMakeLists.txt): libarchive and libxml2 from their archives
  # (GNU ld's -l:NAME), the rest of libarchive's closure shared. The link map of the static build
  # shows --gc-sections keeps no libxml2 section, so no ICU library is needed at all.
  set(_libarchive_link "")
  foreach(flag IN LISTS LIBARCHIVE_STATIC_LDFLAGS)
    if(flag MATCHES "^-l(archive|xml2)$")
      list(APPEND _libarchive_link "-l:lib${CMAKE_MATCH_1}.a")
    else()
      list(APPEND _libarchive_link "${flag}")
    endif()
  endforeach()
  set_property(TARGET PkgConfig::LIBARCHIVE PROPERTY INTERFACE_LINK_LIBRARIES "${_libarchive_link}")
  set_property(TARGET PkgConfig::LIBARCHIVE PROPERTY INTERFACE_LINK_OPTIONS "")
endif()
