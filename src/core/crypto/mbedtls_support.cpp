// Shared mbedTLS helpers for the key code: message hashing, the DRBG, error text.
#include <cstdio>

#include "crypto/key_impl.hpp"

namespace edgeverify::crypto {

std::size_t hash_message(mbedtls_md_type_t md, std::string_view message, unsigned char (&out)[64]) {
    const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md);
    if (info == nullptr) return 0;
    if (mbedtls_md(info, reinterpret_cast<const unsigned char*>(message.data()), message.size(), out) != 0) {
        return 0;
    }
    return mbedtls_md_get_size(info);
}

mbedtls_md_type_t default_hash_for(KeyType type) {
    switch (type) {
        case KeyType::ecdsa_p384:
            return MBEDTLS_MD_SHA384;
        case KeyType::ecdsa_p521:
            return MBEDTLS_MD_SHA512;
        default:
            return MBEDTLS_MD_SHA256;
    }
}

Drbg::Drbg() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    static constexpr unsigned char kPersonalization[] = "edgeverify-sign";
    ok_ = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, kPersonalization,
                                sizeof kPersonalization - 1) == 0;
}

Drbg::~Drbg() {
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
}

int Drbg::random(void* self, unsigned char* out, std::size_t length) {
    return mbedtls_ctr_drbg_random(&static_cast<Drbg*>(self)->drbg_, out, length);
}

std::string mbedtls_error_text(int code) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "mbedTLS error -0x%04x", static_cast<unsigned>(-code));
    return buffer;
}

}  // namespace edgeverify::crypto
