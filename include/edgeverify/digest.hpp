// Content digests (OCI digest grammar) and the streaming hasher interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify {

enum class DigestAlgorithm { sha256, sha512 };

std::string_view digest_algorithm_name(DigestAlgorithm algorithm);
std::size_t digest_hex_length(DigestAlgorithm algorithm);

// A validated digest "algorithm:hex". Only sha256 and sha512 are accepted: any other
// grammatical algorithm is refused with Errc::digest_unsupported, because it cannot be verified.
class Digest {
public:
    Digest() = default;  // empty placeholder (empty() is true); never the result of a hash
    static Expected<Digest> parse(std::string_view text);
    // From raw hash output bytes (length must match the algorithm).
    static Digest from_bytes(DigestAlgorithm algorithm, const std::uint8_t* bytes, std::size_t length);

    DigestAlgorithm algorithm() const { return algorithm_; }
    const std::string& hex() const { return hex_; }
    std::string str() const;  // "sha256:<hex>"
    bool empty() const { return hex_.empty(); }

    friend bool operator==(const Digest&, const Digest&) = default;
    friend auto operator<=>(const Digest&, const Digest&) = default;

private:
    Digest(DigestAlgorithm algorithm, std::string hex) : algorithm_(algorithm), hex_(std::move(hex)) {}
    DigestAlgorithm algorithm_ = DigestAlgorithm::sha256;
    std::string hex_;
};

// Streaming hash. Implementations live in src/core/crypto (nettle preferred, mbedTLS fallback).
class Hasher {
public:
    virtual ~Hasher() = default;
    virtual void update(const void* data, std::size_t length) = 0;
    // Ends the computation; the hasher must not be used afterwards.
    virtual Digest finish() = 0;
};

enum class HashBackend { nettle, mbedtls };

std::string_view hash_backend_name(HashBackend backend);
// The backend chosen at build time (EDGEVERIFY_HASH_BACKEND), nettle unless configured otherwise.
HashBackend default_hash_backend();
// Whether this build contains the backend (mbedTLS always; nettle when found at configure time).
bool hash_backend_available(HashBackend backend);

std::unique_ptr<Hasher> make_hasher(DigestAlgorithm algorithm);
std::unique_ptr<Hasher> make_hasher(DigestAlgorithm algorithm, HashBackend backend);

Digest digest_of(DigestAlgorithm algorithm, std::string_view bytes);

}  // namespace edgeverify
