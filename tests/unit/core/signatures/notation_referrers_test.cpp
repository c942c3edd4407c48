// Notation signatures found offline as OCI referrers of the skopeo-sigstore probe image: listed
// with artifactType, unlisted in Notation 1.0's config form, behind a referrers-tag index; passed
// over when they are another tool's referrers or another image's; listed and refused when their
// shape is wrong; an error when a blob does not match its descriptor.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "edgeverify/signatures.hpp"
#include "unit/core/integrity/referrer_layouts.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

const std::string kNotary = "application/vnd.cncf.notary.signature";
const std::string kJws = "application/jose+json";
const std::string kManifestType = "application/vnd.oci.image.manifest.v1+json";

std::string envelope() {
    return read_bytes(std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / "notation" / "es256.jws");
}

Expected<std::vector<SignatureCandidate>> notation_of(const ProbeLayout& layout,
                                                      const std::string& subject = kProbeImageDigest) {
    SourceSpec spec;
    spec.path = layout.path();
    auto source = open_source(spec, ScanOptions{});
    REQUIRE(source.has_value());
    return find_notation_signatures(**source, Digest::parse(subject).value());
}

// A Notation signature manifest of `subject` with `layers`; `legacy`: no artifactType, the config
// media type says it (Notation <= 1.1).
std::string signature_manifest(ProbeLayout& layout, const Json& layers, bool legacy = false,
                               const std::string& subject = kProbeImageDigest) {
    const std::string config = layout.add_blob("{}");
    Json manifest{{"schemaVersion", 2},
                  {"mediaType", kManifestType},
                  {"config",
                   {{"mediaType", legacy ? kNotary : "application/vnd.oci.empty.v1+json"},
                    {"digest", config},
                    {"size", 2}}},
                  {"layers", layers},
                  {"subject", {{"mediaType", kManifestType}, {"digest", subject}, {"size", 657}}}};
    if (!legacy) manifest["artifactType"] = kNotary;
    return manifest.dump();
}

Json jws_layer(ProbeLayout& layout, const std::string& bytes) {
    const std::string digest = layout.add_blob(bytes);
    return Json::array({{{"mediaType", kJws}, {"digest", digest}, {"size", bytes.size()}}});
}

// Stores `manifest` and lists it in index.json; returns its digest.
std::string list(ProbeLayout& layout, const std::string& manifest) {
    const std::string digest = layout.add_blob(manifest);
    layout.add_index_entry(Json{{"mediaType", kManifestType},
                                {"digest", digest},
                                {"size", manifest.size()},
                                {"artifactType", kNotary}});
    return digest;
}

void check_one_jws(const Expected<std::vector<SignatureCandidate>>& found, const std::string& referrer,
                   const ProbeLayout& layout) {
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 1);
    const SignatureCandidate& c = found->front();
    CHECK(c.kind == CandidateKind::notation);
    CHECK(c.origin == "notation referrer " + referrer);
    CHECK(c.media_type == kJws);
    CHECK(c.payload == envelope());
    CHECK(c.unreadable.empty());
    REQUIRE(c.subject.has_value());
    CHECK(c.subject->media_type == kManifestType);
    CHECK(c.subject->digest.str() == kProbeImageDigest);
    CHECK(c.subject->size ==
          static_cast<std::int64_t>(std::filesystem::file_size(layout.blob_file(kProbeImageDigest))));
}

}  // namespace

TEST_CASE("notation referrers: none in a layout with only the image") {
    ProbeLayout layout;
    auto found = notation_of(layout);
    REQUIRE(found.has_value());
    CHECK(found->empty());
}

TEST_CASE("notation referrers: listed in index.json with artifactType") {
    ProbeLayout layout;
    const std::string referrer = list(layout, signature_manifest(layout, jws_layer(layout, envelope())));
    check_one_jws(notation_of(layout), referrer, layout);
}

TEST_CASE("notation referrers: unlisted, Notation 1.0's config media type form") {
    ProbeLayout layout;
    const std::string referrer =
        layout.add_blob(signature_manifest(layout, jws_layer(layout, envelope()), true));
    check_one_jws(notation_of(layout), referrer, layout);
}

TEST_CASE("notation referrers: through the referrers-tag index sha256-<hex>") {
    ProbeLayout layout;
    const std::string manifest = signature_manifest(layout, jws_layer(layout, envelope()));
    const std::string referrer = layout.add_blob(manifest);
    const std::string index =
        Json{{"schemaVersion", 2},
             {"mediaType", "application/vnd.oci.image.index.v1+json"},
             {"manifests",
              Json::array({{{"mediaType", kManifestType}, {"digest", referrer}, {"size", manifest.size()}}})}}
            .dump();
    layout.add_index_entry(Json{
        {"mediaType", "application/vnd.oci.image.index.v1+json"},
        {"digest", layout.add_blob(index)},
        {"size", index.size()},
        {"annotations", {{"org.opencontainers.image.ref.name", "sha256-" + kProbeImageDigest.substr(7)}}}});
    check_one_jws(notation_of(layout), referrer, layout);
}

TEST_CASE("notation referrers: a Sigstore bundle referrer and another image's signature are passed over") {
    ProbeLayout layout;
    layout.list_referrer();
    list(layout,
         signature_manifest(layout, jws_layer(layout, envelope()), false, "sha256:" + std::string(64, 'c')));
    auto found = notation_of(layout);
    REQUIRE(found.has_value());
    CHECK(found->empty());
}

TEST_CASE("notation referrers: two layers or another media type are listed as unreadable") {
    ProbeLayout layout;
    Json two = jws_layer(layout, envelope());
    two.push_back(two.front());
    const std::string first = list(layout, signature_manifest(layout, two));
    const std::string bytes = envelope();
    Json other = Json::array(
        {{{"mediaType", "application/json"}, {"digest", layout.add_blob(bytes)}, {"size", bytes.size()}}});
    const std::string second = list(layout, signature_manifest(layout, other, true));
    auto found = notation_of(layout);
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 2);
    CHECK(found->at(0).origin == "notation referrer " + first);
    CHECK(found->at(0).unreadable ==
          "signature manifest has 2 layers, a Notation signature has exactly one envelope layer");
    CHECK(found->at(1).origin == "notation referrer " + second);
    CHECK(found->at(1).unreadable ==
          "envelope layer media type application/json is neither application/jose+json nor application/cose");
}

TEST_CASE("notation referrers: an envelope blob that is not what its descriptor says is an error") {
    ProbeLayout layout;
    const std::string bytes = envelope();
    Json layer = jws_layer(layout, bytes);
    layer[0]["size"] = bytes.size() + 1;
    list(layout, signature_manifest(layout, layer));
    auto found = notation_of(layout);
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::size_mismatch);
}
