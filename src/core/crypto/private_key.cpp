// Signing keys: PKCS#8 / SEC1 PEM parsing, P-256 generation, PKCS#8 output and signing, through
// mbedTLS. Intermediate buffers holding private key material are zeroed before they are freed.
#include <mbedtls/platform_util.h>

#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"
#include "crypto/pem.hpp"

namespace edgeverify {
namespace {

using namespace std::string_view_literals;

// Big enough for the DER of an RSA-16384 private key.
constexpr std::size_t kKeyDerBuffer = 16384;

constexpr std::string_view kOidEd25519 = "1.3.101.112";
constexpr std::string_view kOidEcPublicKey = "\x06\x07\x2a\x86\x48\xce\x3d\x02\x01"sv;
constexpr std::string_view kOidRsaEncryptionWithNull =
    "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00"sv;
constexpr std::string_view kOidP256 = "\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07"sv;
constexpr std::string_view kOidP384 = "\x06\x05\x2b\x81\x04\x00\x22"sv;
constexpr std::string_view kOidP521 = "\x06\x05\x2b\x81\x04\x00\x23"sv;

void wipe(std::string& secret) {
    mbedtls_platform_zeroize(secret.data(), secret.size());
    secret.clear();
}

Error malformed(std::string_view where, const std::string& why) {
    return make_error(Errc::key_malformed, std::string(where) + ": " + why);
}

Error unsupported(std::string_view where, const std::string& why) {
    return make_error(Errc::unsupported_key, std::string(where) + ": " + why);
}

// mbedTLS writes DER at the end of the buffer; this returns that tail ("" on failure).
template <class Writer>
std::string write_der(Writer writer) {
    std::string buffer(kKeyDerBuffer, '\0');
    const int length = writer(reinterpret_cast<unsigned char*>(buffer.data()), buffer.size());
    std::string out;
    if (length > 0) out = buffer.substr(buffer.size() - static_cast<std::size_t>(length));
    wipe(buffer);
    return out;
}

// The PKCS#8 algorithm OID, when `der` looks like a PrivateKeyInfo.
std::string pkcs8_algorithm_oid(std::string_view der) {
    const auto body = crypto::der_single(der, crypto::kDerSequence);
    if (!body) return {};
    crypto::DerReader fields(*body);
    if (!fields.read(crypto::kDerInteger)) return {};
    const auto algorithm = fields.read(crypto::kDerSequence);
    if (!algorithm) return {};
    const auto oid = crypto::DerReader(*algorithm).read(crypto::kDerOid);
    return oid ? crypto::oid_to_string(*oid) : std::string();
}

Expected<KeyType> classify(mbedtls_pk_context& pk, std::string_view where) {
    if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA) {
        const auto bits = mbedtls_pk_get_bitlen(&pk);
        if (bits < 2048) {
            return unsupported(where, "RSA key of " + std::to_string(bits) + " bits: at least 2048 required");
        }
        return KeyType::rsa;
    }
    if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY) {
        switch (mbedtls_pk_ec(pk)->EV_MBEDTLS_FIELD(grp).id) {
            case MBEDTLS_ECP_DP_SECP256R1:
                return KeyType::ecdsa_p256;
            case MBEDTLS_ECP_DP_SECP384R1:
                return KeyType::ecdsa_p384;
            case MBEDTLS_ECP_DP_SECP521R1:
                return KeyType::ecdsa_p521;
            default: {
                const auto* info =
                    mbedtls_ecp_curve_info_from_grp_id(mbedtls_pk_ec(pk)->EV_MBEDTLS_FIELD(grp).id);
                return unsupported(where, std::string("ECDSA key on curve ") +
                                              (info ? info->name : "(unknown)") +
                                              ": only P-256, P-384 and P-521 are accepted");
            }
        }
    }
    return unsupported(where, "private key type not accepted");
}

}  // namespace

PrivateKey::PrivateKey() : impl_(std::make_unique<Impl>()) {}
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

KeyType PrivateKey::type() const {
    return impl_->type;
}

Expected<PublicKey> PrivateKey::public_key() const {
    std::string spki;
    {
        std::lock_guard<std::mutex> guard(impl_->lock);
        spki = write_der([&](unsigned char* buffer, std::size_t size) {
            return mbedtls_pk_write_pubkey_der(&impl_->pk, buffer, size);
        });
    }
    if (spki.empty()) return make_error(Errc::internal, "cannot encode the public half of the private key");
    return parse_public_key_der(spki, "private key");
}

std::string PrivateKey::public_key_pem() const {
    auto key = public_key();
    return key ? crypto::pem_encode("PUBLIC KEY", key->spki_der()) : std::string();
}

std::string PrivateKey::pkcs8_pem() const {
    std::lock_guard<std::mutex> guard(impl_->lock);
    // mbedTLS 2.28 writes SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"); PKCS#8 wraps
    // that in PrivateKeyInfo { version 0, AlgorithmIdentifier, OCTET STRING }.
    std::string inner = write_der([&](unsigned char* buffer, std::size_t size) {
        return mbedtls_pk_write_key_der(&impl_->pk, buffer, size);
    });
    if (inner.empty()) return {};
    std::string algorithm;
    switch (impl_->type) {
        case KeyType::ecdsa_p256:
            algorithm = std::string(kOidEcPublicKey) + std::string(kOidP256);
            break;
        case KeyType::ecdsa_p384:
            algorithm = std::string(kOidEcPublicKey) + std::string(kOidP384);
            break;
        case KeyType::ecdsa_p521:
            algorithm = std::string(kOidEcPublicKey) + std::string(kOidP521);
            break;
        case KeyType::rsa:
            algorithm = std::string(kOidRsaEncryptionWithNull);
            break;
        case KeyType::ed25519:
            wipe(inner);
            return {};
    }
    std::string octets = crypto::der_element(crypto::kDerOctetString, inner);
    std::string body =
        std::string("\x02\x01\x00"sv) + crypto::der_element(crypto::kDerSequence, algorithm) + octets;
    std::string der = crypto::der_element(crypto::kDerSequence, body);
    std::string pem = crypto::pem_encode("PRIVATE KEY", der);
    wipe(inner);
    wipe(octets);
    wipe(body);
    wipe(der);
    return pem;
}

Expected<std::string> PrivateKey::sign(std::string_view message) const {
    const mbedtls_md_type_t md = crypto::default_hash_for(impl_->type);
    unsigned char hash[64];
    const std::size_t hash_length = crypto::hash_message(md, message, hash);
    if (hash_length == 0) return make_error(Errc::internal, "message hash failed");
    crypto::Drbg drbg;
    if (!drbg.ok()) return make_error(Errc::internal, "cannot seed the random generator");
    unsigned char signature[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    std::size_t signature_length = 0;
    std::lock_guard<std::mutex> guard(impl_->lock);
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    const int ret = mbedtls_pk_sign(&impl_->pk, md, hash, hash_length, signature, sizeof signature,
                                    &signature_length, crypto::Drbg::random, &drbg);
#else
    const int ret = mbedtls_pk_sign(&impl_->pk, md, hash, hash_length, signature, &signature_length,
                                    crypto::Drbg::random, &drbg);
#endif
    if (ret != 0)
        return make_error(Errc::internal, "signing failed (" + crypto::mbedtls_error_text(ret) + ")");
    return std::string(reinterpret_cast<const char*>(signature), signature_length);
}

Expected<PrivateKey> parse_private_key_pem(std::string_view pem, std::string_view where) {
    auto block = crypto::pem_decode(pem, where);
    if (!block) return block.take_error();
    struct Wiper {
        std::string& der;
        ~Wiper() { wipe(der); }
    } wiper{block->der};
    if (block->label != "PRIVATE KEY" && block->label != "EC PRIVATE KEY") {
        return malformed(
            where,
            "PEM block \"" + block->label +
                "\" is not an unencrypted private key (expected \"PRIVATE KEY\" or \"EC PRIVATE KEY\")");
    }
    if (block->label == "PRIVATE KEY" && pkcs8_algorithm_oid(block->der) == kOidEd25519) {
        return unsupported(where, "Ed25519 private keys cannot sign here (Ed25519 is verification only)");
    }
    auto impl = std::make_unique<PrivateKey::Impl>();
    const auto* der = reinterpret_cast<const unsigned char*>(block->der.data());
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    crypto::Drbg drbg;
    const int ret =
        mbedtls_pk_parse_key(&impl->pk, der, block->der.size(), nullptr, 0, crypto::Drbg::random, &drbg);
#else
    const int ret = mbedtls_pk_parse_key(&impl->pk, der, block->der.size(), nullptr, 0);
#endif
    if (ret == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG) return unsupported(where, "private key algorithm not accepted");
    if (ret != 0)
        return malformed(where, "private key cannot be decoded (" + crypto::mbedtls_error_text(ret) + ")");
    auto type = classify(impl->pk, where);
    if (!type) return type.take_error();
    impl->type = *type;
    return PrivateKey(std::move(impl));
}

Expected<PrivateKey> generate_ecdsa_p256_key() {
    crypto::Drbg drbg;
    if (!drbg.ok()) return make_error(Errc::internal, "cannot seed the random generator");
    auto impl = std::make_unique<PrivateKey::Impl>();
    int ret = mbedtls_pk_setup(&impl->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (ret == 0) {
        ret = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(impl->pk), crypto::Drbg::random,
                                  &drbg);
    }
    if (ret != 0)
        return make_error(Errc::internal, "key generation failed (" + crypto::mbedtls_error_text(ret) + ")");
    impl->type = KeyType::ecdsa_p256;
    return PrivateKey(std::move(impl));
}

}  // namespace edgeverify
