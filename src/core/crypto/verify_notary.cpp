// Notary Project signatures (JWS and COSE): RSASSA-PSS with SHA-256/384/512 and ECDSA with raw
// R||S signatures, each bound to the key it must be used with (FORMATS.md C.5).
#include <mbedtls/rsa.h>

#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"

namespace edgeverify {
namespace {

Error invalid(const std::string& why) { return make_error(Errc::signature_invalid, why); }

mbedtls_md_type_t hash_of(NotaryAlgorithm algorithm) {
    switch (algorithm) {
        case NotaryAlgorithm::ps256:
        case NotaryAlgorithm::es256:
            return MBEDTLS_MD_SHA256;
        case NotaryAlgorithm::ps384:
        case NotaryAlgorithm::es384:
            return MBEDTLS_MD_SHA384;
        case NotaryAlgorithm::ps512:
        case NotaryAlgorithm::es512:
            return MBEDTLS_MD_SHA512;
    }
    return MBEDTLS_MD_NONE;
}

// A DER INTEGER from an unsigned big-endian value: leading zeros dropped, 0x00 added when the
// top bit is set.
std::string der_unsigned_integer(std::string_view value) {
    std::size_t start = 0;
    while (start + 1 < value.size() && value[start] == 0) ++start;
    std::string body(value.substr(start));
    if (!body.empty() && (static_cast<std::uint8_t>(body[0]) & 0x80) != 0) body.insert(body.begin(), '\0');
    return crypto::der_element(crypto::kDerInteger, body);
}

}  // namespace

std::string_view notary_algorithm_name(NotaryAlgorithm algorithm) {
    switch (algorithm) {
        case NotaryAlgorithm::ps256: return "PS256";
        case NotaryAlgorithm::ps384: return "PS384";
        case NotaryAlgorithm::ps512: return "PS512";
        case NotaryAlgorithm::es256: return "ES256";
        case NotaryAlgorithm::es384: return "ES384";
        case NotaryAlgorithm::es512: return "ES512";
    }
    return "unknown";
}

Expected<NotaryAlgorithm> notary_algorithm_for_key(const PublicKey& key) {
    switch (key.type()) {
        case KeyType::ecdsa_p256: return NotaryAlgorithm::es256;
        case KeyType::ecdsa_p384: return NotaryAlgorithm::es384;
        case KeyType::ecdsa_p521: return NotaryAlgorithm::es512;
        case KeyType::rsa:
            if (key.bits() == 2048) return NotaryAlgorithm::ps256;
            if (key.bits() == 3072) return NotaryAlgorithm::ps384;
            if (key.bits() == 4096) return NotaryAlgorithm::ps512;
            break;
        case KeyType::ed25519:
            break;
    }
    return make_error(Errc::unsupported_key, "a " + crypto::describe_key(key.type(), key.bits()) +
                                                 " key is not one the Notary Project signs with (RSA 2048/3072/4096, "
                                                 "ECDSA P-256/P-384/P-521)");
}

Status verify_notary_signature(const PublicKey& key, NotaryAlgorithm algorithm, std::string_view message,
                               std::string_view signature, PssSalt salt) {
    auto expected = notary_algorithm_for_key(key);
    if (!expected) return expected.take_error();
    if (*expected != algorithm) {
        return invalid("algorithm " + std::string(notary_algorithm_name(algorithm)) + " does not match the " +
                       crypto::describe_key(key.type(), key.bits()) + " signing key (" +
                       std::string(notary_algorithm_name(*expected)) + ")");
    }
    const PublicKey::Impl& impl = key.impl();
    const mbedtls_md_type_t md = hash_of(algorithm);
    unsigned char hash[64];
    const std::size_t hash_length = crypto::hash_message(md, message, hash);
    if (hash_length == 0) return make_error(Errc::internal, "message hash failed");
    std::lock_guard<std::mutex> guard(impl.lock);
    if (key.type() == KeyType::rsa) {
        if (signature.size() != mbedtls_pk_get_len(&impl.pk)) {
            return invalid("RSA signature is " + std::to_string(signature.size()) + " bytes, the modulus " +
                           std::to_string(mbedtls_pk_get_len(&impl.pk)));
        }
        mbedtls_pk_rsassa_pss_options options{};
        options.mgf1_hash_id = md;
        options.expected_salt_len =
            salt == PssSalt::any ? MBEDTLS_RSA_SALT_LEN_ANY : static_cast<int>(hash_length);
        const int ret = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &options, &impl.pk, md, hash, hash_length,
                                              reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
        if (ret != 0) return invalid("signature does not verify (" + std::string(notary_algorithm_name(algorithm)) + ")");
        return {};
    }
    const std::size_t width = (key.bits() + 7) / 8;
    if (signature.size() != 2 * width) {
        return invalid("ECDSA signature is " + std::to_string(signature.size()) + " bytes; raw R||S for this curve is " +
                       std::to_string(2 * width));
    }
    const std::string der = crypto::der_element(
        crypto::kDerSequence, der_unsigned_integer(signature.substr(0, width)) + der_unsigned_integer(signature.substr(width)));
    const int ret = mbedtls_pk_verify(&impl.pk, md, hash, hash_length, reinterpret_cast<const unsigned char*>(der.data()),
                                      der.size());
    if (ret != 0) return invalid("signature does not verify (" + std::string(notary_algorithm_name(algorithm)) + ")");
    return {};
}

}  // namespace edgeverify
