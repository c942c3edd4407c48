// Signature verification against signatures made by openssl (tests/data/keys/make.sh).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "unit/core/crypto/key_files.hpp"

using namespace edgeverify;
using edgeverify::test::key_file;

namespace {

struct SignedCase {
    const char* key;
    const char* signature;
    SignatureScheme scheme;
};

const std::vector<SignedCase>& openssl_signatures() {
    static const std::vector<SignedCase> cases = {
        {"p256", "p256.sig", SignatureScheme::key_default},
        {"p256", "p256.sig", SignatureScheme::ecdsa_sha256},
        {"p384", "p384.sig", SignatureScheme::key_default},
        {"p384", "p384.sha256.sig", SignatureScheme::ecdsa_sha256},
        {"p521", "p521.sig", SignatureScheme::key_default},
        {"rsa2048", "rsa2048.sig", SignatureScheme::key_default},
        {"rsa2048", "rsa2048.sig", SignatureScheme::rsa_pkcs1_sha256},
        {"rsa3072", "rsa3072.sig", SignatureScheme::key_default},
        {"rsa2048", "rsa2048.pss32.sig", SignatureScheme::rsa_pss_sha256},
        {"rsa2048", "rsa2048.pssmax.sig", SignatureScheme::rsa_pss_sha256},
        {"ed25519", "ed25519.sig", SignatureScheme::key_default},
    };
    return cases;
}

PublicKey load(const std::string& name) {
    auto key = parse_public_key_pem(key_file(name + ".pub"), name);
    REQUIRE_MESSAGE(key, (key ? "" : key.error().message));
    return std::move(key).value();
}

}  // namespace

TEST_SUITE("crypto") {
    TEST_CASE("every openssl signature verifies") {
        const std::string message = key_file("message.txt");
        REQUIRE_FALSE(message.empty());
        for (const SignedCase& row : openssl_signatures()) {
            CAPTURE(row.signature);
            const PublicKey key = load(row.key);
            const Status status = verify_signature(key, message, key_file(row.signature), row.scheme);
            CHECK_MESSAGE(status, (status ? "" : status.error().message));
        }
    }

    TEST_CASE("a flipped message byte or signature byte does not verify") {
        const std::string message = key_file("message.txt");
        for (const SignedCase& row : openssl_signatures()) {
            CAPTURE(row.signature);
            const PublicKey key = load(row.key);
            const std::string signature = key_file(row.signature);
            std::string bad_message = message;
            bad_message[3] = static_cast<char>(bad_message[3] ^ 0x01);
            const Status on_message = verify_signature(key, bad_message, signature, row.scheme);
            REQUIRE_FALSE(on_message);
            CHECK(on_message.error().code == Errc::signature_invalid);
            std::string bad_signature = signature;
            bad_signature[bad_signature.size() - 2] =
                static_cast<char>(bad_signature[bad_signature.size() - 2] ^ 0x01);
            const Status on_signature = verify_signature(key, message, bad_signature, row.scheme);
            REQUIRE_FALSE(on_signature);
            CHECK(on_signature.error().code == Errc::signature_invalid);
        }
    }

    TEST_CASE("another key's signature does not verify") {
        const std::string message = key_file("message.txt");
        const Status p256_with_p384 = verify_signature(load("p256"), message, key_file("p384.sha256.sig"));
        REQUIRE_FALSE(p256_with_p384);
        CHECK(p256_with_p384.error().code == Errc::signature_invalid);
        const Status rsa = verify_signature(load("rsa3072"), message, key_file("rsa2048.sig"));
        REQUIRE_FALSE(rsa);
        CHECK(rsa.error().message == "signature is 256 bytes; a rsa-3072 signature is 384");
    }

    TEST_CASE("an ECDSA signature that is not exact DER is refused as undecodable") {
        const std::string message = key_file("message.txt");
        const PublicKey key = load("p256");
        const std::string signature = key_file("p256.sig");
        for (const std::string& bad :
             {signature + std::string(1, '\0'), signature.substr(0, signature.size() - 1),
              std::string(64, '\x01'), std::string()}) {
            const Status status = verify_signature(key, message, bad);
            REQUIRE_FALSE(status);
            CHECK(status.error().code == Errc::signature_invalid);
            CHECK(status.error().message ==
                  "signature is not an ASN.1 DER ECDSA signature (SEQUENCE of two INTEGERs)");
        }
    }

    TEST_CASE("a scheme that does not fit the key is refused") {
        const std::string message = key_file("message.txt");
        const Status pss_on_ec =
            verify_signature(load("p256"), message, key_file("p256.sig"), SignatureScheme::rsa_pss_sha256);
        REQUIRE_FALSE(pss_on_ec);
        CHECK(pss_on_ec.error().code == Errc::signature_invalid);
        CHECK(pss_on_ec.error().message ==
              "signature scheme rsa-pss-sha256 does not apply to a ecdsa-p256 key");
        // A PSS signature is not a PKCS#1 v1.5 one.
        const Status pss_as_pkcs1 = verify_signature(load("rsa2048"), message, key_file("rsa2048.pss32.sig"));
        REQUIRE_FALSE(pss_as_pkcs1);
        CHECK(pss_as_pkcs1.error().code == Errc::signature_invalid);
        const Status ed_wrong_length = verify_signature(load("ed25519"), message, std::string(63, 'a'));
        REQUIRE_FALSE(ed_wrong_length);
        CHECK(ed_wrong_length.error().message == "signature is 63 bytes; an Ed25519 signature is 64");
    }
}
