// Strict base64: one accepted encoding per byte string, everything else refused by name.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/crypto.hpp"

using namespace edgeverify;

TEST_SUITE("crypto") {
    TEST_CASE("base64 decodes canonical padded text and encodes back to it") {
        struct Row {
            std::string encoded;
            std::string decoded;
        };
        const std::vector<Row> rows = {
            {"", ""},
            {"Zg==", "f"},
            {"Zm8=", "fo"},
            {"Zm9v", "foo"},
            {"Zm9vYg==", "foob"},
            {"Zm9vYmE=", "fooba"},
            {"Zm9vYmFy", "foobar"},
            {"+/8=", "\xfb\xff"},
            {"AA==", std::string(1, '\0')},
        };
        for (const Row& row : rows) {
            CAPTURE(row.encoded);
            auto decoded = base64_decode(row.encoded, "test");
            REQUIRE(decoded);
            CHECK(*decoded == row.decoded);
            CHECK(base64_encode(row.decoded) == row.encoded);
        }
    }

    TEST_CASE("base64 refuses missing padding, whitespace, junk and non-canonical bits") {
        for (const char* bad : {"e30", "e3=0", "e30==", "=e30", "Zh==", "Zm9=", "e3 0=", "e30=\n",
                                "-_8=", "====", "Zg=a", "Z===", "Zm9v\nYmFy", "Zm9v YmFy", "Zm9vYmFy!"}) {
            CAPTURE(bad);
            auto decoded = base64_decode(bad, "layers[0].data");
            REQUIRE_FALSE(decoded);
            CHECK(decoded.error().code == Errc::schema_violation);
            CHECK(decoded.error().message.rfind("layers[0].data: not valid base64", 0) == 0);
        }
    }

    TEST_CASE("base64 round-trips every byte value") {
        std::string all;
        for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
        for (std::size_t length = 0; length <= all.size(); length += 37) {
            const std::string bytes = all.substr(0, length);
            auto decoded = base64_decode(base64_encode(bytes), "test");
            REQUIRE(decoded);
            CHECK(*decoded == bytes);
        }
    }
}
