// SHA-256/512 with mbedTLS: the fallback hash backend (always built). 2.28 and 3.x APIs.
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <mbedtls/version.h>

#include "crypto/hash_backends.hpp"

namespace edgeverify::crypto {
namespace {

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define EV_SHA256_STARTS mbedtls_sha256_starts
#define EV_SHA256_UPDATE mbedtls_sha256_update
#define EV_SHA256_FINISH mbedtls_sha256_finish
#define EV_SHA512_STARTS mbedtls_sha512_starts
#define EV_SHA512_UPDATE mbedtls_sha512_update
#define EV_SHA512_FINISH mbedtls_sha512_finish
#else
#define EV_SHA256_STARTS mbedtls_sha256_starts_ret
#define EV_SHA256_UPDATE mbedtls_sha256_update_ret
#define EV_SHA256_FINISH mbedtls_sha256_finish_ret
#define EV_SHA512_STARTS mbedtls_sha512_starts_ret
#define EV_SHA512_UPDATE mbedtls_sha512_update_ret
#define EV_SHA512_FINISH mbedtls_sha512_finish_ret
#endif

class MbedtlsSha256 final : public Hasher {
public:
    MbedtlsSha256() {
        mbedtls_sha256_init(&ctx_);
        EV_SHA256_STARTS(&ctx_, 0);
    }
    ~MbedtlsSha256() override { mbedtls_sha256_free(&ctx_); }
    void update(const void* data, std::size_t length) override {
        EV_SHA256_UPDATE(&ctx_, static_cast<const unsigned char*>(data), length);
    }
    Digest finish() override {
        unsigned char out[32];
        EV_SHA256_FINISH(&ctx_, out);
        return Digest::from_bytes(DigestAlgorithm::sha256, out, sizeof out);
    }

private:
    mbedtls_sha256_context ctx_;
};

class MbedtlsSha512 final : public Hasher {
public:
    MbedtlsSha512() {
        mbedtls_sha512_init(&ctx_);
        EV_SHA512_STARTS(&ctx_, 0);
    }
    ~MbedtlsSha512() override { mbedtls_sha512_free(&ctx_); }
    void update(const void* data, std::size_t length) override {
        EV_SHA512_UPDATE(&ctx_, static_cast<const unsigned char*>(data), length);
    }
    Digest finish() override {
        unsigned char out[64];
        EV_SHA512_FINISH(&ctx_, out);
        return Digest::from_bytes(DigestAlgorithm::sha512, out, sizeof out);
    }

private:
    mbedtls_sha512_context ctx_;
};

}  // namespace

std::unique_ptr<Hasher> make_mbedtls_hasher(DigestAlgorithm algorithm) {
    if (algorithm == DigestAlgorithm::sha512) return std::make_unique<MbedtlsSha512>();
    return std::make_unique<MbedtlsSha256>();
}

}  // namespace edgeverify::crypto
