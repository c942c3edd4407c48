// Case kinds of the OCI layout set (oci-layout, docker-archive, manifest-parse,
// platform-select; see ../shared/vectors/oci-image-layouts/SOURCE.md for their semantics) and
// the dispatch to the signature shapes of containers-image-cosign (cosign_cases.cpp) and
// cosign-v3-oci-bundle (bundle_cases.cpp), and notation-go (notation_cases.cpp).
#include "case_kinds.hpp"

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "edgeverify/integrity.hpp"
#include "edgeverify/oci.hpp"

namespace fs = std::filesystem;

namespace edgeverify::conformance {
namespace {

enum class Verdict { valid, invalid };

std::string describe(const Error& e) {
    return std::string(errc_name(e.code)) + ": " + e.message;
}

CaseOutcome judge(Verdict expected, const std::optional<Error>& failure) {
    if (expected == Verdict::valid && failure) return {false, "expected valid, got " + describe(*failure)};
    if (expected == Verdict::invalid && !failure) return {false, "expected invalid, but it was accepted"};
    return {true, {}};
}

std::optional<Error> verify_source(SourceKind kind, const fs::path& path) {
    SourceSpec spec;
    spec.forced_kind = kind;
    spec.path = path.string();
    IntegrityOptions options;
    options.all_platforms = true;  // "every descriptor reachable from index.json"
    auto report = verify_integrity(spec, options);
    if (!report) return report.error();
    if (!report->errors.empty()) return report->errors.front();
    if (report->images.empty()) return make_error(Errc::no_image, "no image verified");
    return std::nullopt;
}

Expected<std::string> read_small_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, path.string() + ": cannot open");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::optional<Error> parse_manifest_or_index(const fs::path& path) {
    auto bytes = read_small_file(path);
    if (!bytes) return bytes.error();
    const std::string where = path.filename().string();
    auto kind = sniff_document_kind(*bytes, where);
    if (!kind) return kind.error();
    if (*kind == DocumentKind::index) {
        auto index = parse_image_index(*bytes, where);
        return index ? std::nullopt : std::optional<Error>(index.error());
    }
    auto manifest = parse_image_manifest(*bytes, where);
    if (!manifest) return manifest.error();
    // "acceptable as an image manifest for a container verifier": its config must be an image config.
    if (classify_media_type(manifest->config.media_type).kind != DocumentKind::config) {
        return make_error(
            Errc::unsupported_media_type,
            where + ": config media type " + manifest->config.media_type + " is not an image config");
    }
    return std::nullopt;
}

// "select": {"os/arch[/variant][ (comment)]": "digest" | null}
CaseOutcome check_platform_selection(const Json& c, const fs::path& path) {
    if (!c.contains("select") || !c["select"].is_object()) return {false, "case has no 'select' object"};
    auto bytes = read_small_file(path);
    if (!bytes) return {false, describe(bytes.error())};
    auto index = parse_image_index(*bytes, path.filename().string());
    if (!index) return {false, describe(index.error())};
    for (const auto& [key, want] : c["select"].items()) {
        const std::string platform_text = key.substr(0, key.find(' '));
        auto platform = parse_platform(platform_text);
        if (!platform) return {false, key + ": " + describe(platform.error())};
        const auto chosen = select_platform(*index, *platform);
        const std::string got = chosen ? index->manifests[*chosen].digest.str() : "no match";
        const std::string expected = want.is_null() ? "no match" : want.get<std::string>();
        if (got != expected) return {false, key + ": expected " + expected + ", selected " + got};
    }
    return {true, {}};
}

}  // namespace

CaseOutcome run_case(const Json& c, const fs::path& base) {
    if (!c.is_object()) return {false, "case is not a JSON object"};
    const auto text_field = [&](const char* key) -> std::string {
        return c.contains(key) && c[key].is_string() ? c[key].get<std::string>() : std::string();
    };
    const std::string kind = text_field("kind");
    const std::string expected_text = text_field("expected");
    if (expected_text != "valid" && expected_text != "invalid") {
        return {false, "case has no expected verdict 'valid' or 'invalid'"};
    }
    const Verdict expected = expected_text == "valid" ? Verdict::valid : Verdict::invalid;
    const std::string relative = text_field("path");
    const fs::path path = base / relative;

    if (kind == "oci-layout") return judge(expected, verify_source(SourceKind::oci_layout, path));
    if (kind == "docker-archive") return judge(expected, verify_source(SourceKind::docker_archive, path));
    if (kind == "manifest-parse") return judge(expected, parse_manifest_or_index(path));
    if (kind == "platform-select") return check_platform_selection(c, path);
    if (kind == "rekor-set") return run_rekor_set_case(c, base, expected == Verdict::valid);
    if (kind == "x509-at-time") return run_x509_at_time_case(c, base, expected == Verdict::valid);
    if (kind == "truststore-load") return run_notation_store_case(c, base, expected == Verdict::valid);
    if (kind.empty() && c.contains("envelope") && c.contains("trust_policy")) {
        return run_notation_case(c, base, expected == Verdict::valid);
    }
    if (kind.empty() && c.contains("bundle") && c.contains("artifact_digest")) {
        return run_bundle_case(c, base, expected == Verdict::valid);
    }
    if (kind.empty() && c.contains("bundle") && c.contains("artifact") && c.contains("trusted_root")) {
        return run_sigstore_conformance_case(c, base, expected == Verdict::valid);
    }
    if (kind.empty() && c.contains("image") && c.contains("signatures") && c.contains("policy")) {
        return run_signed_image_case(c, base, expected == Verdict::valid);
    }
    return {false, "case kind '" + (kind.empty() ? std::string("(none)") : kind) +
                       "' is not supported by this runner yet"};
}

}  // namespace edgeverify::conformance
