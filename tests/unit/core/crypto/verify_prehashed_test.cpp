// Signatures checked over a sha256 digest computed elsewhere (a messageSignature over an image
// manifest): openssl's signatures over message.txt verify against sha256(message.txt).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "unit/core/crypto/key_files.hpp"

using namespace edgeverify;
using edgeverify::test::key_file;

namespace {

PublicKey load(const std::string& name) {
    auto key = parse_public_key_pem(key_file(name + ".pub"), name);
    REQUIRE_MESSAGE(key, (key ? "" : key.error().message));
    return std::move(*key);
}

Digest message_digest() {
    return digest_of(DigestAlgorithm::sha256, key_file("message.txt"));
}

}  // namespace

TEST_SUITE("crypto") {
    TEST_CASE("openssl's SHA-256 signatures verify over the message's sha256 digest") {
        struct Case {
            const char* key;
            const char* signature;
            SignatureScheme scheme;
        };
        const std::vector<Case> cases = {
            {"p256", "p256.sig", SignatureScheme::key_default},
            {"p384", "p384.sha256.sig", SignatureScheme::key_default},
            {"rsa2048", "rsa2048.sig", SignatureScheme::key_default},
            {"rsa3072", "rsa3072.sig", SignatureScheme::rsa_pkcs1_sha256},
            {"rsa2048", "rsa2048.pss32.sig", SignatureScheme::rsa_pss_sha256},
            {"rsa2048", "rsa2048.pssmax.sig", SignatureScheme::rsa_pss_sha256},
        };
        for (const Case& c : cases) {
            CAPTURE(c.signature);
            const PublicKey key = load(c.key);
            const auto verified =
                verify_signature_prehashed(key, message_digest(), key_file(c.signature), c.scheme);
            CHECK_MESSAGE(verified, (verified ? "" : verified.error().message));
        }
    }

    TEST_CASE("a signature made here verifies over the digest of what was signed") {
        const PrivateKey signer = generate_ecdsa_p256_key().value();
        const std::string signature = signer.sign("manifest bytes").value();
        const PublicKey key = signer.public_key().value();
        CHECK(
            verify_signature_prehashed(key, digest_of(DigestAlgorithm::sha256, "manifest bytes"), signature));
    }

    TEST_CASE("a signature over another digest is signature_invalid") {
        const PublicKey key = load("p256");
        const auto verified = verify_signature_prehashed(key, digest_of(DigestAlgorithm::sha256, "other"),
                                                         key_file("p256.sig"));
        REQUIRE_FALSE(verified);
        CHECK(verified.error().code == Errc::signature_invalid);
        CHECK(verified.error().message == "signature does not verify with the ecdsa-p256 key");
    }

    TEST_CASE("an RSA PKCS#1 v1.5 signature does not pass as PSS over the digest") {
        const auto verified = verify_signature_prehashed(
            load("rsa2048"), message_digest(), key_file("rsa2048.sig"), SignatureScheme::rsa_pss_sha256);
        REQUIRE_FALSE(verified);
        CHECK(verified.error().code == Errc::signature_invalid);
    }

    TEST_CASE("Ed25519 cannot verify over a digest") {
        const auto verified =
            verify_signature_prehashed(load("ed25519"), message_digest(), key_file("ed25519.sig"));
        REQUIRE_FALSE(verified);
        CHECK(verified.error().code == Errc::unsupported_key);
        CHECK(verified.error().message == "pure Ed25519 signs the message, not a digest");
    }

    TEST_CASE("a digest other than sha256 is digest_unsupported") {
        const auto verified = verify_signature_prehashed(
            load("p256"), digest_of(DigestAlgorithm::sha512, key_file("message.txt")), key_file("p256.sig"));
        REQUIRE_FALSE(verified);
        CHECK(verified.error().code == Errc::digest_unsupported);
    }
}
