// Digest grammar (image-spec descriptor.md) and digest_of.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/digest.hpp"

using namespace edgeverify;

namespace {
const std::string kEmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
}

TEST_SUITE("digest") {
    TEST_CASE("a valid sha256 digest parses and prints back unchanged") {
        auto d = Digest::parse(kEmptySha256);
        REQUIRE(d);
        CHECK(d->algorithm() == DigestAlgorithm::sha256);
        CHECK(d->str() == kEmptySha256);
    }

    TEST_CASE("a valid sha512 digest parses") {
        auto d = Digest::parse("sha512:" + std::string(128, 'a'));
        REQUIRE(d);
        CHECK(d->algorithm() == DigestAlgorithm::sha512);
    }

    TEST_CASE("invalid digests are rejected with the specific reason") {
        struct Case {
            std::string text;
            Errc code;
            std::string message_part;
        };
        const Case cases[] = {
            {"", Errc::digest_invalid, "expected algorithm:encoded"},
            {"sha256", Errc::digest_invalid, "expected algorithm:encoded"},
            {"sha256:", Errc::digest_invalid, "empty encoded part"},
            {":abc", Errc::digest_invalid, "invalid algorithm name"},
            {"SHA256:" + std::string(64, 'a'), Errc::digest_invalid, "invalid algorithm name"},
            {"sha256+:" + std::string(64, 'a'), Errc::digest_invalid, "invalid algorithm name"},
            {"sha256:" + std::string(64, 'A'), Errc::digest_invalid, "lowercase hex"},
            {"sha256:" + std::string(63, 'a'), Errc::digest_invalid, "needs 64 hex characters, got 63"},
            {"sha256:" + std::string(65, 'a'), Errc::digest_invalid, "needs 64 hex characters, got 65"},
            {"sha512:" + std::string(64, 'a'), Errc::digest_invalid, "needs 128 hex characters"},
            {"sha256:" + std::string(63, 'a') + "/", Errc::digest_invalid, "invalid character"},
            {"sha256:" + std::string(60, 'a') + "zzzz", Errc::digest_invalid, "lowercase hex"},
            {"blake3:" + std::string(64, 'a'), Errc::digest_unsupported, "unsupported algorithm 'blake3'"},
            {"md5:d41d8cd98f00b204e9800998ecf8427e", Errc::digest_unsupported, "unsupported algorithm 'md5'"},
            {"multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", Errc::digest_unsupported,
             "unsupported algorithm"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.text);
            auto d = Digest::parse(c.text);
            REQUIRE_FALSE(d);
            CHECK(d.error().code == c.code);
            CHECK(d.error().message.find(c.message_part) != std::string::npos);
        }
    }

    TEST_CASE("digest_of hashes with the requested algorithm") {
        CHECK(digest_of(DigestAlgorithm::sha256, "").str() == kEmptySha256);
        CHECK(digest_of(DigestAlgorithm::sha256, "abc").hex() ==
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    TEST_CASE("digests order and compare by algorithm and value") {
        auto a = Digest::parse("sha256:" + std::string(64, 'a'));
        auto b = Digest::parse("sha256:" + std::string(64, 'b'));
        REQUIRE(a);
        REQUIRE(b);
        CHECK(*a < *b);
        CHECK(*a == *Digest::parse(a->str()));
    }
}
