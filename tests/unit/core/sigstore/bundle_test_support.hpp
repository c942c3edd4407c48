// Helpers for the Sigstore bundle tests: a valid bundle to mutate, error assertions, and the
// public vector folder (read in place, never copied into the repository).
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>

#include "edgeverify/json.hpp"
#include "edgeverify/sigstore_bundle.hpp"

namespace sigstore_test {

// ../shared/vectors next to the repository, as in tests/CMakeLists.txt; EDGEVERIFY_SHARED_VECTORS
// overrides the location.
inline std::filesystem::path shared_vectors_dir() {
    if (const char* configured = std::getenv("EDGEVERIFY_SHARED_VECTORS")) return configured;
    return (std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors")
        .lexically_normal();
}

// The folder of one vector set, or empty (with a message) when it is absent.
inline std::filesystem::path vector_set(std::string_view name) {
    const auto dir = shared_vectors_dir() / std::string(name);
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
        MESSAGE("public vectors not found at " << dir.string() << ": checks skipped, nothing verified");
        return {};
    }
    return dir;
}

inline std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

template <class T>
void check_error(const edgeverify::Expected<T>& result, edgeverify::Errc code, std::string_view fragment) {
    REQUIRE_FALSE(result.has_value());
    const edgeverify::Error& error = result.error();
    CAPTURE(error.message);
    CHECK(std::string(edgeverify::errc_name(error.code)) == std::string(edgeverify::errc_name(code)));
    CHECK(error.message.find(fragment) != std::string::npos);
}

// "aGVsbG8=" etc.: small valid base64 values for hand-made bundles.
inline constexpr const char* kB64 = "aGVsbG8=";
inline constexpr const char* kKeyId = "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=";

// A structurally valid v0.3 key-based DSSE bundle with one Rekor entry (promise and proof).
inline edgeverify::Json valid_bundle() {
    using edgeverify::Json;
    Json entry = {
        {"logIndex", "42"},
        {"logId", {{"keyId", kKeyId}}},
        {"kindVersion", {{"kind", "dsse"}, {"version", "0.0.1"}}},
        {"integratedTime", "1740770291"},
        {"inclusionPromise", {{"signedEntryTimestamp", kB64}}},
        {"inclusionProof",
         {{"logIndex", "41"},
          {"rootHash", kB64},
          {"treeSize", "100"},
          {"hashes", Json::array({kB64})},
          {"checkpoint", {{"envelope", "rekor.sigstore.dev - 1\n100\naGVsbG8=\n\n— rekor sig\n"}}}}},
        {"canonicalizedBody", "eyJraW5kIjoiZHNzZSJ9"},  // {"kind":"dsse"}
    };
    return Json{
        {"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
        {"verificationMaterial",
         {{"publicKey", {{"hint", "key-1"}}},
          {"tlogEntries", Json::array({entry})},
          {"timestampVerificationData",
           {{"rfc3161Timestamps", Json::array({{{"signedTimestamp", kB64}}})}}}}},
        {"dsseEnvelope",
         {{"payload", kB64},
          {"payloadType", "application/vnd.in-toto+json"},
          {"signatures", Json::array({{{"sig", kB64}, {"keyid", "key-1"}}})}}},
    };
}

// valid_bundle() changed by `mutate`, parsed as "b.json".
inline edgeverify::Expected<edgeverify::SigstoreBundle> parse_mutated(
    const std::function<void(edgeverify::Json&)>& mutate) {
    edgeverify::Json bundle = valid_bundle();
    mutate(bundle);
    return edgeverify::parse_sigstore_bundle(bundle.dump(), "b.json");
}

inline edgeverify::Json& material(edgeverify::Json& b) {
    return b["verificationMaterial"];
}
inline edgeverify::Json& entry(edgeverify::Json& b) {
    return b["verificationMaterial"]["tlogEntries"][0];
}

}  // namespace sigstore_test
