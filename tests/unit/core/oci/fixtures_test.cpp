// The manifest-parse and platform-select vectors of ../shared/vectors/oci-image-layouts, read in
// place (never copied into the repository). When the folder is absent the tests say so and
// check nothing.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;

namespace {

// The public vector sets sit next to the repository (../shared/vectors), as in
// tests/CMakeLists.txt; EDGEVERIFY_SHARED_VECTORS overrides the location.
std::filesystem::path shared_vectors_dir() {
    if (const char* configured = std::getenv("EDGEVERIFY_SHARED_VECTORS")) return configured;
    // EDGEVERIFY_TEST_DATA_DIR is <repo>/tests/data.
    return (std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors")
        .lexically_normal();
}

// The containers/image manifest fixtures, or nullopt (with a message) when they are not here.
std::optional<std::filesystem::path> fixture_dir() {
    const std::filesystem::path dir =
        shared_vectors_dir() / "oci-image-layouts" / "containers-image-manifests";
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
        MESSAGE("public vectors not found at " << dir.string()
                                               << ": fixture checks skipped, nothing verified");
        return std::nullopt;
    }
    return dir;
}

std::string read_fixture(const std::filesystem::path& dir, const char* name) {
    std::ifstream in(dir / name, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read fixture " << (dir / name).string());
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci fixtures: valid manifests and indexes parse") {
        const auto dir = fixture_dir();
        if (!dir) return;
        auto oci = parse_image_manifest(read_fixture(*dir, "ociv1.manifest.json"), "ociv1.manifest.json");
        REQUIRE(oci);
        CHECK_FALSE(oci->docker);
        CHECK(oci->layers.size() == 3);

        auto nomime = parse_image_manifest(read_fixture(*dir, "ociv1nomime.manifest.json"), "ociv1nomime");
        REQUIRE(nomime);
        CHECK(nomime->media_type.empty());

        auto v2s2 = parse_image_manifest(read_fixture(*dir, "v2s2.manifest.json"), "v2s2.manifest.json");
        REQUIRE(v2s2);
        CHECK(v2s2->docker);

        auto index =
            parse_image_index(read_fixture(*dir, "ociv1.image.index.json"), "ociv1.image.index.json");
        REQUIRE(index);
        CHECK(index->manifests.size() == 2);

        auto index_nomime =
            parse_image_index(read_fixture(*dir, "ociv1nomime.image.index.json"), "nomime index");
        REQUIRE(index_nomime);
        CHECK(index_nomime->manifests[1].platform->os_features == std::vector<std::string>{"sse4"});

        auto list = parse_image_index(read_fixture(*dir, "v2list.manifest.json"), "v2list.manifest.json");
        REQUIRE(list);
        CHECK(list->docker);
        CHECK(list->manifests.size() == 5);
    }

    TEST_CASE("oci fixtures: structure alone tells manifests from indexes") {
        const auto dir = fixture_dir();
        if (!dir) return;
        CHECK(*sniff_document_kind(read_fixture(*dir, "ociv1nomime.manifest.json"), "m") ==
              DocumentKind::manifest);
        CHECK(*sniff_document_kind(read_fixture(*dir, "ociv1nomime.image.index.json"), "i") ==
              DocumentKind::index);
    }

    TEST_CASE("oci fixtures: invalid manifests are refused with their specific error") {
        const auto dir = fixture_dir();
        if (!dir) return;
        check_error(parse_image_manifest(read_fixture(*dir, "ociv1.artifact.json"), "ociv1.artifact.json"),
                    Errc::digest_invalid, "ociv1.artifact.json: config.digest");
        check_error(parse_image_manifest(read_fixture(*dir, "non-json.manifest.json"), "non-json"),
                    Errc::json_malformed, "non-json");
        check_error(
            parse_image_manifest(read_fixture(*dir, "unknown-version.manifest.json"), "unknown-version"),
            Errc::schema_violation, "unknown-version: schemaVersion: unsupported schema version 99999");
        check_error(parse_image_manifest(read_fixture(*dir, "v2s1.manifest.json"), "v2s1"),
                    Errc::schema1_unsupported, "v2s1: Docker schema 1 manifests are refused");
        check_error(
            parse_image_manifest(read_fixture(*dir, "v2s1-invalid-signatures.manifest.json"), "v2s1-bad"),
            Errc::schema1_unsupported, "schema 1 manifests are refused");
    }

    TEST_CASE("oci fixtures: ocilist-variants selects like the OCI first-match rule") {
        const auto dir = fixture_dir();
        if (!dir) return;
        auto index = parse_image_index(read_fixture(*dir, "ocilist-variants.json"), "ocilist-variants.json");
        REQUIRE(index);
        struct Row {
            const char* platform;
            const char* expected;  // nullptr: no match
        };
        // From cases.json. containers/image would pick the zstd variant for linux/arm/v6
        // (f365...); the OCI rule takes the first match (dddd...).
        const std::vector<Row> rows = {
            {"linux/amd64", "sha256:59eec8837a4d942cc19a52b8c09ea75121acc38114a2c68b98983ce9356b8610"},
            {"linux/arm/v7", "sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"},
            {"linux/arm/v6", "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"},
            {"linux/arm/v5", "sha256:c84b0a3a07b628bc4d62e5047d0f8dff80f7c00979e1e28a821a033ecda8fe53"},
            {"linux/arm", "sha256:c84b0a3a07b628bc4d62e5047d0f8dff80f7c00979e1e28a821a033ecda8fe53"},
            {"linux/arm/unrecognized-present",
             "sha256:bcf9771c0b505e68c65440474179592ffdfa98790eb54ffbf129969c5e429990"},
            {"linux/arm/unrecognized-not-present",
             "sha256:c84b0a3a07b628bc4d62e5047d0f8dff80f7c00979e1e28a821a033ecda8fe53"},
            {"linux/arm64", nullptr},
        };
        for (const Row& row : rows) {
            CAPTURE(row.platform);
            auto wanted = parse_platform(row.platform);
            REQUIRE(wanted);
            const auto chosen = select_platform(*index, *wanted);
            if (row.expected == nullptr) {
                CHECK_FALSE(chosen);
            } else {
                REQUIRE(chosen);
                CHECK(index->manifests[*chosen].digest.str() == row.expected);
            }
        }
    }
}
