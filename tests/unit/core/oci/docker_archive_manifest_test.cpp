// docker-archive manifest.json: a non-empty array of {Config, RepoTags, Layers} with safe paths.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;

namespace {
Json image_json() {
    return Json{{"Config", "blobs/sha256/" + std::string(64, 'c')},
                {"RepoTags", Json::array({"registry.example.com/fleet/app:1.0"})},
                {"Layers", Json::array({"blobs/sha256/" + std::string(64, 'a'), "5f70bf18/layer.tar"})},
                {"LayerSources", Json::object()}};
}

Expected<std::vector<DockerArchiveImage>> parse(const Json& document) {
    return parse_docker_archive_manifest(document.dump(), "manifest.json");
}
}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci docker-archive: images are read in order") {
        Json second = image_json();
        second["RepoTags"] = nullptr;  // saved by image ID
        auto images = parse(Json::array({image_json(), second}));
        REQUIRE(images);
        REQUIRE(images->size() == 2);
        CHECK((*images)[0].config_path == "blobs/sha256/" + std::string(64, 'c'));
        CHECK((*images)[0].repo_tags == std::vector<std::string>{"registry.example.com/fleet/app:1.0"});
        CHECK((*images)[0].layer_paths.size() == 2);
        CHECK((*images)[0].layer_paths[1] == "5f70bf18/layer.tar");
        CHECK((*images)[1].repo_tags.empty());
    }

    TEST_CASE("oci docker-archive: null, empty or non-array manifest.json is a malformed archive") {
        check_error(parse_docker_archive_manifest("null", "manifest.json"), Errc::archive_malformed,
                    "manifest.json: expected a non-empty JSON array of images, got null");
        check_error(parse(Json::array()), Errc::archive_malformed, "manifest.json: the image list is empty");
        check_error(parse(Json::object()), Errc::archive_malformed, "got object");
    }

    TEST_CASE("oci docker-archive: item fields have required types") {
        struct Row {
            const char* name;
            std::function<void(Json&)> mutate;
            const char* fragment;
        };
        const std::vector<Row> rows = {
            {"item not an object", [](Json& i) { i = "x"; },
             "manifest.json: [0]: expected an object, got string"},
            {"Config missing", [](Json& i) { i.erase("Config"); }, "[0].Config: required field is missing"},
            {"Config a number", [](Json& i) { i["Config"] = 1; }, "[0].Config: expected a string, got 1"},
            {"Layers missing", [](Json& i) { i.erase("Layers"); }, "[0].Layers: required field is missing"},
            {"Layers null", [](Json& i) { i["Layers"] = nullptr; },
             "[0].Layers: expected an array of paths, got null"},
            {"layer not a string", [](Json& i) { i["Layers"][1] = 3; },
             "[0].Layers[1]: expected a path string, got 3"},
            {"RepoTags a string", [](Json& i) { i["RepoTags"] = "a:b"; },
             "[0].RepoTags: expected an array of strings"},
            {"empty Config path", [](Json& i) { i["Config"] = ""; }, "[0].Config: empty path"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            Json item = image_json();
            row.mutate(item);
            check_error(parse(Json::array({item})), Errc::schema_violation, row.fragment);
        }
    }

    TEST_CASE("oci docker-archive: paths must stay inside the archive") {
        struct Row {
            const char* path;
            const char* fragment;
        };
        const std::vector<Row> rows = {
            {"/etc/passwd", "is absolute"},
            {"../outside.tar", "\"..\" component"},
            {"a/../../b", "\"..\" component"},
            {"a/..", "\"..\" component"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.path);
            Json as_config = image_json();
            as_config["Config"] = row.path;
            check_error(parse(Json::array({as_config})), Errc::unsafe_path, row.fragment);
            Json as_layer = image_json();
            as_layer["Layers"][0] = row.path;
            check_error(parse(Json::array({as_layer})), Errc::unsafe_path,
                        "manifest.json: [0].Layers[0]: path");
        }
    }

    TEST_CASE("oci docker-archive: names that only look like dot-dot are fine") {
        Json item = image_json();
        item["Layers"] = Json::array({"..a/layer.tar", "a../layer.tar", "./x/layer.tar"});
        CHECK(parse(Json::array({item})));
    }

    TEST_CASE("oci docker-archive: JSON syntax errors pass through") {
        check_error(parse_docker_archive_manifest("[{", "manifest.json"), Errc::json_malformed,
                    "manifest.json");
    }
}
