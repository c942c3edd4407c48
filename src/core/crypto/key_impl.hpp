// Private: what a PublicKey / PrivateKey holds, and the mbedTLS 2.28 / 3.x differences the key
// code needs. Only src/core/crypto includes this.
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "edgeverify/crypto.hpp"

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define EV_MBEDTLS_FIELD(name) MBEDTLS_PRIVATE(name)
#else
#define EV_MBEDTLS_FIELD(name) name
#endif

namespace edgeverify {

struct PublicKey::Impl {
    Impl() { mbedtls_pk_init(&pk); }
    ~Impl() { mbedtls_pk_free(&pk); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    KeyType type = KeyType::ecdsa_p256;
    unsigned bits = 0;
    std::string spki_der;
    // ECDSA and RSA keys. mbedTLS caches values inside the context during verification (the
    // comb table, RSA blinding), so verification holds `lock`.
    mutable mbedtls_pk_context pk;
    mutable std::mutex lock;
    // Ed25519: the 32-byte public key (nettle).
    std::array<std::uint8_t, 32> ed25519{};
};

struct PrivateKey::Impl {
    Impl() { mbedtls_pk_init(&pk); }
    ~Impl() { mbedtls_pk_free(&pk); }  // zeroes the private scalar / primes
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    KeyType type = KeyType::ecdsa_p256;
    mutable mbedtls_pk_context pk;
    mutable std::mutex lock;
};

namespace crypto {

// SHA-256/384/512 of `message` with mbedTLS md; returns the digest length (0 on failure).
std::size_t hash_message(mbedtls_md_type_t md, std::string_view message, unsigned char (&out)[64]);

// The hash a key's default scheme uses (cosign / sigstore-go registry).
mbedtls_md_type_t default_hash_for(KeyType type);

// A CTR-DRBG seeded from the platform entropy source, for signing and key generation.
class Drbg {
public:
    Drbg();
    ~Drbg();
    Drbg(const Drbg&) = delete;
    Drbg& operator=(const Drbg&) = delete;
    bool ok() const { return ok_; }
    static int random(void* self, unsigned char* out, std::size_t length);

private:
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    bool ok_ = false;
};

// "ecdsa-p256", "rsa-3072", "ed25519": the key type with the RSA modulus size, for messages.
std::string describe_key(KeyType type, unsigned bits);

// "mbedTLS error -0x4c80" for messages.
std::string mbedtls_error_text(int code);

// Nettle's Ed25519 (mbedTLS 2.28 has none); unsupported when built without hogweed.
bool ed25519_supported();
bool ed25519_verify(const std::array<std::uint8_t, 32>& public_key, std::string_view message,
                    std::string_view signature);

}  // namespace crypto
}  // namespace edgeverify
