// Shared helpers for the OCI model tests: well-formed documents to mutate, and an assertion that
// a result failed with a specific code and message.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/oci.hpp"

namespace oci_test {

using edgeverify::Json;

inline std::string digest_of_char(char c) {
    return "sha256:" + std::string(64, c);
}

inline Json descriptor_json(std::string_view media_type, char digest_char, std::int64_t size) {
    return Json{{"mediaType", media_type}, {"digest", digest_of_char(digest_char)}, {"size", size}};
}

inline Json valid_manifest_json() {
    return Json{{"schemaVersion", 2},
                {"mediaType", edgeverify::media_type::kOciManifest},
                {"config", descriptor_json(edgeverify::media_type::kOciConfig, 'c', 7023)},
                {"layers", Json::array({descriptor_json(edgeverify::media_type::kOciLayerGzip, 'a', 100),
                                        descriptor_json(edgeverify::media_type::kOciLayerGzip, 'b', 200),
                                        descriptor_json(edgeverify::media_type::kOciLayerZstd, 'd', 300)})}};
}

inline Json platform_entry(std::string_view media_type, char digest_char, std::string_view os,
                           std::string_view architecture, std::string_view variant = {}) {
    Json entry = descriptor_json(media_type, digest_char, 500);
    entry["platform"] = Json{{"os", os}, {"architecture", architecture}};
    if (!variant.empty()) entry["platform"]["variant"] = variant;
    return entry;
}

inline Json valid_index_json() {
    return Json{{"schemaVersion", 2},
                {"mediaType", edgeverify::media_type::kOciIndex},
                {"manifests",
                 Json::array({platform_entry(edgeverify::media_type::kOciManifest, 'a', "linux", "amd64"),
                              platform_entry(edgeverify::media_type::kOciManifest, 'b', "linux", "arm64")})}};
}

inline Json valid_config_json() {
    return Json{
        {"architecture", "arm64"},
        {"os", "linux"},
        {"created", "2024-01-02T03:04:05Z"},
        {"config", {{"User", "1000:1000"}, {"Labels", {{"org.example.team", "edge"}}}}},
        {"rootfs",
         {{"type", "layers"}, {"diff_ids", Json::array({digest_of_char('e'), digest_of_char('f')})}}}};
}

// The result failed with `code`, and its message contains `fragment`.
template <class T>
void check_error(const edgeverify::Expected<T>& result, edgeverify::Errc code, std::string_view fragment) {
    REQUIRE_FALSE(result.has_value());
    const edgeverify::Error& error = result.error();
    CAPTURE(error.message);
    CHECK(std::string(edgeverify::errc_name(error.code)) == std::string(edgeverify::errc_name(code)));
    CHECK(error.message.find(fragment) != std::string::npos);
}

}  // namespace oci_test
