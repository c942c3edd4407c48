// Private to the RFC 3161 timestamp code: hash algorithm names and OIDs, GeneralizedTime, and
// the CMS signature check (timestamp_support.cpp, the one place it calls mbedTLS).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/crypto.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify::timestamp_detail {

// "sha1", "sha256", "sha384", "sha512" for a dotted hash OID; empty for any other.
std::string hash_name(std::string_view dotted_oid);

// The hash of `bytes` with a named algorithm (sha1/256/384/512); nullopt for another. SHA-1 is
// only used for an ESS signing-certificate (v1) hash, never for an imprint or a signature.
std::optional<std::string> hash_bytes(std::string_view name, std::string_view bytes);

// GeneralizedTime contents "YYYYMMDDHHMMSS[.f+]Z" to Unix seconds (fraction dropped).
std::optional<std::int64_t> parse_generalized_time(std::string_view text);

// The CMS signature of a SignerInfo: `signature` over `message` (the DER signed attributes)
// with `key`, by signatureAlgorithm `algorithm_oid` (rsaEncryption and shaNWithRSAEncryption:
// PKCS#1 v1.5; RSASSA-PSS with its parameters; ecdsa-with-SHAn or id-ecPublicKey: ECDSA DER)
// and the SignerInfo's digest algorithm `digest`. Errc::signature_invalid naming what failed.
Status verify_cms_signature(const PublicKey& key, std::string_view algorithm_oid, std::string_view params,
                            std::string_view digest, std::string_view message, std::string_view signature);

}  // namespace edgeverify::timestamp_detail
