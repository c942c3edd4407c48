// Descriptors: required mediaType/digest/size, optional urls/annotations/data/platform, and
// errors that name the JSON path of the bad field.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;

namespace {
constexpr std::string_view kWhere = "manifest sha256:ab12";

// A manifest whose layers[2] is replaced by `layer`.
Expected<ImageManifest> parse_with_layer(const Json& layer) {
    Json document = oci_test::valid_manifest_json();
    document["layers"][2] = layer;
    return parse_image_manifest(document.dump(), kWhere);
}

Json layer() {
    return oci_test::descriptor_json(media_type::kOciLayerGzip, 'a', 2);
}

// The empty descriptor of image-spec manifest.md: content "{}".
Json empty_descriptor() {
    return Json{{"mediaType", media_type::kOciEmpty},
                {"digest", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
                {"size", 2},
                {"data", "e30="}};
}
}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci descriptor: bad fields are refused with the document and JSON path") {
        struct Row {
            const char* name;
            std::function<void(Json&)> mutate;
            Errc code;
            const char* fragment;
        };
        const std::vector<Row> rows = {
            {"mediaType missing", [](Json& l) { l.erase("mediaType"); }, Errc::schema_violation,
             "manifest sha256:ab12: layers[2].mediaType: required field is missing"},
            {"mediaType a number", [](Json& l) { l["mediaType"] = 3; }, Errc::schema_violation,
             "layers[2].mediaType: expected a string, got 3"},
            {"mediaType without subtype", [](Json& l) { l["mediaType"] = "tar"; }, Errc::schema_violation,
             "layers[2].mediaType: \"tar\" is not a media type"},
            {"mediaType with spaces", [](Json& l) { l["mediaType"] = "application/ tar"; },
             Errc::schema_violation, "layers[2].mediaType"},
            {"digest missing", [](Json& l) { l.erase("digest"); }, Errc::schema_violation,
             "layers[2].digest: required field is missing"},
            {"digest null", [](Json& l) { l["digest"] = nullptr; }, Errc::schema_violation,
             "layers[2].digest: expected a string, got null"},
            {"digest uppercase hex", [](Json& l) { l["digest"] = "sha256:" + std::string(64, 'A'); },
             Errc::digest_invalid, "layers[2].digest: "},
            {"digest short", [](Json& l) { l["digest"] = "sha256:abc"; }, Errc::digest_invalid,
             "layers[2].digest: "},
            {"digest unknown algorithm", [](Json& l) { l["digest"] = "md5:" + std::string(32, 'a'); },
             Errc::digest_unsupported, "layers[2].digest: "},
            {"size missing", [](Json& l) { l.erase("size"); }, Errc::schema_violation,
             "layers[2].size: required field is missing"},
            {"size a string", [](Json& l) { l["size"] = "12"; }, Errc::schema_violation,
             "manifest sha256:ab12: layers[2].size: expected a non-negative integer, got string"},
            {"size negative", [](Json& l) { l["size"] = -1; }, Errc::schema_violation,
             "layers[2].size: expected a non-negative integer, got -1"},
            {"size fractional", [](Json& l) { l["size"] = 1.5; }, Errc::schema_violation,
             "layers[2].size: expected a non-negative integer, got 1.5"},
            {"size beyond int64", [](Json& l) { l["size"] = 18446744073709551615ULL; },
             Errc::schema_violation, "layers[2].size: expected a non-negative integer that fits int64"},
            {"urls not an array", [](Json& l) { l["urls"] = "https://x"; }, Errc::schema_violation,
             "layers[2].urls: expected an array of strings, got string"},
            {"urls item not a string",
             [](Json& l) {
                 l["urls"] = Json::array({"https://x", 1});
             },
             Errc::schema_violation, "layers[2].urls[1]: expected a string, got 1"},
            {"annotation value a number",
             [](Json& l) {
                 l["annotations"] = {{"a.b", 2}};
             },
             Errc::schema_violation, "layers[2].annotations.a.b: expected a string, got 2"},
            {"data not base64", [](Json& l) { l["data"] = "e30"; }, Errc::schema_violation,
             "layers[2].data: not valid base64"},
            {"data a number", [](Json& l) { l["data"] = 5; }, Errc::schema_violation,
             "layers[2].data: expected a string, got 5"},
            {"platform not an object", [](Json& l) { l["platform"] = "linux/amd64"; }, Errc::schema_violation,
             "layers[2].platform: expected an object, got string"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            Json bad = layer();
            row.mutate(bad);
            check_error(parse_with_layer(bad), row.code, row.fragment);
        }
    }

    TEST_CASE("oci descriptor: optional fields are read") {
        Json full = layer();
        full["urls"] = Json::array({"https://mirror.example.com/blob"});
        full["annotations"] = {{"org.example.note", "hello"}};
        full["artifactType"] = "application/vnd.example+json";
        auto manifest = parse_with_layer(full);
        REQUIRE(manifest);
        const Descriptor& descriptor = manifest->layers[2];
        CHECK(descriptor.urls == std::vector<std::string>{"https://mirror.example.com/blob"});
        CHECK(descriptor.annotations.at("org.example.note") == "hello");
        CHECK(descriptor.artifact_type == "application/vnd.example+json");
        CHECK_FALSE(descriptor.data);
        CHECK_FALSE(descriptor.platform);
    }

    TEST_CASE("oci descriptor: null optional fields count as absent") {
        Json with_nulls = layer();
        with_nulls["urls"] = nullptr;
        with_nulls["annotations"] = nullptr;
        with_nulls["platform"] = nullptr;
        auto manifest = parse_with_layer(with_nulls);
        REQUIRE(manifest);
        CHECK(manifest->layers[2].urls.empty());
        CHECK_FALSE(manifest->layers[2].platform);
    }

    TEST_CASE("oci descriptor: embedded data is decoded") {
        auto manifest = parse_with_layer(empty_descriptor());
        REQUIRE(manifest);
        CHECK(manifest->layers[2].data == "{}");
    }

    TEST_CASE("oci descriptor: embedded data must have the descriptor's size") {
        Json bad = empty_descriptor();
        bad["size"] = 3;
        check_error(parse_with_layer(bad), Errc::size_mismatch, "layers[2].data: decodes to 2 bytes");
    }

    TEST_CASE("oci descriptor: embedded data must hash to the descriptor's digest") {
        Json bad = empty_descriptor();
        bad["data"] = "W10=";  // "[]"
        check_error(parse_with_layer(bad), Errc::digest_mismatch, "layers[2].data: embedded data hashes to");
    }

    TEST_CASE("oci descriptor: a platform needs os and architecture") {
        Json document = oci_test::valid_index_json();
        document["manifests"][1]["platform"].erase("os");
        check_error(parse_image_index(document.dump(), "index.json"), Errc::schema_violation,
                    "index.json: manifests[1].platform.os: required field is missing");
    }

    TEST_CASE("oci descriptor: platform os.version and os.features are read") {
        Json document = oci_test::valid_index_json();
        document["manifests"][0]["platform"]["os.version"] = "10.0.17763.1040";
        document["manifests"][0]["platform"]["os.features"] = Json::array({"win32k"});
        document["manifests"][0]["platform"]["variant"] = "v3";
        auto index = parse_image_index(document.dump(), "index.json");
        REQUIRE(index);
        const Platform& platform = *index->manifests[0].platform;
        CHECK(platform.os_version == "10.0.17763.1040");
        CHECK(platform.os_features == std::vector<std::string>{"win32k"});
        CHECK(platform.variant == "v3");
        CHECK(platform.str() == "linux/amd64/v3");
    }
}
