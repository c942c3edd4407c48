// COSE_Sign1 envelopes and the strict CBOR decoder under them.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "edgeverify/notation.hpp"
#include "core/notation/cbor.hpp"
#include "unit/core/notation/notation_fixtures.hpp"

using namespace edgeverify;

namespace {

std::string bytes(std::initializer_list<unsigned> values) {
    std::string out;
    for (unsigned v : values) out.push_back(static_cast<char>(v));
    return out;
}

// notation-go's COSE envelopes (../shared/vectors/notation-go), read in place when present.
std::optional<std::filesystem::path> notation_vectors() {
    const char* configured = std::getenv("EDGEVERIFY_SHARED_VECTORS");
    const std::filesystem::path dir =
        (configured ? std::filesystem::path(configured)
                    : std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors") /
        "notation-go";
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
        MESSAGE("notation-go vectors not found at " << dir.string() << ": COSE vector checks skipped");
        return std::nullopt;
    }
    return dir.lexically_normal();
}

}  // namespace

TEST_SUITE("notation") {
    TEST_CASE("CBOR decodes integers, strings, arrays, maps and tags") {
        auto item = cbor::decode(bytes({0xd2, 0x84, 0x41, 0xa0, 0xa1, 0x01, 0x26, 0x63, 'a', 'b', 'c', 0x38, 0x24}), "t");
        REQUIRE(item);
        CHECK(item->type == cbor::Type::tag);
        CHECK(item->integer == 18);
        const cbor::Item& array = item->items[0];
        REQUIRE(array.items.size() == 4);
        CHECK(array.items[0].bytes == std::string(1, '\xa0'));
        CHECK(array.items[1].find(cbor::integer_key(1))->is_integer(-7));
        CHECK(array.items[2].is_text("abc"));
        CHECK(array.items[3].is_integer(-37));
        CHECK(cbor::encode_head(2, 300) == bytes({0x59, 0x01, 0x2c}));
    }

    TEST_CASE("CBOR refuses indefinite lengths, duplicate keys, floats, truncation, trailing bytes") {
        struct Row {
            std::string input, reason;
        };
        const std::vector<Row> rows = {
            {bytes({0x9f, 0x01, 0xff}), "indefinite"},
            {bytes({0xa2, 0x01, 0x01, 0x01, 0x02}), "repeats a key"},
            {bytes({0xf9, 0x3c, 0x00}), "floats"},
            {bytes({0x43, 0x01}), "past the end"},
            {bytes({0x01, 0x01}), "bytes after the item"},
            {bytes({0x19, 0x01}), "item head"},
            {bytes({0x9a, 0xff, 0xff, 0xff, 0xff}), "kMaxItems"},
            {std::string(40, '\x81') + '\x01', "kMaxDepth"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.reason);
            auto item = cbor::decode(row.input, "t");
            REQUIRE(!item);
            CHECK(item.error().code == Errc::signature_invalid);
            CHECK(item.error().message.find(row.reason) != std::string::npos);
        }
    }

    TEST_CASE("COSE envelopes that are not COSE_Sign1_Tagged are refused") {
        CHECK(parse_cose_envelope(bytes({0x84, 0x40, 0xa0, 0x40, 0x40}), "untagged").error().message.find("tag 18") !=
              std::string::npos);
        CHECK(parse_cose_envelope(bytes({0xd2, 0x83, 0x40, 0xa0, 0x40}), "three").error().message.find("4 items") !=
              std::string::npos);
        CHECK(parse_cose_envelope(bytes({0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x40}), "detached").error().message.find("detached") !=
              std::string::npos);
        CHECK(parse_notation_envelope("{}", "application/pgp-signature", "x").error().code == Errc::unsupported_media_type);
    }

    TEST_CASE("notation-go COSE envelopes parse and their signatures verify with the leaf key") {
        const auto dir = notation_vectors();
        if (!dir) return;
        for (const char* name : {"coseWithTimestamp.sig", "coseExpiredWithTimestamp.sig", "timestampAfterNotAfter.sig"}) {
            CAPTURE(name);
            const auto path = *dir / "envelopes" / "timestamp" / "sigEnv" / name;
            std::ifstream in(path, std::ios::binary);
            std::ostringstream content;
            content << in.rdbuf();
            auto envelope = parse_cose_envelope(content.str(), name);
            REQUIRE_MESSAGE(envelope, envelope.error().message);
            CHECK(envelope->scheme == NotationSigningScheme::x509);
            CHECK(envelope->timestamp_token.has_value());
            CHECK(envelope->target.digest.str() ==
                  "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda");
            auto key = certificate_public_key(envelope->chain.front(), name);
            REQUIRE(key);
            CHECK(verify_notary_signature(*key, envelope->algorithm, envelope->signed_bytes, envelope->signature));
            std::string tampered = envelope->signed_bytes;
            tampered.back() ^= 0x01;
            CHECK(!verify_notary_signature(*key, envelope->algorithm, tampered, envelope->signature));
        }
    }
}
