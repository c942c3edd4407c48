// The cosign vulnerability scan record (cosign specs/COSIGN_VULN_ATTESTATION_SPEC.md, predicate
// https://cosign.sigstore.dev/attestation/vuln/v1) as an in-toto statement: the scanner, when the
// scan finished, and the findings of a Trivy JSON report in scanner.result (docs/rules.md
// "vulnerabilityAttestation" lists the subset).
#include <exception>

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/rules.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/vuln_attestation.hpp"

namespace edgeverify {
namespace {

Error bad(std::string_view where, const std::string& path, const std::string& why) {
    return make_error(Errc::schema_violation, std::string(where) + ": " + path + ": " + why);
}

// An optional string member: absent or null -> "".
Expected<std::string> text_of(const Json& object, const char* key, std::string_view where,
                              const std::string& path) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::string();
    if (!it->is_string())
        return bad(where, path + "." + key, std::string("expected a string, got ") + it->type_name());
    return it->get<std::string>();
}

Expected<std::optional<Severity>> severity_of(const std::string& text, std::string_view where,
                                              const std::string& path) {
    if (text == "UNKNOWN") return std::optional<Severity>{};
    if (auto parsed = parse_severity(text)) return std::optional<Severity>{*parsed};
    return bad(where, path, "\"" + text + "\" is not CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN");
}

// Trivy's report: Results[].Vulnerabilities[] (each list absent or null when empty).
Status read_trivy_findings(const Json& result, std::string_view where,
                           std::vector<VulnerabilityFinding>& out) {
    const std::string base = "predicate.scanner.result";
    if (!result.is_object() || (!result.contains("Results") && !result.contains("SchemaVersion")))
        return bad(where, base, "not a Trivy JSON report (no SchemaVersion or Results)");
    auto results = result.find("Results");
    if (results == result.end() || results->is_null()) return {};
    if (!results->is_array()) return bad(where, base + ".Results", "expected an array");
    for (std::size_t i = 0; i < results->size(); ++i) {
        const Json& entry = (*results)[i];
        const std::string at = base + ".Results[" + std::to_string(i) + "]";
        if (!entry.is_object()) return bad(where, at, "expected an object");
        auto vulnerabilities = entry.find("Vulnerabilities");
        if (vulnerabilities == entry.end() || vulnerabilities->is_null()) continue;
        if (!vulnerabilities->is_array()) return bad(where, at + ".Vulnerabilities", "expected an array");
        for (std::size_t j = 0; j < vulnerabilities->size(); ++j) {
            const Json& v = (*vulnerabilities)[j];
            const std::string here = at + ".Vulnerabilities[" + std::to_string(j) + "]";
            if (!v.is_object()) return bad(where, here, "expected an object");
            if (out.size() >= limits::kMaxAttestationFindings) {
                return make_error(Errc::limit_exceeded,
                                  std::string(where) + ": more than kMaxAttestationFindings (" +
                                      std::to_string(limits::kMaxAttestationFindings) + ") findings");
            }
            VulnerabilityFinding finding;
            for (auto [key, field] :
                 {std::pair{"VulnerabilityID", &finding.id}, std::pair{"PkgName", &finding.package},
                  std::pair{"InstalledVersion", &finding.installed_version},
                  std::pair{"FixedVersion", &finding.fixed_version}}) {
                auto value = text_of(v, key, where, here);
                if (!value) return value.take_error();
                *field = std::move(*value);
            }
            auto severity_text = text_of(v, "Severity", where, here);
            if (!severity_text) return severity_text.take_error();
            if (finding.id.empty()) return bad(where, here + ".VulnerabilityID", "missing");
            if (severity_text->empty()) return bad(where, here + ".Severity", "missing");
            auto severity = severity_of(*severity_text, where, here + ".Severity");
            if (!severity) return severity.take_error();
            finding.severity = *severity;
            out.push_back(std::move(finding));
        }
    }
    return {};
}

Expected<VulnerabilityScan> scan_from(const Json& root, std::string_view where) {
    VulnerabilityScan scan;
    auto type = text_of(root, "predicateType", where, "statement");
    if (!type) return type.take_error();
    if (*type != attestation::kVulnPredicateType)
        return bad(where, "predicateType",
                   "\"" + *type + "\" is not " + std::string(attestation::kVulnPredicateType));
    auto predicate = root.find("predicate");
    if (predicate == root.end() || !predicate->is_object())
        return bad(where, "predicate", "expected an object");
    auto scanner = predicate->find("scanner");
    if (scanner == predicate->end() || !scanner->is_object())
        return bad(where, "predicate.scanner", "expected an object (a single scanner, as cosign writes it)");
    for (auto [key, field] :
         {std::pair{"uri", &scan.scanner_uri}, std::pair{"version", &scan.scanner_version}}) {
        auto value = text_of(*scanner, key, where, "predicate.scanner");
        if (!value) return value.take_error();
        *field = std::move(*value);
    }
    if (auto db = scanner->find("db"); db != scanner->end() && db->is_object()) {
        auto version = text_of(*db, "version", where, "predicate.scanner.db");
        if (!version) return version.take_error();
        scan.db_version = std::move(*version);
    }
    auto result = scanner->find("result");
    if (result == scanner->end() || result->is_null())
        return bad(where, "predicate.scanner.result", "missing");
    if (auto s = read_trivy_findings(*result, where, scan.findings); !s) return s.take_error();
    auto metadata = predicate->find("metadata");
    if (metadata == predicate->end() || !metadata->is_object())
        return bad(where, "predicate.metadata", "expected an object with scanFinishedOn");
    auto finished = text_of(*metadata, "scanFinishedOn", where, "predicate.metadata");
    if (!finished) return finished.take_error();
    if (finished->starts_with("0001-01-01"))
        return bad(where, "predicate.metadata.scanFinishedOn",
                   "is the zero time: the scan did not say when it finished");
    const auto seconds = parse_rfc3339_seconds(*finished);
    if (finished->empty() || !seconds)
        return bad(where, "predicate.metadata.scanFinishedOn",
                   "\"" + *finished + "\" is not an RFC 3339 time");
    scan.scan_finished = *finished;
    scan.scan_finished_seconds = *seconds;
    return scan;
}

}  // namespace

std::optional<std::string> intoto_predicate_type(std::string_view statement) {
    auto root = parse_json_strict(statement, "in-toto statement");
    if (!root || !root->is_object()) return std::nullopt;
    auto type = root->find("predicateType");
    if (type == root->end() || !type->is_string()) return std::nullopt;
    return type->get<std::string>();
}

Expected<VulnerabilityScan> parse_vulnerability_statement(std::string_view statement,
                                                          std::string_view where) {
    auto subjects = intoto_subject_digests(statement, where);
    if (!subjects) return subjects.take_error();
    auto root = parse_json_strict(statement, where);
    if (!root) return root.take_error();
    try {
        auto scan = scan_from(*root, where);
        if (!scan) return scan.take_error();
        scan->subjects = std::move(*subjects);
        return scan;
    } catch (const std::exception& e) {
        return make_error(Errc::internal, std::string(where) + ": unexpected parser failure: " + e.what());
    }
}

}  // namespace edgeverify
