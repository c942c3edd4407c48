// Public keys: PEM/DER SubjectPublicKeyInfo (and PKCS#1 RSA) to a checked PublicKey. mbedTLS
// parses ECDSA and RSA; Ed25519 (which mbedTLS 2.28 cannot parse) is recognised here by OID.
#include <mbedtls/rsa.h>

#include <cstring>

#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"
#include "crypto/pem.hpp"

namespace edgeverify {
namespace {

using crypto::describe_key;

// RSA moduli below this are refused (cosign, sigstore-go and NIST SP 800-131A agree).
constexpr unsigned kMinRsaBits = 2048;
// Above this a single verification costs too much for a device; no real signer uses more.
constexpr unsigned kMaxRsaBits = 16384;

constexpr std::string_view kOidEcPublicKey = "1.2.840.10045.2.1";
constexpr std::string_view kOidRsaEncryption = "1.2.840.113549.1.1.1";
constexpr std::string_view kOidEd25519 = "1.3.101.112";

// The whole Ed25519 SPKI before the 32 key bytes (RFC 8410): no parameters, no unused bits.
constexpr unsigned char kEd25519SpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

struct NamedOid {
    std::string_view oid;
    std::string_view name;
};

// Algorithms that are recognised but refused, so the message can say what was found.
constexpr NamedOid kRefusedAlgorithms[] = {
    {"1.3.101.110", "X25519 (a key agreement key, not a signing key)"},
    {"1.3.101.111", "X448 (a key agreement key, not a signing key)"},
    {"1.3.101.113", "Ed448"},
    {"1.2.840.10040.4.1", "DSA"},
    {"1.2.840.113549.1.1.10", "RSASSA-PSS-restricted RSA"},
    {"1.2.840.10046.2.1", "Diffie-Hellman"},
    {"1.2.156.10197.1.301", "SM2"},
};

constexpr NamedOid kCurves[] = {
    {"1.2.840.10045.3.1.7", "P-256"},
    {"1.3.132.0.34", "P-384"},
    {"1.3.132.0.35", "P-521"},
    {"1.3.132.0.10", "secp256k1"},
    {"1.2.840.10045.3.1.1", "P-192"},
    {"1.3.132.0.33", "P-224"},
    {"1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"},
    {"1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"},
    {"1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"},
    {"1.2.156.10197.1.301", "SM2"},
};

std::string_view name_of(const NamedOid* begin, const NamedOid* end, std::string_view oid) {
    for (const NamedOid* it = begin; it != end; ++it) {
        if (it->oid == oid) return it->name;
    }
    return {};
}

Error malformed(std::string_view where, const std::string& why) {
    return make_error(Errc::key_malformed, std::string(where) + ": " + why);
}

Error unsupported(std::string_view where, const std::string& why) {
    return make_error(Errc::unsupported_key, std::string(where) + ": " + why);
}

Expected<PublicKey> make_ed25519(std::string_view spki_der, std::string_view where) {
    if (spki_der.size() != sizeof kEd25519SpkiPrefix + 32 ||
        std::memcmp(spki_der.data(), kEd25519SpkiPrefix, sizeof kEd25519SpkiPrefix) != 0) {
        return malformed(where, "Ed25519 public key is not the 44-byte RFC 8410 SubjectPublicKeyInfo");
    }
    if (!crypto::ed25519_supported())
        return unsupported(where, "Ed25519 keys need nettle's hogweed, absent from this build");
    auto impl = std::make_unique<PublicKey::Impl>();
    impl->type = KeyType::ed25519;
    impl->bits = 255;
    impl->spki_der = std::string(spki_der);
    std::memcpy(impl->ed25519.data(), spki_der.data() + sizeof kEd25519SpkiPrefix, 32);
    return PublicKey(std::move(impl));
}

Expected<PublicKey> make_ecdsa(std::unique_ptr<PublicKey::Impl> impl, std::string_view where) {
    const mbedtls_ecp_keypair* ec = mbedtls_pk_ec(impl->pk);
    switch (ec->EV_MBEDTLS_FIELD(grp).id) {
        case MBEDTLS_ECP_DP_SECP256R1:
            impl->type = KeyType::ecdsa_p256;
            impl->bits = 256;
            break;
        case MBEDTLS_ECP_DP_SECP384R1:
            impl->type = KeyType::ecdsa_p384;
            impl->bits = 384;
            break;
        case MBEDTLS_ECP_DP_SECP521R1:
            impl->type = KeyType::ecdsa_p521;
            impl->bits = 521;
            break;
        default: {
            const mbedtls_ecp_curve_info* info =
                mbedtls_ecp_curve_info_from_grp_id(ec->EV_MBEDTLS_FIELD(grp).id);
            return unsupported(where, std::string("ECDSA key on curve ") + (info ? info->name : "(unknown)") +
                                          ": only P-256, P-384 and P-521 are accepted");
        }
    }
    // mbedTLS checks this while parsing; checked again here because verification relies on it
    // (an off-curve point enables invalid-curve attacks).
    if (mbedtls_ecp_check_pubkey(&ec->EV_MBEDTLS_FIELD(grp), &ec->EV_MBEDTLS_FIELD(Q)) != 0) {
        return malformed(where, "ECDSA public key point is not on the curve");
    }
    return PublicKey(std::move(impl));
}

Expected<PublicKey> make_rsa(std::unique_ptr<PublicKey::Impl> impl, std::string_view where) {
    const unsigned bits = static_cast<unsigned>(mbedtls_pk_get_bitlen(&impl->pk));
    if (bits < kMinRsaBits) {
        return unsupported(where, "RSA key of " + std::to_string(bits) + " bits: at least " +
                                      std::to_string(kMinRsaBits) + " required");
    }
    if (bits > kMaxRsaBits) {
        return unsupported(where, "RSA key of " + std::to_string(bits) + " bits: at most " +
                                      std::to_string(kMaxRsaBits) + " accepted");
    }
    impl->type = KeyType::rsa;
    impl->bits = bits;
    return PublicKey(std::move(impl));
}

// PKCS#1 RSAPublicKey DER -> SubjectPublicKeyInfo DER.
Expected<std::string> pkcs1_to_spki(std::string_view der, std::string_view where) {
    const auto body = crypto::der_single(der, crypto::kDerSequence);
    if (!body || crypto::DerReader(*body).peek_tag() != crypto::kDerInteger) {
        return malformed(where, "RSA PUBLIC KEY is not a DER PKCS#1 RSAPublicKey");
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int ret =
        mbedtls_pk_parse_public_key(&pk, reinterpret_cast<const unsigned char*>(der.data()), der.size());
    std::string spki;
    if (ret == 0 && mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA) {
        std::string buffer(4 * kMaxRsaBits / 8 + 64, '\0');
        auto* out = reinterpret_cast<unsigned char*>(buffer.data());
        ret = mbedtls_pk_write_pubkey_der(&pk, out, buffer.size());
        if (ret > 0) spki = buffer.substr(buffer.size() - static_cast<std::size_t>(ret));
    }
    mbedtls_pk_free(&pk);
    if (spki.empty())
        return malformed(where, "RSA PUBLIC KEY cannot be decoded (" + crypto::mbedtls_error_text(ret) + ")");
    return spki;
}

}  // namespace

namespace crypto {

std::string describe_key(KeyType type, unsigned bits) {
    if (type == KeyType::rsa) return "rsa-" + std::to_string(bits);
    return std::string(key_type_name(type));
}

}  // namespace crypto

std::string_view key_type_name(KeyType type) {
    switch (type) {
        case KeyType::ecdsa_p256:
            return "ecdsa-p256";
        case KeyType::ecdsa_p384:
            return "ecdsa-p384";
        case KeyType::ecdsa_p521:
            return "ecdsa-p521";
        case KeyType::rsa:
            return "rsa";
        case KeyType::ed25519:
            return "ed25519";
    }
    return "unknown";
}

PublicKey::PublicKey() : impl_(std::make_unique<Impl>()) {}
PublicKey::~PublicKey() = default;
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;
PublicKey::PublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

KeyType PublicKey::type() const {
    return impl_->type;
}
unsigned PublicKey::bits() const {
    return impl_->bits;
}
const std::string& PublicKey::spki_der() const {
    return impl_->spki_der;
}

std::string PublicKey::hint() const {
    unsigned char digest[64];
    const std::size_t length = crypto::hash_message(MBEDTLS_MD_SHA256, impl_->spki_der, digest);
    return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

Expected<PublicKey> parse_public_key_der(std::string_view spki_der, std::string_view where) {
    const auto algorithm = crypto::read_spki_algorithm(spki_der);
    if (!algorithm) return malformed(where, "not a DER SubjectPublicKeyInfo (truncated or corrupt)");
    if (algorithm->oid == kOidEd25519) return make_ed25519(spki_der, where);
    const auto refused =
        name_of(std::begin(kRefusedAlgorithms), std::end(kRefusedAlgorithms), algorithm->oid);
    if (!refused.empty()) return unsupported(where, std::string(refused) + " keys are not accepted");
    if (algorithm->oid == kOidEcPublicKey) {
        if (algorithm->params_oid.empty()) {
            return unsupported(where,
                               "ECDSA key with explicit curve parameters: only named P-256, P-384 and P-521");
        }
        const auto curve = name_of(std::begin(kCurves), std::end(kCurves), algorithm->params_oid);
        if (curve != "P-256" && curve != "P-384" && curve != "P-521") {
            return unsupported(
                where, "ECDSA key on curve " +
                           (curve.empty() ? "with OID " + algorithm->params_oid : std::string(curve)) +
                           ": only P-256, P-384 and P-521 are accepted");
        }
    } else if (algorithm->oid != kOidRsaEncryption) {
        return unsupported(where, "key algorithm with OID " + algorithm->oid + " is not accepted");
    }

    auto impl = std::make_unique<PublicKey::Impl>();
    const int ret = mbedtls_pk_parse_public_key(
        &impl->pk, reinterpret_cast<const unsigned char*>(spki_der.data()), spki_der.size());
    if (ret == MBEDTLS_ERR_ECP_INVALID_KEY)
        return malformed(where, "ECDSA public key point is not on the curve");
    if (ret != 0)
        return malformed(where, "public key cannot be decoded (" + crypto::mbedtls_error_text(ret) + ")");
    impl->spki_der = std::string(spki_der);
    switch (mbedtls_pk_get_type(&impl->pk)) {
        case MBEDTLS_PK_ECKEY:
            return make_ecdsa(std::move(impl), where);
        case MBEDTLS_PK_RSA:
            return make_rsa(std::move(impl), where);
        default:
            return unsupported(where, "key type not accepted");
    }
}

Expected<PublicKey> parse_public_key_pem(std::string_view pem, std::string_view where) {
    auto block = crypto::pem_decode(pem, where);
    if (!block) return block.take_error();
    if (block->label == "PUBLIC KEY") return parse_public_key_der(block->der, where);
    if (block->label == "RSA PUBLIC KEY") {
        auto spki = pkcs1_to_spki(block->der, where);
        if (!spki) return spki.take_error();
        return parse_public_key_der(*spki, where);
    }
    return malformed(where, "PEM block \"" + block->label +
                                "\" is not a public key (expected \"PUBLIC KEY\" or \"RSA PUBLIC KEY\")");
}

}  // namespace edgeverify
