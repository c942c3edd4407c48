// Private: the little DER reading and writing the key and signature code needs (SPKI algorithm
// detection, ECDSA signature shape, the PKCS#8 wrapper), independent of any crypto library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgeverify::crypto {

inline constexpr std::uint8_t kDerInteger = 0x02;
inline constexpr std::uint8_t kDerBitString = 0x03;
inline constexpr std::uint8_t kDerOctetString = 0x04;
inline constexpr std::uint8_t kDerNull = 0x05;
inline constexpr std::uint8_t kDerOid = 0x06;
inline constexpr std::uint8_t kDerSequence = 0x30;

// Reads definite-length DER elements (single-byte tags) from a buffer, front to back.
class DerReader {
public:
    explicit DerReader(std::string_view bytes) : rest_(bytes) {}
    // The contents of the next element if it has tag `tag`; nullopt (reader unchanged) otherwise.
    std::optional<std::string_view> read(std::uint8_t tag);
    // The whole next element (tag, length and contents) if it has tag `tag`.
    std::optional<std::string_view> read_element(std::uint8_t tag);
    std::optional<std::uint8_t> peek_tag() const;
    bool empty() const { return rest_.empty(); }

private:
    std::string_view rest_;
};

// The contents of `bytes` if it is exactly one element with tag `tag` (no trailing bytes).
std::optional<std::string_view> der_single(std::string_view bytes, std::uint8_t tag);

// Tag, minimal length, contents.
std::string der_element(std::uint8_t tag, std::string_view contents);

// Dotted form of an encoded OBJECT IDENTIFIER ("1.2.840.10045.2.1"); empty if malformed.
std::string oid_to_string(std::string_view encoded);

// The algorithm part of a SubjectPublicKeyInfo: OID and the parameters element (whole TLV, or
// empty when absent); nullopt when the outer structure is not SEQUENCE{SEQUENCE{OID, ...}, BIT
// STRING} spanning the whole input.
struct SpkiAlgorithm {
    std::string oid;         // dotted
    std::string params_oid;  // dotted, when the parameters are an OID (named curve)
    std::string_view key_bits;
};
std::optional<SpkiAlgorithm> read_spki_algorithm(std::string_view spki_der);

}  // namespace edgeverify::crypto
