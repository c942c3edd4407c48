// Where signatures are found: containers-image dir: signature files and cosign's .sig manifests
// in an OCI layout. Real cosign signatures from ../shared/vectors are read in place.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "edgeverify/signatures.hpp"
#include "unit/core/reader/reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

std::filesystem::path cosign_vectors() {
    if (const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS")) {
        return std::filesystem::path(env) / "containers-image-cosign";
    }
    return std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors" /
           "containers-image-cosign";
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

const std::string kSignedDigest = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";

// A layout holding an image manifest (its bytes are `image`) and a cosign .sig manifest whose
// layers are `payloads` with the given signature annotations.
struct SignedLayout {
    TempDir dir;
    std::string blob(const std::string& bytes) {
        const std::string hex = sha256_hex(bytes);
        write_file(dir / ("blobs/sha256/" + hex), bytes);
        return "sha256:" + hex;
    }
    Json descriptor(const std::string& media_type, const std::string& bytes) {
        return Json{{"mediaType", media_type}, {"digest", blob(bytes)}, {"size", bytes.size()}};
    }
    void write(const std::vector<std::pair<std::string, std::string>>& layers, const Json& sig_annotations) {
        const std::string config =
            R"({"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}})";
        Json manifest{{"schemaVersion", 2},
                      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                      {"config", descriptor("application/vnd.oci.image.config.v1+json", config)},
                      {"layers", Json::array()}};
        for (const auto& [payload, signature] : layers) {
            Json layer = descriptor(std::string(cosign::kSimpleSigningMediaType), payload);
            layer["annotations"] = {{std::string(cosign::kSignatureAnnotation), signature}};
            manifest["layers"].push_back(layer);
        }
        Json sig = descriptor("application/vnd.oci.image.manifest.v1+json", manifest.dump());
        sig["annotations"] = sig_annotations;
        Json index{{"schemaVersion", 2}, {"manifests", Json::array({sig})}};
        write_file(dir / "index.json", index.dump());
        write_file(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    }
    std::unique_ptr<BlobSource> open() {
        SourceSpec spec;
        spec.path = dir.path();
        auto source = open_source(spec, {});
        REQUIRE(source);
        return std::move(*source);
    }
};

}  // namespace

TEST_SUITE("signatures") {
    TEST_CASE("dir: signature file: cosign's real signature-1 gives payload and DER signature") {
        const auto file = cosign_vectors() / "images" / "dir-img-cosign-valid" / "signature-1";
        if (!std::filesystem::exists(file)) {
            MESSAGE("public vectors absent (" << file << "): nothing checked");
            return;
        }
        auto candidate = parse_containers_signature_file(read_all(file), "signature-1");
        REQUIRE(candidate);
        CHECK(candidate->media_type == cosign::kSimpleSigningMediaType);
        auto payload = parse_simple_signing_payload(candidate->payload, "payload");
        REQUIRE(payload);
        CHECK(payload->manifest_digest.str() == kSignedDigest);
        REQUIRE(candidate->signature.size() > 8);
        CHECK(static_cast<unsigned char>(candidate->signature[0]) == 0x30);  // ASN.1 SEQUENCE
    }

    TEST_CASE("dir: signature file: an OpenPGP signature is refused by name") {
        const auto file = cosign_vectors() / "images" / "dir-img-valid" / "signature-1";
        if (!std::filesystem::exists(file)) {
            MESSAGE("public vectors absent (" << file << "): nothing checked");
            return;
        }
        auto candidate = parse_containers_signature_file(read_all(file), "signature-1");
        REQUIRE_FALSE(candidate);
        CHECK(candidate.error().code == Errc::schema_violation);
        CHECK(candidate.error().message.find("an OpenPGP signature") != std::string::npos);
    }

    TEST_CASE("dir: signature file: bad shapes are refused") {
        const std::string prefix("\x00sigstore-json\n", 15);
        struct Case {
            std::string bytes, message;
        };
        const Case cases[] = {
            {"", "no \\x00sigstore-json header"},
            {prefix + R"({"mimeType":"m","payload":"e30=","extra":1})", "unknown member \"extra\""},
            {prefix + R"({"mimeType":"m"})", "payload: expected a base64 string"},
            {prefix + R"({"payload":"e30="})", "mimeType: expected a string"},
            {prefix + R"({"mimeType":"m","payload":"e30=","annotations":[]})",
             "annotations: expected an object"},
            {prefix + R"({"mimeType":"m","payload":"e30=","annotations":{"a":1}})",
             "annotations.a: expected a string"},
            {prefix + "[", "not valid JSON"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.message);
            auto candidate = parse_containers_signature_file(c.bytes, "signature-9");
            REQUIRE_FALSE(candidate);
            CHECK(candidate.error().message.find(c.message) != std::string::npos);
        }
    }

    TEST_CASE("dir: signature file: malformed base64 in payload or signature is refused") {
        const std::string prefix("\x00sigstore-json\n", 15);
        auto bad_payload =
            parse_containers_signature_file(prefix + R"({"mimeType":"m","payload":"e30"})", "sig");
        REQUIRE_FALSE(bad_payload);
        CHECK(bad_payload.error().message.find("sig: payload") != std::string::npos);
        auto bad_signature = parse_containers_signature_file(
            prefix +
                R"({"mimeType":"m","payload":"e30=","annotations":{"dev.cosignproject.cosign/signature":"!!"}})",
            "sig");
        REQUIRE_FALSE(bad_signature);
        CHECK(bad_signature.error().message.find("dev.cosignproject.cosign/signature") != std::string::npos);
    }

    TEST_CASE("cosign .sig manifest: found by its sha256-<hex>.sig tag, one candidate per layer") {
        SignedLayout layout;
        const Digest image = *Digest::parse(kSignedDigest);
        layout.write({{"payload-one", "MEUCIQ=="}, {"payload-two", "MEYCIQ=="}},
                     {{"org.opencontainers.image.ref.name", "sha256-" + image.hex() + ".sig"}});
        auto source = layout.open();
        auto found = find_cosign_signatures(*source, image);
        REQUIRE(found);
        REQUIRE(found->size() == 2);
        CHECK((*found)[0].payload == "payload-one");
        CHECK((*found)[0].signature == std::string("\x30\x45\x02\x21", 4));
        CHECK((*found)[1].origin == "sha256-" + image.hex() + ".sig layer 2/2");
    }

    TEST_CASE("cosign .sig manifest: cosign save's kind annotation and containerd's full names count") {
        const Digest image = *Digest::parse(kSignedDigest);
        for (const Json& annotations : {Json{{"kind", "dev.cosignproject.cosign/sigs"}},
                                        Json{{"io.containerd.image.name",
                                              "registry.example.com/app:sha256-" + image.hex() + ".sig"}}}) {
            CAPTURE(annotations.dump());
            SignedLayout layout;
            layout.write({{"p", "MEUCIQ=="}}, annotations);
            auto source = layout.open();
            auto found = find_cosign_signatures(*source, image);
            REQUIRE(found);
            CHECK(found->size() == 1);
        }
    }

    TEST_CASE("cosign .sig manifest: another image's signature tag is not picked up") {
        SignedLayout layout;
        layout.write({{"p", "MEUCIQ=="}},
                     {{"org.opencontainers.image.ref.name", "sha256-" + std::string(64, 'b') + ".sig"}});
        auto source = layout.open();
        auto found = find_cosign_signatures(*source, *Digest::parse(kSignedDigest));
        REQUIRE(found);
        CHECK(found->empty());
    }

    TEST_CASE("cosign .sig manifest: a tampered payload blob is a digest mismatch, never a candidate") {
        SignedLayout layout;
        const Digest image = *Digest::parse(kSignedDigest);
        layout.write({{"payload-one", "MEUCIQ=="}},
                     {{"org.opencontainers.image.ref.name", "sha256-" + image.hex() + ".sig"}});
        write_file(layout.dir / ("blobs/sha256/" + sha256_hex("payload-one")), "payload-two");
        auto source = layout.open();
        auto found = find_cosign_signatures(*source, image);
        REQUIRE_FALSE(found);
        CHECK(found.error().code == Errc::digest_mismatch);
        CHECK(found.error().message.find("payload of sha256-" + image.hex() + ".sig layer 1/1") !=
              std::string::npos);
    }

    TEST_CASE("cosign .sig manifest: more signature layers than kMaxSignaturesPerImage are refused") {
        SignedLayout layout;
        const Digest image = *Digest::parse(kSignedDigest);
        std::vector<std::pair<std::string, std::string>> layers;
        for (std::size_t i = 0; i <= limits::kMaxSignaturesPerImage; ++i)
            layers.emplace_back("p" + std::to_string(i), "MA==");
        layout.write(layers, {{"org.opencontainers.image.ref.name", "sha256-" + image.hex() + ".sig"}});
        auto source = layout.open();
        auto found = find_cosign_signatures(*source, image);
        REQUIRE_FALSE(found);
        CHECK(found.error().code == Errc::limit_exceeded);
        CHECK(found.error().message.find("kMaxSignaturesPerImage (1000)") != std::string::npos);
    }
}
