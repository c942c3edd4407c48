// Sigstore bundle referrers found offline: the real @sigstore/oci referrer of the skopeo-sigstore
// probe image, listed in index.json, behind a referrers-tag index, and unlisted among blobs/ as
// cosign save leaves it; and the bad inputs (two bundle layers, too many referrers, a tampered
// bundle, a symlinked manifest).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "edgeverify/signatures.hpp"
#include "unit/core/integrity/referrer_layouts.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

const Digest kSubject = Digest::parse(kProbeImageDigest).value();

Expected<std::vector<SignatureCandidate>> referrers_of(const ProbeLayout& layout) {
    SourceSpec spec;
    spec.path = layout.path();
    auto source = open_source(spec, ScanOptions{});
    REQUIRE(source.has_value());
    return find_bundle_referrers(**source, kSubject);
}

void check_found_once(const Expected<std::vector<SignatureCandidate>>& found) {
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 1);
    const SignatureCandidate& c = found->front();
    CHECK(c.kind == CandidateKind::sigstore_bundle);
    CHECK(c.origin == "referrer " + kProbeReferrerDigest);
    CHECK(c.media_type == kBundleMediaType);
    CHECK(c.payload == ProbeLayout::bundle());
    CHECK(c.annotations.at("org.opencontainers.image.created") == "2026-11-27T19:52:09.282Z");
}

// A referrer manifest of the probe image with the given layers (JSON array).
std::string synthetic_referrer(const Json& layers) {
    return Json{{"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                {"artifactType", kBundleMediaType},
                {"config",
                 {{"mediaType", "application/vnd.oci.empty.v1+json"},
                  {"digest", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
                  {"size", 2}}},
                {"layers", layers},
                {"subject",
                 {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                  {"digest", kProbeImageDigest},
                  {"size", 657}}}}
        .dump();
}

}  // namespace

TEST_CASE("bundle referrers: none in a layout with only the image") {
    ProbeLayout layout;
    auto found = referrers_of(layout);
    REQUIRE(found.has_value());
    CHECK(found->empty());
}

TEST_CASE("bundle referrers: listed in index.json") {
    ProbeLayout layout;
    layout.list_referrer();
    check_found_once(referrers_of(layout));
}

TEST_CASE("bundle referrers: through the referrers-tag index sha256-<hex>") {
    ProbeLayout layout;
    layout.tag_referrers();
    check_found_once(referrers_of(layout));
}

TEST_CASE("bundle referrers: unlisted among blobs/sha256, as cosign save leaves them") {
    ProbeLayout layout;
    layout.add_referrer_blobs();
    check_found_once(referrers_of(layout));
}

TEST_CASE("bundle referrers: one referrer found by all three routes is read once") {
    ProbeLayout layout;
    layout.list_referrer();
    layout.tag_referrers();
    check_found_once(referrers_of(layout));
}

TEST_CASE("bundle referrers: a referrer of another image is not ours") {
    ProbeLayout layout;
    layout.add_referrer_blobs();
    SourceSpec spec;
    spec.path = layout.path();
    auto source = open_source(spec, ScanOptions{});
    REQUIRE(source.has_value());
    auto other = Digest::parse("sha256:" + std::string(64, 'a')).value();
    auto found = find_bundle_referrers(**source, other);
    REQUIRE(found.has_value());
    CHECK(found->empty());
}

TEST_CASE("bundle referrers: a referrer without a bundle layer (an SBOM) is skipped") {
    ProbeLayout layout;
    const std::string sbom = "{\"spdxVersion\":\"SPDX-2.3\"}";
    Json layer{
        {"mediaType", "application/spdx+json"}, {"digest", layout.add_blob(sbom)}, {"size", sbom.size()}};
    layout.add_blob(synthetic_referrer(Json::array({layer})));
    auto found = referrers_of(layout);
    REQUIRE(found.has_value());
    CHECK(found->empty());
}

TEST_CASE("bundle referrers: two bundle layers in one referrer is schema_violation") {
    ProbeLayout layout;
    const std::string bundle = ProbeLayout::bundle();
    Json layer{{"mediaType", kBundleMediaType}, {"digest", layout.add_blob(bundle)}, {"size", bundle.size()}};
    const std::string manifest = synthetic_referrer(Json::array({layer, layer}));
    const std::string digest = layout.add_blob(manifest);
    auto found = referrers_of(layout);
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::schema_violation);
    CHECK(found.error().message ==
          "referrer manifest " + digest + ": 2 Sigstore bundle layers, expected exactly one");
}

TEST_CASE("bundle referrers: more than kMaxSignaturesPerImage referrers is limit_exceeded") {
    ProbeLayout layout;
    Json tag_index{{"schemaVersion", 2}, {"mediaType", "application/vnd.oci.image.index.v1+json"}};
    tag_index["manifests"] = Json::array();
    for (std::size_t i = 0; i <= limits::kMaxSignaturesPerImage; ++i) {
        std::string hex = std::to_string(i);
        hex = std::string(64 - hex.size(), '0') + hex;
        tag_index["manifests"].push_back(Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                              {"digest", "sha256:" + hex},
                                              {"size", 2}});
    }
    const std::string bytes = tag_index.dump();
    layout.add_index_entry(Json{
        {"mediaType", "application/vnd.oci.image.index.v1+json"},
        {"digest", layout.add_blob(bytes)},
        {"size", bytes.size()},
        {"annotations", {{"org.opencontainers.image.ref.name", "sha256-" + kProbeImageDigest.substr(7)}}}});
    auto found = referrers_of(layout);
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::limit_exceeded);
    CHECK(found.error().message ==
          "referrers of " + kProbeImageDigest + ": more than kMaxSignaturesPerImage (1000)");
}

TEST_CASE("bundle referrers: a bundle blob that does not hash to its digest is digest_mismatch") {
    ProbeLayout layout;
    layout.list_referrer();
    const std::string bundle_digest = "sha256:" + sha256_hex(ProbeLayout::bundle());
    std::string tampered = ProbeLayout::bundle();
    tampered[tampered.size() / 2] ^= 1;  // same size: the digest check must catch it
    write_file(layout.blob_file(bundle_digest), tampered);
    auto found = referrers_of(layout);
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::digest_mismatch);
    CHECK(found.error().message.starts_with("bundle " + bundle_digest + " of referrer " +
                                            kProbeReferrerDigest + ": blob blobs/sha256/" +
                                            bundle_digest.substr(7) + " hashes to sha256:"));
}

TEST_CASE("bundle referrers: a symlinked referrer manifest is unsafe_path") {
    ProbeLayout layout;
    layout.tag_referrers();
    const std::string manifest_file = layout.blob_file(kProbeReferrerDigest);
    write_file(layout.path() + "/elsewhere.json", ProbeLayout::referrer_manifest());
    std::filesystem::remove(manifest_file);
    std::filesystem::create_symlink("../../elsewhere.json", manifest_file);
    auto found = referrers_of(layout);
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::unsafe_path);
    CHECK(found.error().message.find("is a symbolic link") != std::string::npos);
}

TEST_CASE("bundle referrers: found the same way in an oci-archive of the layout") {
    ProbeLayout layout;
    layout.add_referrer_blobs();
    layout.tag_referrers();
    std::vector<TarEntry> entries;
    for (const auto& file : std::filesystem::recursive_directory_iterator(layout.path())) {
        if (!file.is_regular_file()) continue;
        entries.emplace_back(std::filesystem::relative(file.path(), layout.path()).string(),
                             read_bytes(file.path()));
    }
    TempDir out;
    write_file(out / "image.oci.tar", make_tar(entries));
    SourceSpec spec;
    spec.path = out / "image.oci.tar";
    auto source = open_source(spec, ScanOptions{});
    REQUIRE(source.has_value());
    check_found_once(find_bundle_referrers(**source, kSubject));
}
