// Image configs: platform, user, labels, rootfs.diff_ids.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;
using oci_test::valid_config_json;

namespace {
constexpr std::string_view kWhere = "config sha256:cc";
Expected<ImageConfig> parse(const Json& document) {
    return parse_image_config(document.dump(), kWhere);
}
}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci config: the fields later checks use are read") {
        Json document = valid_config_json();
        document["variant"] = "v8";
        auto config = parse(document);
        REQUIRE(config);
        CHECK(config->architecture == "arm64");
        CHECK(config->os == "linux");
        CHECK(config->variant == "v8");
        CHECK(config->created == "2024-01-02T03:04:05Z");
        CHECK(config->user == "1000:1000");
        CHECK(config->labels.at("org.example.team") == "edge");
        CHECK(config->rootfs_type == "layers");
        REQUIRE(config->diff_ids.size() == 2);
        CHECK(config->diff_ids[1].str() == oci_test::digest_of_char('f'));
    }

    TEST_CASE("oci config: execution config and labels may be absent or null (Docker writes null)") {
        Json document = valid_config_json();
        document["config"]["Labels"] = nullptr;
        auto with_null_labels = parse(document);
        REQUIRE(with_null_labels);
        CHECK(with_null_labels->labels.empty());
        CHECK(with_null_labels->user == "1000:1000");

        document.erase("config");
        document.erase("created");
        auto bare = parse(document);
        REQUIRE(bare);
        CHECK(bare->user.empty());
        CHECK(bare->created.empty());
    }

    TEST_CASE("oci config: an empty diff_ids list is valid (an image with no layers)") {
        Json document = valid_config_json();
        document["rootfs"]["diff_ids"] = Json::array();
        auto config = parse(document);
        REQUIRE(config);
        CHECK(config->diff_ids.empty());
    }

    TEST_CASE("oci config: malformed fields are refused with the JSON path") {
        struct Row {
            const char* name;
            std::function<void(Json&)> mutate;
            Errc code;
            const char* fragment;
        };
        const std::vector<Row> rows = {
            {"architecture missing", [](Json& d) { d.erase("architecture"); }, Errc::schema_violation,
             "config sha256:cc: architecture: required field is missing"},
            {"os a number", [](Json& d) { d["os"] = 1; }, Errc::schema_violation,
             "os: expected a string, got 1"},
            {"created a number", [](Json& d) { d["created"] = 17; }, Errc::schema_violation,
             "created: expected a string, got 17"},
            {"User an array", [](Json& d) { d["config"]["User"] = Json::array(); }, Errc::schema_violation,
             "config.User: expected a string, got array"},
            {"Labels with a number",
             [](Json& d) {
                 d["config"]["Labels"] = {{"a", 1}};
             },
             Errc::schema_violation, "config.Labels.a: expected a string, got 1"},
            {"config a string", [](Json& d) { d["config"] = "x"; }, Errc::schema_violation,
             "config: expected an object, got string"},
            {"rootfs missing", [](Json& d) { d.erase("rootfs"); }, Errc::schema_violation,
             "rootfs: required field is missing"},
            {"rootfs.type not layers", [](Json& d) { d["rootfs"]["type"] = "dirs"; }, Errc::schema_violation,
             "rootfs.type: must be \"layers\", got \"dirs\""},
            {"diff_ids missing", [](Json& d) { d["rootfs"].erase("diff_ids"); }, Errc::schema_violation,
             "rootfs.diff_ids: required field is missing"},
            {"diff_ids null", [](Json& d) { d["rootfs"]["diff_ids"] = nullptr; }, Errc::schema_violation,
             "rootfs.diff_ids: expected an array of digests, got null"},
            {"diff_id a number", [](Json& d) { d["rootfs"]["diff_ids"][1] = 5; }, Errc::schema_violation,
             "rootfs.diff_ids[1]: expected a digest string, got 5"},
            {"diff_id bad grammar", [](Json& d) { d["rootfs"]["diff_ids"][0] = "sha256:xyz"; },
             Errc::digest_invalid, "config sha256:cc: rootfs.diff_ids[0]: "},
            {"diff_id unknown algorithm",
             [](Json& d) { d["rootfs"]["diff_ids"][0] = "blake3:" + std::string(64, 'a'); },
             Errc::digest_unsupported, "rootfs.diff_ids[0]: "},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            Json document = valid_config_json();
            row.mutate(document);
            check_error(parse(document), row.code, row.fragment);
        }
    }

    TEST_CASE("oci config: a JSON syntax error names the document") {
        check_error(parse_image_config("{", kWhere), Errc::json_malformed, "config sha256:cc");
    }
}
