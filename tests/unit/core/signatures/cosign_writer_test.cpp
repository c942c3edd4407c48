// Writing cosign legacy signatures into an OCI layout, read back by find_cosign_signatures.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/layout_writer.hpp"
#include "edgeverify/signatures.hpp"
#include "unit/core/reader/reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A minimal layout: one image manifest (not a runnable image; the writer does not care) tagged 1.0.
struct Layout {
    TempDir dir;
    Digest image;
    Layout() {
        const std::string manifest =
            R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]})";
        image = digest_of(DigestAlgorithm::sha256, manifest);
        write_file(dir / ("blobs/sha256/" + image.hex()), manifest);
        write_file(dir / "blobs/sha256/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                   "{}");
        write_file(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
        write_file(
            dir / "index.json",
            R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                image.str() + R"(","size":)" + std::to_string(manifest.size()) +
                R"(,"annotations":{"org.opencontainers.image.ref.name":"1.0"}}]})");
    }
    std::vector<SignatureCandidate> find() {
        SourceSpec spec;
        spec.path = dir.path();
        auto source = open_source(spec, {});
        REQUIRE(source);
        auto found = find_cosign_signatures(**source, image);
        REQUIRE(found);
        return *found;
    }
};

// Opens the layout `path` for writing, stages one signature and commits it.
Expected<CosignSignatureWritten> sign_into(const std::string& path, const Digest& digest, std::string_view payload,
                                           std::string_view signature) {
    SourceSpec spec;
    spec.path = path;
    auto writer = open_layout_writer(spec);
    if (!writer) return writer.take_error();
    auto written = write_cosign_signature(**writer, digest, payload, signature);
    if (!written) return written;
    if (auto committed = (*writer)->commit(); !committed) return committed.take_error();
    return written;
}

}  // namespace

TEST_SUITE("signatures") {
    TEST_CASE("cosign writer: the payload is cosign's exact bytes") {
        auto digest =
            Digest::parse("sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00");
        REQUIRE(digest);
        CHECK(
            make_simple_signing_payload("192.168.64.2:5000/cosign-signed-single-sample", *digest) ==
            R"({"critical":{"identity":{"docker-reference":"192.168.64.2:5000/cosign-signed-single-sample"},"image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"type":"cosign container image signature"},"optional":null})");
    }

    TEST_CASE("cosign writer: a written signature is found, verifies, and the layout keeps its image") {
        Layout layout;
        auto key = generate_ecdsa_p256_key();
        REQUIRE(key);
        const std::string payload =
            make_simple_signing_payload("registry.example.com/fleet/app", layout.image);
        auto signature = key->sign(payload);
        REQUIRE(signature);
        auto written = sign_into(layout.dir.path(), layout.image, payload, *signature);
        REQUIRE(written);
        CHECK(written->tag == "sha256-" + layout.image.hex() + ".sig");
        CHECK(written->layers == 1);
        CHECK_FALSE(written->appended);

        auto found = layout.find();
        REQUIRE(found.size() == 1);
        CHECK(found[0].payload == payload);
        CHECK(found[0].media_type == cosign::kSimpleSigningMediaType);
        CHECK(found[0].signature == *signature);
        auto public_key = key->public_key();
        REQUIRE(public_key);
        CHECK(verify_signature(*public_key, found[0].payload, found[0].signature));
        auto parsed = parse_simple_signing_payload(found[0].payload, "payload");
        REQUIRE(parsed);
        CHECK(parsed->manifest_digest == layout.image);

        // index.json: the image entry kept, the .sig entry added; no temporary files left over.
        const std::string index = read_all(layout.dir / "index.json");
        CHECK(index.find(R"("org.opencontainers.image.ref.name":"1.0")") != std::string::npos);
        CHECK(index.find(written->tag) != std::string::npos);
        for (const auto& entry : std::filesystem::recursive_directory_iterator(layout.dir.path())) {
            CHECK(entry.path().filename().string().rfind(".edgeverify-tmp-", 0) == std::string::npos);
        }
        // The config names the payload in diff_ids, as cosign writes it.
        const std::string manifest =
            read_all(layout.dir / ("blobs/sha256/" + written->signature_manifest.hex()));
        const Json m = Json::parse(manifest);
        auto config_digest = Digest::parse(m["config"]["digest"].get<std::string>());
        REQUIRE(config_digest);
        const Json config = Json::parse(read_all(layout.dir / ("blobs/sha256/" + config_digest->hex())));
        CHECK(config["rootfs"]["diff_ids"] ==
              Json::array({digest_of(DigestAlgorithm::sha256, payload).str()}));
    }

    TEST_CASE("cosign writer: a second signature is appended as a layer of the same .sig manifest") {
        Layout layout;
        auto first = generate_ecdsa_p256_key();
        auto second = generate_ecdsa_p256_key();
        REQUIRE(first);
        REQUIRE(second);
        const std::string payload =
            make_simple_signing_payload("registry.example.com/fleet/app", layout.image);
        auto s1 = first->sign(payload);
        auto s2 = second->sign(payload);
        REQUIRE(s1);
        REQUIRE(s2);
        REQUIRE(sign_into(layout.dir.path(), layout.image, payload, *s1));
        auto again = sign_into(layout.dir.path(), layout.image, payload, *s2);
        REQUIRE(again);
        CHECK(again->appended);
        CHECK(again->layers == 2);
        auto found = layout.find();
        REQUIRE(found.size() == 2);
        CHECK(found[0].signature == *s1);
        CHECK(found[1].signature == *s2);
        const std::string index = read_all(layout.dir / "index.json");
        std::size_t tags = 0;
        for (auto at = index.find(again->tag); at != std::string::npos; at = index.find(again->tag, at + 1))
            ++tags;
        CHECK(tags == 1);
    }

    TEST_CASE("cosign writer: nothing is visible before commit") {
        Layout layout;
        const std::string before = read_all(layout.dir / "index.json");
        SourceSpec spec;
        spec.path = layout.dir.path();
        auto writer = open_layout_writer(spec);
        REQUIRE(writer);
        auto written = write_cosign_signature(**writer, layout.image, "payload", "signature");
        REQUIRE(written);
        CHECK(read_all(layout.dir / "index.json") == before);
        CHECK_FALSE(std::filesystem::exists(layout.dir / ("blobs/sha256/" + written->signature_manifest.hex())));
        // The staged index.json is what the writer reads back.
        auto staged = (*writer)->read_file("index.json", 1 << 20);
        REQUIRE(staged);
        REQUIRE(staged->has_value());
        CHECK((*staged)->find(written->tag) != std::string::npos);
    }

    TEST_CASE("cosign writer: refuses what is not a layout and never follows a symlinked blobs dir") {
        TempDir empty;
        auto digest = digest_of(DigestAlgorithm::sha256, "x");
        auto result = sign_into(empty.path(), digest, "p", "s");
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::not_found);

        Layout layout;
        TempDir outside;
        std::filesystem::rename(layout.dir / "blobs", outside / "blobs");
        std::filesystem::create_directory_symlink(outside / "blobs", layout.dir / "blobs");
        auto refused = sign_into(layout.dir.path(), layout.image, "p", "s");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::unsafe_path);
        CHECK(refused.error().message.find("symbolic link") != std::string::npos);
        std::size_t files = 0;
        for ([[maybe_unused]] const auto& entry :
             std::filesystem::directory_iterator(outside / "blobs/sha256"))
            ++files;
        CHECK(files == 2);  // the image manifest and its config: nothing written through the link
    }
}
