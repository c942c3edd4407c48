// Chooses the hash backend: nettle when built in, mbedTLS otherwise or on request.
#include "crypto/hash_backends.hpp"

namespace edgeverify {

std::string_view hash_backend_name(HashBackend backend) {
    return backend == HashBackend::nettle ? "nettle" : "mbedtls";
}

bool hash_backend_available(HashBackend backend) {
#ifdef EDGEVERIFY_HAVE_NETTLE
    (void)backend;
    return true;
#else
    return backend == HashBackend::mbedtls;
#endif
}

HashBackend default_hash_backend() {
#if defined(EDGEVERIFY_HAVE_NETTLE) && !defined(EDGEVERIFY_DEFAULT_HASH_MBEDTLS)
    return HashBackend::nettle;
#else
    return HashBackend::mbedtls;
#endif
}

std::unique_ptr<Hasher> make_hasher(DigestAlgorithm algorithm, HashBackend backend) {
#ifdef EDGEVERIFY_HAVE_NETTLE
    if (backend == HashBackend::nettle) return crypto::make_nettle_hasher(algorithm);
#else
    (void)backend;
#endif
    return crypto::make_mbedtls_hasher(algorithm);
}

std::unique_ptr<Hasher> make_hasher(DigestAlgorithm algorithm) {
    return make_hasher(algorithm, default_hash_backend());
}

}  // namespace edgeverify
