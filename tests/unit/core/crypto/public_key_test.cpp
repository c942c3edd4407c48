// Public key parsing against keys made by openssl (tests/data/keys/make.sh).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "unit/core/crypto/key_files.hpp"

using namespace edgeverify;
using edgeverify::test::key_file;

TEST_SUITE("crypto") {
    TEST_CASE("public keys of every accepted type parse with type, size and cosign hint") {
        struct Row {
            const char* name;
            KeyType type;
            unsigned bits;
            const char* description;
        };
        const std::vector<Row> rows = {
            {"p256", KeyType::ecdsa_p256, 256, "ecdsa-p256"},
            {"p384", KeyType::ecdsa_p384, 384, "ecdsa-p384"},
            {"p521", KeyType::ecdsa_p521, 521, "ecdsa-p521"},
            {"rsa2048", KeyType::rsa, 2048, "rsa"},
            {"rsa3072", KeyType::rsa, 3072, "rsa"},
            {"ed25519", KeyType::ed25519, 255, "ed25519"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            auto key = parse_public_key_pem(key_file(std::string(row.name) + ".pub"), row.name);
            REQUIRE_MESSAGE(key, (key ? "" : key.error().message));
            CHECK(key->type() == row.type);
            CHECK(key->bits() == row.bits);
            CHECK(key_type_name(key->type()) == row.description);
            CHECK(key->hint() == key_file(std::string(row.name) + ".hint"));
            // The DER form parses to the same key.
            auto again = parse_public_key_der(key->spki_der(), row.name);
            REQUIRE(again);
            CHECK(again->hint() == key->hint());
        }
    }

    TEST_CASE("a PKCS#1 RSA PUBLIC KEY parses to the same SPKI as its PUBLIC KEY form") {
        auto pkcs1 = parse_public_key_pem(key_file("rsa2048.pkcs1.pub"), "rsa2048.pkcs1.pub");
        REQUIRE(pkcs1);
        CHECK(pkcs1->type() == KeyType::rsa);
        CHECK(pkcs1->bits() == 2048);
        CHECK(pkcs1->hint() == key_file("rsa2048.hint"));
    }

    TEST_CASE("unsupported keys are refused by name") {
        struct Row {
            const char* name;
            const char* message;
        };
        const std::vector<Row> rows = {
            {"rsa1024", "rsa1024.pub: RSA key of 1024 bits: at least 2048 required"},
            {"secp256k1",
             "secp256k1.pub: ECDSA key on curve secp256k1: only P-256, P-384 and P-521 are accepted"},
            {"brainpool",
             "brainpool.pub: ECDSA key on curve brainpoolP256r1: only P-256, P-384 and P-521 are accepted"},
            {"dsa", "dsa.pub: DSA keys are not accepted"},
            {"x25519", "x25519.pub: X25519 (a key agreement key, not a signing key) keys are not accepted"},
        };
        for (const Row& row : rows) {
            const std::string where = std::string(row.name) + ".pub";
            auto key = parse_public_key_pem(key_file(where), where);
            REQUIRE_FALSE(key);
            CHECK(key.error().code == Errc::unsupported_key);
            CHECK(key.error().message == row.message);
        }
    }

    TEST_CASE("broken PEM and DER are key_malformed naming where") {
        const std::string good = key_file("p256.pub");
        const std::string der = parse_public_key_pem(good, "p256.pub")->spki_der();
        std::string bad_base64 = good;
        bad_base64[40] = '*';
        std::string wrong_label = good;
        wrong_label.replace(wrong_label.find("PUBLIC KEY"), 10, "CERTIFICATE");
        wrong_label.replace(wrong_label.rfind("PUBLIC KEY"), 10, "CERTIFICATE");
        const std::vector<std::string> pems = {
            "",
            "not a key",
            bad_base64,
            wrong_label,
            good.substr(0, good.size() - 10),  // END line cut
            key_file("p256.key"),              // a private key where a public one is expected
            "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n",
            "-----BEGIN RSA PUBLIC KEY-----\n" + base64_encode(der) + "\n-----END RSA PUBLIC KEY-----\n",
        };
        for (const std::string& pem : pems) {
            CAPTURE(pem);
            auto key = parse_public_key_pem(pem, "keys/a.pub");
            REQUIRE_FALSE(key);
            CHECK(key.error().code == Errc::key_malformed);
            CHECK(key.error().message.rfind("keys/a.pub: ", 0) == 0);
        }
        const std::vector<std::string> ders = {
            "",
            der.substr(0, der.size() - 1),  // truncated
            der + std::string(1, '\0'),     // trailing byte
            der.substr(1),
            std::string("\x30\x80", 2) + der.substr(2),  // indefinite length
        };
        for (const std::string& bytes : ders) {
            auto key = parse_public_key_der(bytes, "keys/a.pub");
            REQUIRE_FALSE(key);
            CHECK(key.error().code == Errc::key_malformed);
            CHECK(key.error().message.rfind("keys/a.pub: ", 0) == 0);
        }
    }

    TEST_CASE("an ECDSA key whose point is not on the curve is refused") {
        std::string der = parse_public_key_pem(key_file("p256.pub"), "p256.pub")->spki_der();
        der.back() = static_cast<char>(der.back() ^ 0x01);  // y changes, x stays: off the curve
        auto key = parse_public_key_der(der, "p256-offcurve");
        REQUIRE_FALSE(key);
        CHECK(key.error().code == Errc::key_malformed);
        CHECK(key.error().message == "p256-offcurve: ECDSA public key point is not on the curve");
    }

    TEST_CASE("an Ed25519 SPKI with a wrong length is malformed") {
        std::string der = parse_public_key_pem(key_file("ed25519.pub"), "ed25519.pub")->spki_der();
        der[1] = 0x2b;
        der.push_back('\0');
        auto key = parse_public_key_der(der, "ed");
        REQUIRE_FALSE(key);
        CHECK(key.error().code == Errc::key_malformed);
    }

    TEST_CASE("the cosign public key of the containers-image vectors parses") {
        const std::filesystem::path path = std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) /
                                           "../../../shared/vectors/containers-image-cosign/keys";
        if (!std::filesystem::exists(path / "cosign.pub")) {
            MESSAGE("public vectors absent: skipped");
            return;
        }
        for (const char* name : {"cosign.pub", "cosign2.pub", "rekor.pub", "some-rsa-key.pub"}) {
            CAPTURE(name);
            std::ifstream in(path / name, std::ios::binary);
            const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            auto key = parse_public_key_pem(pem, name);
            REQUIRE_MESSAGE(key, (key ? "" : key.error().message));
            CHECK(key->type() ==
                  (std::string(name) == "some-rsa-key.pub" ? KeyType::rsa : KeyType::ecdsa_p256));
        }
    }
}
