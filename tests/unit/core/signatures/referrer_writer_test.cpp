// write_bundle_referrer: the referrer manifest cosign v3 writes (FORMATS.md A.9), its blobs, and
// an index.json entry without a ref name that the referrer finder discovers.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "edgeverify/layout_writer.hpp"
#include "edgeverify/signatures.hpp"
#include "unit/core/reader/reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

const std::string kEmptyDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
const std::string kBundle =
    R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"k"}},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AA=="}]}})";

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Layout {
    TempDir dir;
    std::string manifest =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]})";
    Descriptor subject;
    Layout() {
        subject.media_type = "application/vnd.oci.image.manifest.v1+json";
        subject.digest = digest_of(DigestAlgorithm::sha256, manifest);
        subject.size = static_cast<std::int64_t>(manifest.size());
        write_file(dir / ("blobs/sha256/" + subject.digest.hex()), manifest);
        write_file(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
        write_file(
            dir / "index.json",
            R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                subject.digest.str() + R"(","size":)" + std::to_string(manifest.size()) +
                R"(,"annotations":{"org.opencontainers.image.ref.name":"1.0"}}]})");
    }
    Expected<BundleReferrerWritten> write(const std::string& bundle, std::string_view predicate) {
        SourceSpec spec;
        spec.path = dir.path();
        auto writer = open_layout_writer(spec);
        REQUIRE(writer);
        auto written = write_bundle_referrer(**writer, subject, bundle, predicate);
        if (written) REQUIRE((*writer)->commit());
        return written;
    }
    Json blob(const Digest& digest) { return Json::parse(read_all(dir / ("blobs/sha256/" + digest.hex()))); }
};

}  // namespace

TEST_SUITE("signatures") {
    TEST_CASE("referrer writer: the manifest has exactly cosign v3's fields") {
        Layout layout;
        auto written = layout.write(kBundle, "https://sigstore.dev/cosign/sign/v1");
        REQUIRE(written);
        CHECK(written->bundle_blob == digest_of(DigestAlgorithm::sha256, kBundle));
        CHECK(read_all(layout.dir / ("blobs/sha256/" + written->bundle_blob.hex())) == kBundle);
        CHECK(read_all(layout.dir /
                       "blobs/sha256/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a") ==
              "{}");
        const std::string bytes = read_all(layout.dir / ("blobs/sha256/" + written->referrer_manifest.hex()));
        CHECK(digest_of(DigestAlgorithm::sha256, bytes) == written->referrer_manifest);
        const Json m = Json::parse(bytes);
        CHECK(m["schemaVersion"] == 2);
        CHECK(m["mediaType"] == "application/vnd.oci.image.manifest.v1+json");
        CHECK(m["artifactType"] == "application/vnd.dev.sigstore.bundle.v0.3+json");
        CHECK(m["config"] == Json{{"mediaType", "application/vnd.oci.empty.v1+json"},
                                  {"digest", kEmptyDigest},
                                  {"size", 2},
                                  {"data", "e30="}});
        REQUIRE(m["layers"].size() == 1);
        CHECK(m["layers"][0] == Json{{"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
                                     {"digest", written->bundle_blob.str()},
                                     {"size", kBundle.size()}});
        CHECK(m["subject"] == Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                   {"digest", layout.subject.digest.str()},
                                   {"size", layout.manifest.size()}});
        const Json& annotations = m["annotations"];
        CHECK(annotations.size() == 3);
        CHECK(annotations["dev.sigstore.bundle.content"] == "dsse-envelope");
        CHECK(annotations["dev.sigstore.bundle.predicateType"] == "https://sigstore.dev/cosign/sign/v1");
        const std::string created = annotations["org.opencontainers.image.created"];
        CHECK(created.size() == 20);  // YYYY-MM-DDTHH:MM:SSZ
        CHECK(created.back() == 'Z');
    }

    TEST_CASE("referrer writer: index.json lists the referrer without a ref name and keeps the image") {
        Layout layout;
        auto written = layout.write(kBundle, "https://sigstore.dev/cosign/sign/v1");
        REQUIRE(written);
        const Json index = Json::parse(read_all(layout.dir / "index.json"));
        REQUIRE(index["manifests"].size() == 2);
        CHECK(index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"] == "1.0");
        const Json& entry = index["manifests"][1];
        CHECK(entry["digest"] == written->referrer_manifest.str());
        CHECK(entry["mediaType"] == "application/vnd.oci.image.manifest.v1+json");
        CHECK(entry["artifactType"] == "application/vnd.dev.sigstore.bundle.v0.3+json");
        CHECK_FALSE(entry.contains("annotations"));

        SourceSpec spec;
        spec.path = layout.dir.path();
        auto source = open_source(spec, {});
        REQUIRE(source);
        auto found = find_bundle_referrers(**source, layout.subject.digest);
        REQUIRE(found);
        REQUIRE(found->size() == 1);
        CHECK((*found)[0].payload == kBundle);
        CHECK((*found)[0].kind == CandidateKind::sigstore_bundle);
    }

    TEST_CASE("referrer writer: a message-signature bundle has no predicate type annotation") {
        Layout layout;
        const std::string bundle =
            R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{"signature":"AA=="}})";
        auto written = layout.write(bundle, "");
        REQUIRE(written);
        const Json m = layout.blob(written->referrer_manifest);
        CHECK(m["annotations"]["dev.sigstore.bundle.content"] == "message-signature");
        CHECK_FALSE(m["annotations"].contains("dev.sigstore.bundle.predicateType"));
    }

    TEST_CASE("referrer writer: a bundle that is not one JSON object with one content is refused") {
        Layout layout;
        const std::string before = read_all(layout.dir / "index.json");
        auto not_json = layout.write("not json", "");
        REQUIRE_FALSE(not_json);
        CHECK(not_json.error().code == Errc::json_malformed);
        auto neither = layout.write(R"({"mediaType":"x"})", "");
        REQUIRE_FALSE(neither);
        CHECK(neither.error().code == Errc::schema_violation);
        CHECK(read_all(layout.dir / "index.json") == before);
    }
}
