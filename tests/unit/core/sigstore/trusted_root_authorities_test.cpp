// certificateAuthorities and timestampAuthorities of trusted_root.json
// (certificate_authorities.hpp): the production root read in place from sigstore-conformance, a
// Fulcio leaf validated with the CA whose window holds the verified time, and strict refusals.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/json.hpp"

using namespace edgeverify;

namespace {

std::filesystem::path conformance() {
    const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS");
    const std::filesystem::path base = env ? std::filesystem::path(env)
                                           : std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." /
                                                 ".." / "shared" / "vectors";
    return base / "sigstore-conformance";
}

std::optional<std::string> read_vector(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) {
        MESSAGE("sigstore-conformance not found at " << path.string() << ": nothing asserted");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

const char* kRootPath = "_default_trusted_root/production_trusted_root.json";

}  // namespace

TEST_CASE("trusted root authorities: the production root's Fulcio CAs and TSA load with their windows") {
    auto json = read_vector(conformance() / kRootPath);
    if (!json) return;
    auto fulcio = parse_trusted_root_authorities(*json, "root.json", "certificateAuthorities");
    REQUIRE(fulcio);
    REQUIRE(fulcio->size() == 2);
    CHECK((*fulcio)[0].uri == "https://fulcio.sigstore.dev");
    CHECK((*fulcio)[0].chain.size() == 1);
    CHECK((*fulcio)[0].valid_from == 1615087229);          // 2021-03-07T03:20:29Z
    CHECK((*fulcio)[0].valid_until == 1672531199);         // 2022-12-31T23:59:59.999Z, rounded down
    CHECK((*fulcio)[1].chain.size() == 2);
    CHECK_FALSE((*fulcio)[1].valid_until);
    CHECK((*fulcio)[1].origin == "root.json certificateAuthorities[1]");
    auto tsa = parse_trusted_root_authorities(*json, "root.json", "timestampAuthorities");
    REQUIRE(tsa);
    CHECK(tsa->size() == 1);
    CHECK(tsa->front().valid_from == 1751587200);  // 2025-07-04T00:00:00Z
}

TEST_CASE("trusted root authorities: a 2024 Fulcio leaf chains only to the CA valid in 2024") {
    auto json = read_vector(conformance() / kRootPath);
    if (!json) return;
    auto bundle_text = read_vector(conformance() / "bundle-verify" / "happy-path-v0.3-new-mediaType" / "bundle.sigstore.json");
    REQUIRE(bundle_text);
    auto bundle = parse_json_strict(*bundle_text, "bundle");
    REQUIRE(bundle);
    auto der = base64_decode((*bundle)["verificationMaterial"]["certificate"]["rawBytes"].get<std::string>(), "b");
    REQUIRE(der);
    auto leaf = parse_certificate_der(*der, "leaf");
    REQUIRE(leaf);
    auto fulcio = parse_trusted_root_authorities(*json, "root.json", "certificateAuthorities");
    REQUIRE(fulcio);
    const std::int64_t integrated_time = 1710869186;
    CHECK_FALSE((*fulcio)[0].valid_at(integrated_time));
    CHECK((*fulcio)[1].valid_at(integrated_time));
    CHECK(verify_path_at(*leaf, (*fulcio)[1].chain, integrated_time));
    CHECK_FALSE(verify_path_at(*leaf, (*fulcio)[0].chain, integrated_time));
}

TEST_CASE("trusted root authorities: missing start, empty chain, bad certificate, unknown member are config errors") {
    const auto message = [](const std::string& json) {
        auto parsed = parse_trusted_root_authorities(json, "r.json", "certificateAuthorities");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::config);
        return parsed.error().message;
    };
    CHECK(message(R"({"certificateAuthorities":[{"certChain":{"certificates":[]},"validFor":{"start":"2021-01-01T00:00:00Z"}}]})") ==
          "r.json: certificateAuthorities[0].certChain.certificates: missing or empty");
    CHECK(message(R"({"certificateAuthorities":[{"certChain":{"certificates":[{"rawBytes":"AAAA"}]}}]})") ==
          "r.json: certificateAuthorities[0].certChain.certificates[0].rawBytes: certificateAuthorities[0].certChain.certificates[0]: not an X.509 certificate (mbedTLS error -0x2180)");
    CHECK(message(R"({"certificateAuthorities":[{"extra":1}]})") == "r.json: certificateAuthorities[0].extra: unknown member");
    // `operator` is a member of the proto's CertificateAuthority: a string, or null (unset).
    CHECK(message(R"({"certificateAuthorities":[{"operator":7}]})") == "r.json: certificateAuthorities[0].operator: not a string");
    CHECK(message(R"({"certificateAuthorities":[{"operator":null}]})") == "r.json: certificateAuthorities[0].certChain: missing");
    CHECK(message(R"({"certificateAuthorities":[{"operator":"sigstore.dev"}]})") == "r.json: certificateAuthorities[0].certChain: missing");
    auto empty = parse_trusted_root_authorities(R"({"tlogs":[]})", "r.json", "certificateAuthorities");
    REQUIRE(empty);
    CHECK(empty->empty());
}
