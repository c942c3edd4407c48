// Signing keys: parsing openssl's PKCS#8 and SEC1 keys, generation, PKCS#8 output that openssl
// accepts, and sign-then-verify round trips.
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "edgeverify/crypto.hpp"
#include "unit/core/crypto/key_files.hpp"

using namespace edgeverify;
using edgeverify::test::key_file;

TEST_SUITE("crypto") {
    TEST_CASE("openssl private keys parse and their public half matches the .pub") {
        const struct {
            const char* file;
            const char* pub;
            KeyType type;
        } rows[] = {
            {"p256.key", "p256", KeyType::ecdsa_p256}, {"p256.sec1.key", "p256", KeyType::ecdsa_p256},
            {"p384.key", "p384", KeyType::ecdsa_p384}, {"p521.key", "p521", KeyType::ecdsa_p521},
            {"rsa2048.key", "rsa2048", KeyType::rsa},
        };
        for (const auto& row : rows) {
            const std::string file = row.file;
            CAPTURE(file);
            auto key = parse_private_key_pem(key_file(row.file), row.file);
            REQUIRE_MESSAGE(key, (key ? "" : key.error().message));
            CHECK(key->type() == row.type);
            auto pub = key->public_key();
            REQUIRE(pub);
            CHECK(pub->hint() == key_file(std::string(row.pub) + ".hint"));
            CHECK(key->public_key_pem() == key_file(std::string(row.pub) + ".pub"));
            // Signatures made here verify with the openssl public key.
            auto signature = key->sign("payload bytes");
            REQUIRE(signature);
            auto openssl_pub = parse_public_key_pem(key_file(std::string(row.pub) + ".pub"), row.pub);
            REQUIRE(openssl_pub);
            CHECK(verify_signature(*openssl_pub, "payload bytes", *signature));
            // And the PKCS#8 output parses back to the same key.
            auto again = parse_private_key_pem(key->pkcs8_pem(), "pkcs8");
            REQUIRE_MESSAGE(again, (again ? "" : again.error().message));
            CHECK(again->public_key()->hint() == pub->hint());
        }
    }

    TEST_CASE("private keys that cannot sign here are refused") {
        const struct {
            const char* file;
            Errc code;
        } rows[] = {
            {"rsa1024.key", Errc::unsupported_key},
            {"secp256k1.key", Errc::unsupported_key},
            {"ed25519.key", Errc::unsupported_key},
            {"p256.pub", Errc::key_malformed},
        };
        for (const auto& row : rows) {
            const std::string file = row.file;
            CAPTURE(file);
            auto key = parse_private_key_pem(key_file(row.file), row.file);
            REQUIRE_FALSE(key);
            CHECK(key.error().code == row.code);
            CHECK(key.error().message.rfind(std::string(row.file) + ": ", 0) == 0);
        }
        auto rsa = parse_private_key_pem(key_file("rsa1024.key"), "k");
        CHECK(rsa.error().message == "k: RSA key of 1024 bits: at least 2048 required");
    }

    TEST_CASE("a generated P-256 key signs, verifies and round-trips through PKCS#8") {
        auto key = generate_ecdsa_p256_key();
        REQUIRE(key);
        CHECK(key->type() == KeyType::ecdsa_p256);
        auto pub = key->public_key();
        REQUIRE(pub);
        CHECK(pub->type() == KeyType::ecdsa_p256);
        auto signature = key->sign("message");
        REQUIRE(signature);
        CHECK(verify_signature(*pub, "message", *signature));
        CHECK_FALSE(verify_signature(*pub, "messagE", *signature));
        const std::string pem = key->pkcs8_pem();
        CHECK(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
        auto again = parse_private_key_pem(pem, "generated");
        REQUIRE(again);
        CHECK(again->public_key()->hint() == pub->hint());
        auto public_again = parse_public_key_pem(key->public_key_pem(), "generated.pub");
        REQUIRE(public_again);
        CHECK(public_again->hint() == pub->hint());
        // Two generated keys differ.
        CHECK(generate_ecdsa_p256_key()->public_key()->hint() != pub->hint());
    }

    TEST_CASE("openssl accepts the generated PKCS#8 key and verifies its signature") {
        if (std::system("openssl version > /dev/null 2>&1") != 0) {
            MESSAGE("openssl not installed: skipped");
            return;
        }
        auto key = generate_ecdsa_p256_key();
        REQUIRE(key);
        const auto dir =
            std::filesystem::temp_directory_path() / ("edgeverify-crypto-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        const auto write = [&](const char* name, const std::string& bytes) {
            std::ofstream(dir / name, std::ios::binary) << bytes;
        };
        write("k.pem", key->pkcs8_pem());
        write("k.pub", key->public_key_pem());
        write("msg", "signed by edgeverify");
        write("sig", *key->sign("signed by edgeverify"));
        const std::string d = dir.string();
        CHECK(std::system(("openssl pkey -in " + d + "/k.pem -noout 2>/dev/null").c_str()) == 0);
        CHECK(std::system(
                  ("openssl asn1parse -in " + d + "/k.pem 2>/dev/null | grep -q prime256v1").c_str()) == 0);
        CHECK(std::system(("openssl dgst -sha256 -verify " + d + "/k.pub -signature " + d + "/sig " + d +
                           "/msg > /dev/null 2>&1")
                              .c_str()) == 0);
        // PKCS#8 written for openssl's own P-384 and RSA keys is accepted by openssl too.
        for (const char* name : {"p384", "rsa2048"}) {
            CAPTURE(std::string(name));
            write("other.pem",
                  parse_private_key_pem(key_file(std::string(name) + ".key"), name)->pkcs8_pem());
            CHECK(std::system(("openssl pkey -in " + d + "/other.pem -pubout 2>/dev/null | cmp -s - " +
                               EDGEVERIFY_TEST_DATA_DIR + "/keys/" + name + ".pub")
                                  .c_str()) == 0);
        }
        std::filesystem::remove_all(dir);
    }
}
