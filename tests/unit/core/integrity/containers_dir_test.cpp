// Integrity of containers-image dir: copies, built from the probe image the way skopeo writes
// them: manifest.json (its sha256 is the manifest digest), blobs named by bare hex, and for a
// manifest list <hex>.manifest.json per instance.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "edgeverify/integrity.hpp"
#include "unit/core/integrity/referrer_layouts.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

// A dir: copy of the probe image: manifest.json plus every other blob by bare hex.
struct ProbeDirCopy {
    ProbeLayout layout;
    TempDir dir;
    std::string manifest = read_bytes(layout.blob_file(kProbeImageDigest));

    ProbeDirCopy() {
        for (const auto& file : std::filesystem::directory_iterator(layout.path() + "/blobs/sha256")) {
            const std::string hex = file.path().filename().string();
            if ("sha256:" + hex == kProbeImageDigest) continue;
            write_file(dir / hex, read_bytes(file.path()));
        }
        write_file(dir / "manifest.json", manifest);
        write_file(dir / "version", "Directory Transport Version: 1.1\n");
    }

    std::string first_layer_hex() const {
        return Json::parse(manifest)["layers"][0]["digest"].get<std::string>().substr(7);
    }
};

IntegrityReport verify_dir(const std::string& argument) {
    auto spec = parse_source_argument(argument);
    REQUIRE(spec.has_value());
    IntegrityOptions options;
    options.platform = Platform{"linux", "amd64", "", "", {}};
    auto report = verify_integrity(*spec, options);
    REQUIRE(report.has_value());
    return std::move(*report);
}

}  // namespace

TEST_CASE("dir integrity: a dir: copy verifies; the manifest digest is sha256(manifest.json)") {
    ProbeDirCopy copy;
    const IntegrityReport report = verify_dir(copy.dir.path());
    CHECK(report.kind == SourceKind::containers_dir);
    CHECK(report.errors.empty());
    REQUIRE(report.images.size() == 1);
    CHECK(report.images[0].manifest_digest.str() == kProbeImageDigest);
    CHECK(report.images[0].layers.size() == 3);
    CHECK(report.passed());
}

TEST_CASE("dir integrity: a tampered layer is digest_mismatch naming the file") {
    ProbeDirCopy copy;
    const std::string hex = copy.first_layer_hex();
    std::string bytes = read_bytes(copy.dir / hex);
    bytes[bytes.size() / 2] ^= 1;
    write_file(copy.dir / hex, bytes);
    const IntegrityReport report = verify_dir("dir:" + copy.dir.path());
    CHECK_FALSE(report.passed());
    REQUIRE_FALSE(report.errors.empty());
    CHECK(report.errors[0].code == Errc::digest_mismatch);
    CHECK(report.errors[0].message.find("blob " + hex + " hashes to sha256:") != std::string::npos);
}

TEST_CASE("dir integrity: a missing config is blob_missing with its bare-hex path") {
    ProbeDirCopy copy;
    const std::string config_hex =
        Json::parse(copy.manifest)["config"]["digest"].get<std::string>().substr(7);
    std::filesystem::remove(copy.dir / config_hex);
    const IntegrityReport report = verify_dir(copy.dir.path());
    REQUIRE_FALSE(report.errors.empty());
    CHECK(report.errors[0].code == Errc::blob_missing);
    CHECK(report.errors[0].message.find("is missing (" + config_hex + ")") != std::string::npos);
}

TEST_CASE("dir integrity: a manifest list selects the platform's <hex>.manifest.json") {
    ProbeDirCopy copy;
    const Json list{
        {"schemaVersion", 2},
        {"mediaType", "application/vnd.oci.image.index.v1+json"},
        {"manifests", Json::array({Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                        {"digest", kProbeImageDigest},
                                        {"size", copy.manifest.size()},
                                        {"platform", {{"os", "linux"}, {"architecture", "amd64"}}}}})}};
    write_file(copy.dir / (kProbeImageDigest.substr(7) + ".manifest.json"), copy.manifest);
    write_file(copy.dir / "manifest.json", list.dump());
    const IntegrityReport report = verify_dir(copy.dir.path());
    CHECK(report.errors.empty());
    REQUIRE(report.images.size() == 1);
    CHECK(report.images[0].manifest_digest.str() == kProbeImageDigest);
    CHECK(report.images[0].index_digest.has_value());
    CHECK(report.passed());
}

TEST_CASE("dir integrity: a dir: copy without manifest.json is archive_malformed") {
    TempDir dir;
    const IntegrityReport report = verify_dir("dir:" + dir.path());
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0].code == Errc::archive_malformed);
    CHECK(report.errors[0].message == "manifest.json missing: not a containers-image dir: copy");
}

TEST_CASE("dir integrity: a symlinked layer is unsafe_path") {
    ProbeDirCopy copy;
    const std::string hex = copy.first_layer_hex();
    std::filesystem::rename(copy.dir / hex, copy.dir / "moved");
    std::filesystem::create_symlink("moved", copy.dir / hex);
    const IntegrityReport report = verify_dir(copy.dir.path());
    REQUIRE_FALSE(report.errors.empty());
    CHECK(report.errors[0].code == Errc::unsafe_path);
}
