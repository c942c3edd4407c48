// Referrers are not images: an index.json entry that is a Sigstore bundle referrer, an OCI 1.1
// artifact or a referrers-tag index is never verified or reported as an image to run.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/integrity.hpp"
#include "unit/core/integrity/referrer_layouts.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

IntegrityReport verify_layout(const std::string& path) {
    SourceSpec spec;
    spec.path = path;
    IntegrityOptions options;
    options.platform = Platform{"linux", "amd64", "", "", {}};
    auto report = verify_integrity(spec, options);
    REQUIRE(report.has_value());
    return std::move(*report);
}

void check_only_the_image(const IntegrityReport& report) {
    CHECK(report.errors.empty());
    REQUIRE(report.images.size() == 1);
    CHECK(report.images[0].manifest_digest.str() == kProbeImageDigest);
    CHECK(report.passed());
}

}  // namespace

TEST_CASE("integrity: the probe image alone verifies") {
    ProbeLayout layout;
    check_only_the_image(verify_layout(layout.path()));
}

TEST_CASE("integrity: a listed bundle referrer is not an image") {
    ProbeLayout layout;
    layout.list_referrer();
    check_only_the_image(verify_layout(layout.path()));
}

TEST_CASE("integrity: a referrer listed without artifactType is known by its subject") {
    ProbeLayout layout;
    layout.add_referrer_blobs();
    layout.add_index_entry(Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                {"digest", kProbeReferrerDigest},
                                {"size", ProbeLayout::referrer_manifest().size()}});
    check_only_the_image(verify_layout(layout.path()));
}

TEST_CASE("integrity: a referrers-tag index sha256-<hex> is not an image") {
    ProbeLayout layout;
    layout.tag_referrers();
    check_only_the_image(verify_layout(layout.path()));
}

TEST_CASE("integrity: an artifact with the empty config and no subject is not an image") {
    ProbeLayout layout;
    const std::string empty = "{}";
    const std::string manifest = Json{
        {"schemaVersion", 2},
        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
        {"config",
         {{"mediaType", "application/vnd.oci.empty.v1+json"},
          {"digest", layout.add_blob(empty)},
          {"size", 2}}},
        {"layers", Json::array()}}.dump();
    layout.add_index_entry(Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                {"digest", layout.add_blob(manifest)},
                                {"size", manifest.size()}});
    check_only_the_image(verify_layout(layout.path()));
}

TEST_CASE("integrity: a layout holding only a referrer has no image to verify") {
    ProbeLayout layout;
    layout.add_referrer_blobs();
    write_file(
        layout.path() + "/index.json",
        Json{{"schemaVersion", 2},
             {"manifests", Json::array({Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                             {"digest", kProbeReferrerDigest},
                                             {"size", ProbeLayout::referrer_manifest().size()}}})}}
            .dump());
    const IntegrityReport report = verify_layout(layout.path());
    CHECK(report.images.empty());
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0].code == Errc::no_image);
}

TEST_CASE("integrity: an unreadable listed manifest is still verified, and fails") {
    ProbeLayout layout;
    layout.add_index_entry(Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                {"digest", "sha256:" + std::string(64, 'b')},
                                {"size", 10}});
    const IntegrityReport report = verify_layout(layout.path());
    CHECK(report.images.size() == 2);
    REQUIRE_FALSE(report.errors.empty());
    CHECK(report.errors[0].code == Errc::blob_missing);
}
