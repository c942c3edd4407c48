// trusted_root.json tlogs as Rekor keys: validity windows, log ids, media types and every
// configuration error naming its JSON path; the public Sigstore roots read in place.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"

using namespace edgeverify;

namespace {

std::string raw_sha256(std::string_view bytes) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, bytes).hex();
    std::string raw;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return raw;
}

struct RootFixture {
    std::string spki;
    Json root;
    RootFixture() {
        auto key = generate_ecdsa_p256_key();
        REQUIRE(key);
        auto public_key = key->public_key();
        REQUIRE(public_key);
        spki = public_key->spki_der();
        root = {{"mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1"},
                {"tlogs", Json::array({{{"baseUrl", "https://rekor.example.com"},
                                        {"hashAlgorithm", "SHA2_256"},
                                        {"publicKey",
                                         {{"rawBytes", base64_encode(spki)},
                                          {"keyDetails", "PKIX_ECDSA_P256_SHA_256"},
                                          {"validFor", {{"start", "2021-01-12T11:53:27Z"}}}}},
                                        {"logId", {{"keyId", base64_encode(raw_sha256(spki))}}}}})},
                {"certificateAuthorities", Json::array()},
                {"ctlogs", Json::array()},
                {"timestampAuthorities", Json::array()}};
    }
    Json& tlog() { return root["tlogs"][0]; }
};

void check_refused(const Json& root, Errc code, const std::string& fragment) {
    auto keys = parse_trusted_root_tlogs(root.dump(), "trusted_root.json");
    REQUIRE_FALSE(keys);
    CHECK(keys.error().code == code);
    CHECK(keys.error().message.find("trusted_root.json") != std::string::npos);
    CHECK(keys.error().message.find(fragment) != std::string::npos);
}

std::filesystem::path shared_vectors() {
    if (const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS")) return env;
    return std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors";
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("trusted root tlog becomes a Rekor key with its log id, origin and validity start") {
    RootFixture f;
    auto keys = parse_trusted_root_tlogs(f.root.dump(), "sigstore/trusted_root.json");
    REQUIRE(keys);
    REQUIRE(keys->size() == 1);
    const RekorKey& key = (*keys)[0];
    CHECK(key.origin == "sigstore/trusted_root.json tlogs[0]");
    CHECK(key.log_id == raw_sha256(f.spki));
    CHECK(key.key.spki_der() == f.spki);
    CHECK(key.valid_from == 1610452407);
    CHECK_FALSE(key.valid_until);
}

TEST_CASE("trusted root v0.2 media type, validFor end, fractions and offsets are understood") {
    RootFixture f;
    f.root["mediaType"] = "application/vnd.dev.sigstore.trustedroot.v0.2+json";
    f.tlog()["publicKey"]["validFor"] = {{"start", "2021-01-12T11:53:27.25Z"},
                                         {"end", "2023-07-12T16:56:36.9+01:00"}};
    f.tlog()["checkpointKeyId"] = {{"keyId", "AAAA"}};
    f.tlog()["operator"] = "example";
    auto keys = parse_trusted_root_tlogs(f.root.dump(), "r");
    REQUIRE(keys);
    CHECK((*keys)[0].valid_from == 1610452408);  // rounded into the window
    CHECK((*keys)[0].valid_until == 1689177396);

    f.tlog()["publicKey"]["validFor"]["end"] = nullptr;  // proto3 JSON's "absent"
    keys = parse_trusted_root_tlogs(f.root.dump(), "r");
    REQUIRE(keys);
    CHECK_FALSE((*keys)[0].valid_until);

    f.root.erase("tlogs");
    keys = parse_trusted_root_tlogs(f.root.dump(), "r");
    REQUIRE(keys);
    CHECK(keys->empty());
}

TEST_CASE("trusted root tlog without validFor start is refused naming the path") {
    RootFixture f;
    f.tlog()["publicKey"]["validFor"].erase("start");
    check_refused(f.root, Errc::config, "tlogs[0].publicKey.validFor.start: missing");
    f.tlog()["publicKey"].erase("validFor");
    check_refused(f.root, Errc::config, "tlogs[0].publicKey.validFor.start: missing");
}

TEST_CASE("trusted root tlog whose logId is not sha256 of its key is refused") {
    RootFixture f;
    f.tlog()["logId"]["keyId"] = base64_encode(raw_sha256("something else"));
    check_refused(f.root, Errc::config, "tlogs[0].logId.keyId: is not the sha256 of the log's public key");
}

TEST_CASE("trusted root configuration errors name the JSON path") {
    struct Case {
        const char* name;
        void (*edit)(RootFixture&);
        const char* fragment;
    };
    const Case cases[] = {
        {"unknown top-level", [](RootFixture& f) { f.root["tlog"] = Json::array(); }, "tlog: unknown member"},
        {"no media type", [](RootFixture& f) { f.root.erase("mediaType"); }, "mediaType: missing"},
        {"bundle media type",
         [](RootFixture& f) { f.root["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.3+json"; },
         "mediaType: not a trusted root media type"},
        {"tlogs not array", [](RootFixture& f) { f.root["tlogs"] = Json::object(); }, "tlogs: not an array"},
        {"unknown tlog member", [](RootFixture& f) { f.tlog()["url"] = "x"; },
         "tlogs[0].url: unknown member"},
        {"no public key", [](RootFixture& f) { f.tlog().erase("publicKey"); }, "tlogs[0].publicKey: missing"},
        {"key not base64", [](RootFixture& f) { f.tlog()["publicKey"]["rawBytes"] = "%%"; },
         "tlogs[0].publicKey.rawBytes: not valid base64"},
        {"key not a key", [](RootFixture& f) { f.tlog()["publicKey"]["rawBytes"] = base64_encode("junk"); },
         "tlogs[0].publicKey.rawBytes"},
        {"bad start",
         [](RootFixture& f) { f.tlog()["publicKey"]["validFor"]["start"] = "2021-01-12 11:53:27"; },
         "tlogs[0].publicKey.validFor.start: not an RFC 3339 time"},
        {"bad end", [](RootFixture& f) { f.tlog()["publicKey"]["validFor"]["end"] = "2021-02-30T00:00:00Z"; },
         "tlogs[0].publicKey.validFor.end: not an RFC 3339 time"},
        {"end before start",
         [](RootFixture& f) { f.tlog()["publicKey"]["validFor"]["end"] = "2020-01-01T00:00:00Z"; },
         "tlogs[0].publicKey.validFor: end is before start"},
        {"start not string", [](RootFixture& f) { f.tlog()["publicKey"]["validFor"]["start"] = 5; },
         "tlogs[0].publicKey.validFor.start: not a string"},
        {"no log id", [](RootFixture& f) { f.tlog().erase("logId"); }, "tlogs[0].logId: missing"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        RootFixture f;
        c.edit(f);
        check_refused(f.root, Errc::config, c.fragment);
    }
    auto malformed = parse_trusted_root_tlogs("{", "trusted_root.json");
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().code == Errc::json_malformed);
}

TEST_CASE("trusted root: the public Sigstore production root parses, Rekor v2 Ed25519 log included") {
    const auto path =
        shared_vectors() / "sigstore-conformance" / "_default_trusted_root" / "production_trusted_root.json";
    if (!std::filesystem::exists(path)) {
        MESSAGE("public vectors not found at " << path.string() << ": nothing asserted");
        return;
    }
    auto keys = parse_trusted_root_tlogs(read_all(path), "production_trusted_root.json");
    REQUIRE(keys);
    REQUIRE(keys->size() == 2);
    CHECK((*keys)[0].key.type() == KeyType::ecdsa_p256);
    CHECK(base64_encode((*keys)[0].log_id) == "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=");
    CHECK((*keys)[1].key.type() == KeyType::ed25519);
    CHECK(base64_encode((*keys)[1].log_id) == "zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=");
}

TEST_CASE("trusted root: conformance root with an inclusive validity end and a null end parses") {
    const auto path = shared_vectors() / "sigstore-conformance" / "bundle-verify" /
                      "trust-root-tlog-validity-end-inclusive" / "trusted_root.json";
    if (!std::filesystem::exists(path)) {
        MESSAGE("public vectors not found at " << path.string() << ": nothing asserted");
        return;
    }
    auto keys = parse_trusted_root_tlogs(read_all(path), "trusted_root.json");
    REQUIRE(keys);
    REQUIRE(keys->size() == 2);
    CHECK((*keys)[0].valid_until == 1689177396);  // 2023-07-12T15:56:36Z
    CHECK_FALSE((*keys)[1].valid_until);
}
