// Image manifests: OCI and Docker v2 schema 2 accepted; schema 1, wrong versions, contradicting
// media types and malformed descriptors refused with the JSON path.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;
using oci_test::valid_manifest_json;

namespace {
constexpr std::string_view kWhere = "manifest sha256:ab12";

Expected<ImageManifest> parse(const Json& document) {
    return parse_image_manifest(document.dump(), kWhere);
}
}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci manifest: a well-formed OCI manifest parses into its descriptors") {
        Json document = valid_manifest_json();
        document["annotations"] = {{"org.opencontainers.image.created", "2024-01-01T00:00:00Z"}};
        auto manifest = parse(document);
        REQUIRE(manifest);
        CHECK(manifest->schema_version == 2);
        CHECK(manifest->media_type == media_type::kOciManifest);
        CHECK_FALSE(manifest->docker);
        CHECK(manifest->config.media_type == media_type::kOciConfig);
        CHECK(manifest->config.digest.str() == oci_test::digest_of_char('c'));
        CHECK(manifest->config.size == 7023);
        REQUIRE(manifest->layers.size() == 3);
        CHECK(manifest->layers[2].media_type == media_type::kOciLayerZstd);
        CHECK(manifest->layers[1].size == 200);
        CHECK(manifest->annotations.at("org.opencontainers.image.created") == "2024-01-01T00:00:00Z");
        CHECK_FALSE(manifest->subject);
        CHECK_FALSE(manifest->artifact_type);
    }

    TEST_CASE("oci manifest: a Docker v2 schema 2 manifest is flagged docker") {
        Json document = valid_manifest_json();
        document["mediaType"] = media_type::kDockerManifest;
        auto manifest = parse(document);
        REQUIRE(manifest);
        CHECK(manifest->docker);
        CHECK(manifest->media_type == media_type::kDockerManifest);
    }

    TEST_CASE("oci manifest: mediaType may be absent (not docker)") {
        Json document = valid_manifest_json();
        document.erase("mediaType");
        auto manifest = parse(document);
        REQUIRE(manifest);
        CHECK(manifest->media_type.empty());
        CHECK_FALSE(manifest->docker);
    }

    TEST_CASE("oci manifest: unknown fields are ignored") {
        Json document = valid_manifest_json();
        document["x-vendor"] = {{"anything", Json::array({1, 2})}};
        document["layers"][0]["x-extra"] = true;
        CHECK(parse(document));
    }

    TEST_CASE("oci manifest: zero layers is a valid manifest") {
        Json document = valid_manifest_json();
        document["layers"] = Json::array();
        auto manifest = parse(document);
        REQUIRE(manifest);
        CHECK(manifest->layers.empty());
    }

    TEST_CASE("oci manifest: artifactType and subject are read") {
        Json document = valid_manifest_json();
        document["artifactType"] = "application/vnd.example.sbom+json";
        document["subject"] = oci_test::descriptor_json(media_type::kOciManifest, 'f', 1234);
        auto manifest = parse(document);
        REQUIRE(manifest);
        CHECK(manifest->artifact_type == "application/vnd.example.sbom+json");
        REQUIRE(manifest->subject);
        CHECK(manifest->subject->size == 1234);
    }

    TEST_CASE("oci manifest: Docker schema 1 is refused by version, mediaType or fields") {
        struct Row {
            const char* name;
            std::function<void(Json&)> mutate;
        };
        const std::vector<Row> rows = {
            {"schemaVersion 1", [](Json& d) { d["schemaVersion"] = 1; }},
            {"v1+json", [](Json& d) { d["mediaType"] = media_type::kDockerSchema1; }},
            {"v1+prettyjws", [](Json& d) { d["mediaType"] = media_type::kDockerSchema1Signed; }},
            {"signatures field", [](Json& d) { d["signatures"] = 1; }},
            {"fsLayers field", [](Json& d) { d["fsLayers"] = Json::array(); }},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            Json document = valid_manifest_json();
            row.mutate(document);
            check_error(parse(document), Errc::schema1_unsupported, "schema 1 manifests are refused");
        }
    }

    TEST_CASE("oci manifest: schemaVersion must be the integer 2") {
        Json document = valid_manifest_json();
        document["schemaVersion"] = 99999;
        check_error(parse(document), Errc::schema_violation,
                    "manifest sha256:ab12: schemaVersion: unsupported");
        document["schemaVersion"] = "2";
        check_error(parse(document), Errc::schema_violation,
                    "schemaVersion: expected the integer 2, got string");
        document.erase("schemaVersion");
        check_error(parse(document), Errc::schema_violation, "schemaVersion: required field is missing");
    }

    TEST_CASE("oci manifest: an index media type is a mismatch") {
        Json document = valid_manifest_json();
        document["mediaType"] = media_type::kOciIndex;
        check_error(parse(document), Errc::media_type_mismatch, "mediaType: expected an image manifest");
        document["mediaType"] = media_type::kDockerManifestList;
        check_error(parse(document), Errc::media_type_mismatch, "is an image index media type");
    }

    TEST_CASE("oci manifest: an index without mediaType is a mismatch") {
        Json document = oci_test::valid_index_json();
        document.erase("mediaType");
        check_error(parse(document), Errc::media_type_mismatch, "shaped like an image index");
    }

    TEST_CASE("oci manifest: an unknown top-level media type is unsupported") {
        Json document = valid_manifest_json();
        document["mediaType"] = "application/vnd.oci.artifact.manifest.v1+json";
        check_error(parse(document), Errc::unsupported_media_type, "is not an image manifest media type");
    }

    TEST_CASE("oci manifest: required fields and their types") {
        struct Row {
            const char* name;
            std::function<void(Json&)> mutate;
            Errc code;
            const char* fragment;
        };
        const std::vector<Row> rows = {
            {"root not an object", [](Json& d) { d = Json::array(); }, Errc::schema_violation,
             "manifest sha256:ab12: expected an object, got array"},
            {"config missing", [](Json& d) { d.erase("config"); }, Errc::schema_violation,
             "config: required field is missing"},
            {"config a string", [](Json& d) { d["config"] = "x"; }, Errc::schema_violation,
             "config: expected an object, got string"},
            {"layers missing", [](Json& d) { d.erase("layers"); }, Errc::schema_violation,
             "layers: required field is missing"},
            {"layers null", [](Json& d) { d["layers"] = nullptr; }, Errc::schema_violation,
             "layers: expected an array of descriptors, got null"},
            {"layers an object", [](Json& d) { d["layers"] = Json::object(); }, Errc::schema_violation,
             "layers: expected an array of descriptors, got object"},
            {"layer not an object", [](Json& d) { d["layers"][1] = 5; }, Errc::schema_violation,
             "layers[1]: expected an object, got 5"},
            {"annotations not strings",
             [](Json& d) {
                 d["annotations"] = {{"k", 1}};
             },
             Errc::schema_violation, "annotations.k: expected a string, got 1"},
            {"annotations an array", [](Json& d) { d["annotations"] = Json::array(); },
             Errc::schema_violation, "annotations: expected an object of strings, got array"},
            {"artifactType not a media type", [](Json& d) { d["artifactType"] = "sbom"; },
             Errc::schema_violation, "artifactType: \"sbom\" is not a media type"},
            {"subject malformed",
             [](Json& d) {
                 d["subject"] = {{"mediaType", "a/b"}};
             },
             Errc::schema_violation, "subject.digest: required field is missing"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.name);
            Json document = valid_manifest_json();
            row.mutate(document);
            check_error(parse(document), row.code, row.fragment);
        }
    }

    TEST_CASE("oci manifest: an empty config digest violates the digest grammar") {
        Json document = valid_manifest_json();
        document["config"]["digest"] = "";
        check_error(parse(document), Errc::digest_invalid, "manifest sha256:ab12: config.digest: ");
    }

    TEST_CASE("oci manifest: more layers than kMaxDescriptorsPerDocument is a named limit") {
        Json document = valid_manifest_json();
        Json layers = Json::array();
        for (std::size_t i = 0; i <= limits::kMaxDescriptorsPerDocument; ++i) {
            layers.push_back(oci_test::descriptor_json(media_type::kOciLayerGzip, 'a', 1));
        }
        document["layers"] = layers;
        check_error(parse(document), Errc::limit_exceeded,
                    "layers: 4097 descriptors, more than kMaxDescriptorsPerDocument");
    }

    TEST_CASE("oci manifest: JSON errors from the strict parser pass through") {
        check_error(parse_image_manifest("{\"schemaVersion\": 2,", kWhere), Errc::json_malformed,
                    "manifest sha256:ab12");
        check_error(parse_image_manifest(R"({"schemaVersion":2,"schemaVersion":2})", kWhere),
                    Errc::json_duplicate_key, "schemaVersion");
        check_error(parse_image_manifest(std::string("\xa3\x01\x9b\xc0", 4), kWhere), Errc::json_malformed,
                    "manifest sha256:ab12");
    }
}
