// Signature verification: ECDSA (ASN.1 DER) and RSA PKCS#1 v1.5 / PSS through mbedTLS, Ed25519
// through nettle, over a message or (ECDSA, RSA) over a sha256 digest computed elsewhere. Every
// failure is Errc::signature_invalid with a message saying which check.
#include <mbedtls/rsa.h>

#include <string>

#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"

namespace edgeverify {
namespace {

Error invalid(const std::string& why) {
    return make_error(Errc::signature_invalid, why);
}

std::string_view scheme_name(SignatureScheme scheme) {
    switch (scheme) {
        case SignatureScheme::key_default:
            return "key default";
        case SignatureScheme::ecdsa_sha256:
            return "ecdsa-sha256";
        case SignatureScheme::rsa_pkcs1_sha256:
            return "rsa-pkcs1-sha256";
        case SignatureScheme::rsa_pss_sha256:
            return "rsa-pss-sha256";
    }
    return "unknown";
}

Error scheme_mismatch(const PublicKey::Impl& key, SignatureScheme scheme) {
    return invalid("signature scheme " + std::string(scheme_name(scheme)) + " does not apply to a " +
                   crypto::describe_key(key.type, key.bits) + " key");
}

// SEQUENCE { INTEGER r, INTEGER s } and nothing else, nothing after.
bool is_der_ecdsa_signature(std::string_view signature) {
    const auto body = crypto::der_single(signature, crypto::kDerSequence);
    if (!body) return false;
    crypto::DerReader fields(*body);
    const auto r = fields.read(crypto::kDerInteger);
    const auto s = fields.read(crypto::kDerInteger);
    return r && s && !r->empty() && !s->empty() && fields.empty();
}

// Checks an ECDSA DER signature over an already computed hash.
Status verify_ecdsa_hash(const PublicKey::Impl& key, mbedtls_md_type_t md, const unsigned char* hash,
                         std::size_t hash_length, std::string_view signature) {
    if (!is_der_ecdsa_signature(signature)) {
        return invalid("signature is not an ASN.1 DER ECDSA signature (SEQUENCE of two INTEGERs)");
    }
    std::lock_guard<std::mutex> guard(key.lock);
    const int ret =
        mbedtls_pk_verify(&key.pk, md, hash, hash_length,
                          reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
    if (ret != 0)
        return invalid("signature does not verify with the " + crypto::describe_key(key.type, key.bits) +
                       " key");
    return {};
}

Status verify_ecdsa(const PublicKey::Impl& key, std::string_view message, std::string_view signature,
                    SignatureScheme scheme) {
    mbedtls_md_type_t md = crypto::default_hash_for(key.type);
    if (scheme == SignatureScheme::ecdsa_sha256) {
        md = MBEDTLS_MD_SHA256;
    } else if (scheme != SignatureScheme::key_default) {
        return scheme_mismatch(key, scheme);
    }
    unsigned char hash[64];
    const std::size_t hash_length = crypto::hash_message(md, message, hash);
    if (hash_length == 0) return make_error(Errc::internal, "message hash failed");
    return verify_ecdsa_hash(key, md, hash, hash_length, signature);
}

// Checks an RSA signature (PKCS#1 v1.5 or PSS, SHA-256) over an already computed SHA-256 hash.
Status verify_rsa_hash(const PublicKey::Impl& key, const unsigned char* hash, std::size_t hash_length,
                       std::string_view signature, SignatureScheme scheme) {
    if (scheme != SignatureScheme::key_default && scheme != SignatureScheme::rsa_pkcs1_sha256 &&
        scheme != SignatureScheme::rsa_pss_sha256) {
        return scheme_mismatch(key, scheme);
    }
    const std::size_t modulus_bytes = mbedtls_pk_get_len(&key.pk);
    if (signature.size() != modulus_bytes) {
        return invalid("signature is " + std::to_string(signature.size()) + " bytes; a " +
                       crypto::describe_key(key.type, key.bits) + " signature is " +
                       std::to_string(modulus_bytes));
    }
    const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
    std::lock_guard<std::mutex> guard(key.lock);
    int ret = 0;
    if (scheme == SignatureScheme::rsa_pss_sha256) {
        // Salt length: Go's PSSSaltLengthEqualsHash (cosign) and PSSSaltLengthAuto (maximum)
        // are both in use, so any salt length is accepted; MGF1 is SHA-256.
        mbedtls_pk_rsassa_pss_options options{};
        options.mgf1_hash_id = MBEDTLS_MD_SHA256;
        options.expected_salt_len = MBEDTLS_RSA_SALT_LEN_ANY;
        ret = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &options, &key.pk, MBEDTLS_MD_SHA256, hash,
                                    hash_length, sig, signature.size());
    } else {
        ret = mbedtls_pk_verify(&key.pk, MBEDTLS_MD_SHA256, hash, hash_length, sig, signature.size());
    }
    if (ret != 0) {
        return invalid("signature does not verify with the " + crypto::describe_key(key.type, key.bits) +
                       " key (" + (scheme == SignatureScheme::rsa_pss_sha256 ? "PSS" : "PKCS#1 v1.5") +
                       ", SHA-256)");
    }
    return {};
}

Status verify_rsa(const PublicKey::Impl& key, std::string_view message, std::string_view signature,
                  SignatureScheme scheme) {
    unsigned char hash[64];
    const std::size_t hash_length = crypto::hash_message(MBEDTLS_MD_SHA256, message, hash);
    if (hash_length == 0) return make_error(Errc::internal, "message hash failed");
    return verify_rsa_hash(key, hash, hash_length, signature, scheme);
}

Status verify_ed25519(const PublicKey::Impl& key, std::string_view message, std::string_view signature,
                      SignatureScheme scheme) {
    if (scheme != SignatureScheme::key_default) return scheme_mismatch(key, scheme);
    if (signature.size() != 64) {
        return invalid("signature is " + std::to_string(signature.size()) +
                       " bytes; an Ed25519 signature is 64");
    }
    if (!crypto::ed25519_verify(key.ed25519, message, signature)) {
        return invalid("signature does not verify with the ed25519 key");
    }
    return {};
}

}  // namespace

Status verify_signature(const PublicKey& key, std::string_view message, std::string_view signature,
                        SignatureScheme scheme) {
    const PublicKey::Impl& impl = key.impl();
    if (impl.bits == 0) return make_error(Errc::internal, "verify_signature called with an empty PublicKey");
    switch (impl.type) {
        case KeyType::ecdsa_p256:
        case KeyType::ecdsa_p384:
        case KeyType::ecdsa_p521:
            return verify_ecdsa(impl, message, signature, scheme);
        case KeyType::rsa:
            return verify_rsa(impl, message, signature, scheme);
        case KeyType::ed25519:
            return verify_ed25519(impl, message, signature, scheme);
    }
    return make_error(Errc::internal, "unknown key type");
}

Status verify_signature_prehashed(const PublicKey& key, const Digest& digest, std::string_view signature,
                                  SignatureScheme scheme) {
    const PublicKey::Impl& impl = key.impl();
    if (impl.bits == 0)
        return make_error(Errc::internal, "verify_signature_prehashed called with an empty PublicKey");
    if (digest.algorithm() != DigestAlgorithm::sha256 || digest.hex().size() != 64) {
        return make_error(Errc::digest_unsupported,
                          "a pre-hashed signature is checked over a sha256 digest, got " + digest.str());
    }
    unsigned char hash[32];
    for (std::size_t i = 0; i < 32; ++i) {
        hash[i] = static_cast<unsigned char>(std::stoi(digest.hex().substr(2 * i, 2), nullptr, 16));
    }
    switch (impl.type) {
        case KeyType::ecdsa_p256:
        case KeyType::ecdsa_p384:
        case KeyType::ecdsa_p521:
            if (scheme != SignatureScheme::key_default && scheme != SignatureScheme::ecdsa_sha256)
                return scheme_mismatch(impl, scheme);
            return verify_ecdsa_hash(impl, MBEDTLS_MD_SHA256, hash, sizeof hash, signature);
        case KeyType::rsa:
            return verify_rsa_hash(impl, hash, sizeof hash, signature, scheme);
        case KeyType::ed25519:
            return make_error(Errc::unsupported_key, "pure Ed25519 signs the message, not a digest");
    }
    return make_error(Errc::internal, "unknown key type");
}

}  // namespace edgeverify
