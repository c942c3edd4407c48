// Image indexes and Docker manifest lists.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;
using oci_test::valid_index_json;

namespace {
Expected<ImageIndex> parse(const Json& document) {
    return parse_image_index(document.dump(), "index.json");
}
}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci index: a well-formed OCI index parses with its platforms") {
        auto index = parse(valid_index_json());
        REQUIRE(index);
        CHECK(index->media_type == media_type::kOciIndex);
        CHECK_FALSE(index->docker);
        REQUIRE(index->manifests.size() == 2);
        REQUIRE(index->manifests[1].platform);
        CHECK(index->manifests[1].platform->architecture == "arm64");
        CHECK(index->manifests[1].platform->os == "linux");
    }

    TEST_CASE("oci index: a Docker manifest list is flagged docker") {
        Json document = valid_index_json();
        document["mediaType"] = media_type::kDockerManifestList;
        auto index = parse(document);
        REQUIRE(index);
        CHECK(index->docker);
    }

    TEST_CASE("oci index: mediaType may be absent") {
        Json document = valid_index_json();
        document.erase("mediaType");
        auto index = parse(document);
        REQUIRE(index);
        CHECK(index->media_type.empty());
        CHECK_FALSE(index->docker);
    }

    TEST_CASE("oci index: an empty manifests array is valid") {
        Json document = valid_index_json();
        document["manifests"] = Json::array();
        auto index = parse(document);
        REQUIRE(index);
        CHECK(index->manifests.empty());
    }

    TEST_CASE("oci index: entries of unknown media types are kept, not refused") {
        Json document = valid_index_json();
        document["manifests"].push_back(
            oci_test::descriptor_json("application/vnd.oci.descriptor.v1+json", 'f', 9));
        auto index = parse(document);
        REQUIRE(index);
        CHECK(index->manifests.size() == 3);
        CHECK(index->manifests[2].media_type == "application/vnd.oci.descriptor.v1+json");
    }

    TEST_CASE("oci index: manifests is required and must be an array") {
        Json document = valid_index_json();
        document["manifests"] = nullptr;
        check_error(parse(document), Errc::schema_violation,
                    "index.json: manifests: expected an array of descriptors, got null");
        document.erase("manifests");
        check_error(parse(document), Errc::schema_violation,
                    "index.json: manifests: required field is missing");
    }

    TEST_CASE("oci index: a bad entry names its position") {
        Json document = valid_index_json();
        document["manifests"][1]["size"] = "big";
        check_error(parse(document), Errc::schema_violation,
                    "index.json: manifests[1].size: expected a non-negative integer, got string");
    }

    TEST_CASE("oci index: a manifest media type is a mismatch") {
        Json document = valid_index_json();
        document["mediaType"] = media_type::kOciManifest;
        check_error(parse(document), Errc::media_type_mismatch, "mediaType: expected an image index");
    }

    TEST_CASE("oci index: a manifest without mediaType is a mismatch") {
        Json document = oci_test::valid_manifest_json();
        document.erase("mediaType");
        check_error(parse(document), Errc::media_type_mismatch, "shaped like an image manifest");
    }

    TEST_CASE("oci index: schemaVersion must be 2 and schema 1 is refused") {
        Json document = valid_index_json();
        document["schemaVersion"] = 3;
        check_error(parse(document), Errc::schema_violation, "schemaVersion: unsupported schema version 3");
        document["schemaVersion"] = 1;
        check_error(parse(document), Errc::schema1_unsupported, "schema 1 manifests are refused");
    }

    TEST_CASE("oci index: more entries than kMaxDescriptorsPerDocument is a named limit") {
        Json document = valid_index_json();
        Json manifests = Json::array();
        for (std::size_t i = 0; i <= limits::kMaxDescriptorsPerDocument; ++i) {
            manifests.push_back(oci_test::descriptor_json(media_type::kOciManifest, 'a', 1));
        }
        document["manifests"] = manifests;
        check_error(parse(document), Errc::limit_exceeded, "kMaxDescriptorsPerDocument");
    }

    TEST_CASE("oci index: subject and annotations are read") {
        Json document = valid_index_json();
        document["subject"] = oci_test::descriptor_json(media_type::kOciManifest, 'e', 10);
        document["annotations"] = {{"org.opencontainers.image.ref.name", "1.0"}};
        auto index = parse(document);
        REQUIRE(index);
        REQUIRE(index->subject);
        CHECK(index->subject->size == 10);
        CHECK(index->annotations.at("org.opencontainers.image.ref.name") == "1.0");
    }
}
