// Private to the RFC 3161 timestamp code: the token DER reader, hash algorithm names and OIDs,
// GeneralizedTime, and the CMS signature check (timestamp_support.cpp, where it calls mbedTLS).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/der.hpp"
#include "edgeverify/crypto.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/timestamp.hpp"

namespace edgeverify::timestamp_detail {

// Reads one token's DER; every error is Errc::signature_invalid naming where and the field.
class TokenParser {
public:
    explicit TokenParser(std::string_view where) : where_(where) {}
    Error bad(std::string_view field, std::string_view why) const {
        return make_error(Errc::signature_invalid, std::string(where_) + ": timestamp token " +
                                                       std::string(field) + ": " + std::string(why));
    }
    // The contents of the next element of `reader` with `tag`, or an error naming `field`.
    Expected<std::string_view> need(crypto::DerReader& reader, std::uint8_t tag,
                                    std::string_view field) const {
        auto contents = reader.read(tag);
        if (!contents) return bad(field, "missing or not DER");
        return *contents;
    }
    Expected<std::string> need_oid(crypto::DerReader& reader, std::string_view field) const {
        auto contents = need(reader, crypto::kDerOid, field);
        if (!contents) return contents.take_error();
        std::string dotted = crypto::oid_to_string(*contents);
        if (dotted.empty()) return bad(field, "malformed object identifier");
        return dotted;
    }
    // AlgorithmIdentifier: the OID; `params` receives the parameters element (whole TLV).
    Expected<std::string> algorithm(crypto::DerReader& reader, std::string_view field,
                                    std::string* params = nullptr) const {
        auto contents = need(reader, crypto::kDerSequence, field);
        if (!contents) return contents.take_error();
        crypto::DerReader inner(*contents);
        auto oid = need_oid(inner, field);
        if (!oid) return oid;
        if (params != nullptr) params->clear();
        if (!inner.empty()) {
            const auto tag = inner.peek_tag();
            auto element = inner.read_element(*tag);
            if (!element || !inner.empty()) return bad(field, "malformed parameters");
            if (params != nullptr) *params = std::string(*element);
        }
        return oid;
    }

private:
    std::string_view where_;
};

// The SignerInfo's signedAttrs (the [0] contents): content-type, message-digest and
// signing-certificate(-v2), each at most once; fills those fields of `out` (timestamp_attributes.cpp).
Status parse_signed_attributes(std::string_view contents, const TokenParser& p, TimestampToken& out);

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
