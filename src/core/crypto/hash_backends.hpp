// Private: the hash backends behind make_hasher (one file per external library).
#pragma once

#include <memory>

#include "edgeverify/digest.hpp"

namespace edgeverify::crypto {

std::unique_ptr<Hasher> make_mbedtls_hasher(DigestAlgorithm algorithm);
#ifdef EDGEVERIFY_HAVE_NETTLE
std::unique_ptr<Hasher> make_nettle_hasher(DigestAlgorithm algorithm);
#endif

}  // namespace edgeverify::crypto
