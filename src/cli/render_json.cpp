// --json output: one document per run, schema documented in docs/json-output.md.
#include "render.hpp"

#include <string_view>

namespace edgeverify::cli {
namespace {

constexpr int kJsonSchemaVersion = 1;

Json error_json(const Error& e) {
    return Json{{"code", errc_name(e.code)}, {"message", e.message}};
}

Json facts_json(const LayerFacts& facts) {
    Json findings = Json::array();
    for (const auto& f : facts.findings) {
        findings.push_back({{"kind", finding_kind_name(f.kind)}, {"path", f.path}, {"detail", f.detail}});
    }
    return Json{{"entries", facts.entries},
                {"regularFiles", facts.regular_files},
                {"directories", facts.directories},
                {"symlinks", facts.symlinks},
                {"hardlinks", facts.hardlinks},
                {"whiteouts", facts.whiteouts},
                {"hasEtcPasswd", facts.has_etc_passwd},
                {"packageDatabases", facts.package_databases},
                {"findings", findings},
                {"findingsNotListed", facts.findings_not_listed}};
}

Json layer_json(const LayerResult& layer) {
    Json j{{"index", layer.index},
           {"digest", layer.descriptor.digest.empty() ? Json() : Json(layer.descriptor.digest.str())},
           {"mediaType", layer.descriptor.media_type},
           {"size", layer.descriptor.size},
           {"compression", compression_name(layer.compression)},
           {"diffId", layer.diff_id.empty() ? Json() : Json(layer.diff_id.str())},
           {"uncompressedSize", layer.uncompressed_size},
           {"result", layer.error ? "fail" : "pass"},
           {"facts", facts_json(layer.facts)}};
    if (layer.error) j["error"] = error_json(*layer.error);
    return j;
}

Json image_json(const ImageResult& image) {
    Json layers = Json::array();
    for (const auto& l : image.layers) layers.push_back(layer_json(l));
    Json j{{"name", image.name},
           {"indexDigest", image.index_digest ? Json(image.index_digest->str()) : Json()},
           {"manifestDigest", image.manifest_digest.empty() ? Json() : Json(image.manifest_digest.str())},
           {"manifestMediaType", image.manifest_media_type},
           {"platform", image.platform ? Json(image.platform->str()) : Json()},
           {"configDigest", image.config_digest.empty() ? Json() : Json(image.config_digest.str())},
           {"configMediaType", image.config_media_type},
           {"containerImage", image.container_image},
           {"user", image.config ? Json(image.config->user) : Json()},
           {"created", image.config ? Json(image.config->created) : Json()},
           {"layers", layers},
           {"result", image.error ? "fail" : "pass"}};
    if (image.error) j["error"] = error_json(*image.error);
    return j;
}

Json trust_json(const TrustDecision& d) {

    Json signatures = Json::array();
    for (const auto& c : d.signatures) {
        signatures.push_back(
            {{"origin", c.origin},
             {"kind", c.kind},
             {"result", c.accepted ? "accepted" : "refused"},
             {"signer", c.accepted ? Json(c.signer) : Json()},
             {"reason", c.reason},
             {"signedDigest", c.signed_digest.empty() ? Json() : Json(c.signed_digest)},
             {"signedReference", c.signed_reference.empty() ? Json() : Json(c.signed_reference)},
             {"transparencyLogVerified", c.transparency_log_verified},
             {"transparencyLog", c.transparency_log.empty() ? Json() : Json(c.transparency_log)},
             {"integratedTime", c.integrated_time ? Json(*c.integrated_time) : Json()}});
    }
    Json j{{"reference", d.reference},
           {"scope", d.scope},
           {"mode", d.mode == PolicyMode::audit ? "audit" : "enforce"},
           {"threshold", d.threshold},
           {"satisfiedSigners", d.satisfied_signers},
           {"signatures", signatures},
           {"result", !d.failure   ? "pass"
                      : d.admits() ? "audit-fail"
                                   : "fail"}};
    if (d.failure) j["error"] = error_json(*d.failure);
    j["rules"] = rules_to_json(d.rules);
    return j;
}

Json envelope(const RenderContext& context, std::string_view kind) {
    return Json{{"schemaVersion", kJsonSchemaVersion},
                {"tool", "edgeverify"},
                {"version", EDGEVERIFY_VERSION},
                {"check", context.integrity_only ? "integrity" : "full"},
                {"source", {{"argument", context.source_argument}, {"kind", kind}}}};
}

}  // namespace

Json report_to_json(const IntegrityReport& report, const RenderContext& context,
                    const std::vector<TrustDecision>* decisions) {
    Json j = envelope(context, source_kind_name(report.kind));
    // "error" when a file could not be read (exit 3): the content was not judged complete.
    bool unreadable = false;
    for (const auto& e : report.errors) unreadable = unreadable || exit_code_for(e.code) == 3;
    j["result"] = all_admitted(report, decisions) ? "verified" : unreadable ? "error" : "rejected";
    Json images = Json::array();
    for (std::size_t i = 0; i < report.images.size(); ++i) {
        Json image = image_json(report.images[i]);
        if (decisions != nullptr && i < decisions->size()) image["trust"] = trust_json((*decisions)[i]);
        images.push_back(std::move(image));
    }
    if (decisions != nullptr) {
        j["trustStore"] = {{"directory", context.trust_directory}, {"digest", context.trust_digest}};
    }
    j["images"] = images;
    Json errors = Json::array();
    for (const auto& e : report.errors) errors.push_back(error_json(e));
    j["errors"] = errors;
    std::uint64_t uncompressed = 0;
    for (const auto& image : report.images) {
        for (const auto& layer : image.layers) uncompressed += layer.uncompressed_size;
    }
    j["bytesRead"] = report.bytes_read;
    j["uncompressedBytes"] = uncompressed;
    j["seconds"] = report.seconds;
    return j;
}

Json failure_to_json(const Error& error, const RenderContext& context) {
    Json j = envelope(context, "");
    j["source"]["kind"] = nullptr;
    j["result"] = "error";
    j["images"] = Json::array();
    j["errors"] = Json::array({error_json(error)});
    return j;
}

}  // namespace edgeverify::cli
