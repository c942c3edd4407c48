// Public keys, signature verification and signing. Every mbedTLS call lives in src/core/crypto;
// Ed25519 (absent from mbedTLS 2.28) goes through nettle there too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify {

enum class KeyType { ecdsa_p256, ecdsa_p384, ecdsa_p521, rsa, ed25519 };
std::string_view key_type_name(KeyType type);  // "ecdsa-p256", ..., "rsa-3072", "ed25519"

// How a signature was made. `key_default` is what cosign and sigstore-go use for a key of that
// type: ECDSA P-256/SHA-256, P-384/SHA-384, P-521/SHA-512 (ASN.1 DER signatures); RSA PKCS#1 v1.5
// with SHA-256; pure Ed25519 over the message.
enum class SignatureScheme { key_default, ecdsa_sha256, rsa_pkcs1_sha256, rsa_pss_sha256 };

class PublicKey {
public:
    PublicKey();
    ~PublicKey();
    PublicKey(PublicKey&&) noexcept;
    PublicKey& operator=(PublicKey&&) noexcept;
    PublicKey(const PublicKey&) = delete;
    PublicKey& operator=(const PublicKey&) = delete;

    KeyType type() const;
    unsigned bits() const;                 // 256, 384, 521, RSA modulus size, 255 for Ed25519
    const std::string& spki_der() const;   // SubjectPublicKeyInfo DER (also for PKCS#1 input)
    // cosign's key hint: base64(sha256(SPKI DER)).
    std::string hint() const;

    struct Impl;
    explicit PublicKey(std::unique_ptr<Impl> impl);
    const Impl& impl() const { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

// PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1). ECDSA on P-256/P-384/P-521, RSA >= 2048
// bits, Ed25519. Anything else -> Errc::unsupported_key naming `where` and what was found;
// broken PEM/DER -> Errc::key_malformed.
Expected<PublicKey> parse_public_key_pem(std::string_view pem, std::string_view where);
Expected<PublicKey> parse_public_key_der(std::string_view spki_der, std::string_view where);

// Verifies `signature` over `message` (the message itself, hashed as the scheme says).
// A bad signature -> Errc::signature_invalid; a signature that cannot be decoded (not DER,
// wrong length) -> Errc::signature_invalid too, with a message saying so.
Status verify_signature(const PublicKey& key, std::string_view message, std::string_view signature,
                        SignatureScheme scheme = SignatureScheme::key_default);

// Verifies `signature` over a sha256 `digest` computed elsewhere (a Sigstore messageSignature
// over an image manifest, whose digest stands for the artifact): ECDSA (any curve, the digest
// as the hash) and RSA PKCS#1 v1.5 (key_default) or PSS. A digest other than sha256 ->
// Errc::digest_unsupported; an Ed25519 key -> Errc::unsupported_key (pure Ed25519 signs the
// message, not a digest); a bad signature -> Errc::signature_invalid.
Status verify_signature_prehashed(const PublicKey& key, const Digest& digest, std::string_view signature,
                                  SignatureScheme scheme = SignatureScheme::key_default);

// Notary Project signature algorithms (RFC 7518 JWS names; COSE -37..-39, -7, -35, -36).
// RSASSA-PSS uses MGF1 with the same hash; ECDSA signatures are raw R||S of fixed width.
enum class NotaryAlgorithm { ps256, ps384, ps512, es256, es384, es512 };
std::string_view notary_algorithm_name(NotaryAlgorithm algorithm);  // "PS256", ...
// The one algorithm a key signs with (FORMATS.md C.5): RSA 2048/3072/4096 -> PS256/384/512,
// P-256/P-384/P-521 -> ES256/384/512. Any other key -> Errc::unsupported_key.
Expected<NotaryAlgorithm> notary_algorithm_for_key(const PublicKey& key);
// PSS salt: signers use the hash length (COSE requires it); JWS verifiers in Go accept any.
enum class PssSalt { hash_length, any };
// A bad or malformed signature -> Errc::signature_invalid; `algorithm` not the key's ->
// Errc::signature_invalid naming both.
Status verify_notary_signature(const PublicKey& key, NotaryAlgorithm algorithm, std::string_view message,
                               std::string_view signature, PssSalt salt = PssSalt::hash_length);

// A signing key (ECDSA P-256 for `edgeverify sign`/`keygen`; P-384 and RSA accepted on input).
class PrivateKey {
public:
    PrivateKey();
    ~PrivateKey();
    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;
    PrivateKey(const PrivateKey&) = delete;
    PrivateKey& operator=(const PrivateKey&) = delete;

    KeyType type() const;
    Expected<PublicKey> public_key() const;
    std::string pkcs8_pem() const;         // "PRIVATE KEY"
    std::string public_key_pem() const;    // "PUBLIC KEY"
    // Signs with the key's default scheme (ECDSA: DER signature over SHA-256 of message for P-256).
    Expected<std::string> sign(std::string_view message) const;

    struct Impl;
    explicit PrivateKey(std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> impl_;
};

// PEM "PRIVATE KEY" (PKCS#8, unencrypted) or "EC PRIVATE KEY" (SEC1).
Expected<PrivateKey> parse_private_key_pem(std::string_view pem, std::string_view where);
Expected<PrivateKey> generate_ecdsa_p256_key();

// Strict base64 (RFC 4648, padding required, no whitespace) and its encoder.
Expected<std::string> base64_decode(std::string_view text, std::string_view where);
std::string base64_encode(std::string_view bytes);
// RFC 7515 base64url without padding (JWS): '-' and '_', no '=', zero trailing bits.
Expected<std::string> base64url_decode(std::string_view text, std::string_view where);

}  // namespace edgeverify
