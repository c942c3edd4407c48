// The private helpers of the OCI parsers: strict base64 and RFC 6838 media type names.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/oci/json_fields.hpp"

using edgeverify::oci_detail::decode_base64_strict;
using edgeverify::oci_detail::is_rfc6838_media_type;

TEST_SUITE("oci") {
    TEST_CASE("oci base64: canonical padded base64 decodes") {
        struct Row {
            const char* encoded;
            const char* decoded;
        };
        const std::vector<Row> rows = {
            {"", ""},        {"e30=", "{}"},         {"Zg==", "f"},        {"Zm8=", "fo"},
            {"Zm9v", "foo"}, {"Zm9vYmFy", "foobar"}, {"+/8=", "\xfb\xff"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.encoded);
            CHECK(decode_base64_strict(row.encoded) == std::string(row.decoded));
        }
    }

    TEST_CASE("oci base64: anything else is refused") {
        for (const char* bad : {"e30", "e3=0", "e30==", "=e30", "Zh==", "Zm9=", "e3 0=", "e30=\n",
                                "-_8=", "====", "Zg=a", "Z==="}) {
            CAPTURE(bad);
            CHECK_FALSE(decode_base64_strict(bad));
        }
    }

    TEST_CASE("oci media type names follow RFC 6838") {
        for (const char* good : {"application/vnd.oci.image.manifest.v1+json", "a/b", "text/x-c",
                                 "application/vnd.a!#$&^_.+-b"}) {
            CAPTURE(good);
            CHECK(is_rfc6838_media_type(good));
        }
        const std::string long_name(128, 'a');
        for (const std::string& bad : std::vector<std::string>{
                 "", "tar", "/json", "application/", "application/+json", "a/b/c", "a b/c",
                 "application/json; charset=utf-8", "application/" + long_name}) {
            CAPTURE(bad);
            CHECK_FALSE(is_rfc6838_media_type(bad));
        }
    }
}
