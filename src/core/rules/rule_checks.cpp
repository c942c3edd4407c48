// The image rules that judge the image and its reference alone: trusted bases, registries and
// immutability, minimal layers, least privilege; and evaluate_rules, which runs every one.
#include <algorithm>

#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

RuleResult result(const char* rule, bool ok, RuleOutcome failed, std::string evidence) {
    return RuleResult{rule, ok ? RuleOutcome::pass : failed, std::move(evidence)};
}

// A scope-style match: exact, or a literal prefix followed by '*'.
bool name_matches(std::string_view pattern, std::string_view name) {
    if (!pattern.empty() && pattern.back() == '*') return name.starts_with(pattern.substr(0, pattern.size() - 1));
    return pattern == name;
}

// "registry/repository" of a base name ("docker.io/library/debian:12" -> docker.io/library/debian).
std::string normalized_base_name(std::string_view base_name) {
    auto reference = parse_image_reference(base_name);
    return reference ? reference->name() : std::string(base_name);
}

std::string layer_label(const LayerSummary& layer) {
    return "layer " + std::to_string(layer.index) + " (" + (layer.digest.empty() ? "no digest" : layer.digest) + ")";
}

}  // namespace

std::string_view rule_outcome_name(RuleOutcome outcome) {
    switch (outcome) {
        case RuleOutcome::pass:
            return "pass";
        case RuleOutcome::fail:
            return "fail";
        case RuleOutcome::audit_fail:
            return "audit-fail";
    }
    return "fail";
}

Json rules_to_json(const std::vector<RuleResult>& results) {
    Json out = Json::array();
    for (const RuleResult& r : results) {
        out.push_back({{"rule", r.rule}, {"outcome", rule_outcome_name(r.outcome)}, {"evidence", r.evidence}});
    }
    return out;
}

RuleResult check_trusted_bases(const TrustedBasesRule& rule, const ImageFacts& facts, RuleOutcome failed) {
    const char* name = "trustedBases";
    if (facts.base_digest.empty() && facts.base_name.empty()) {
        return result(name, !rule.require_annotation, failed,
                      "the image names no base (no org.opencontainers.image.base.digest or .base.name annotation)");
    }
    if (!facts.base_digest.empty() &&
        std::find(rule.digests.begin(), rule.digests.end(), facts.base_digest) != rule.digests.end()) {
        return result(name, true, failed, "base digest " + facts.base_digest + " is listed");
    }
    if (!facts.base_name.empty()) {
        const std::string normalized = normalized_base_name(facts.base_name);
        for (const std::string& pattern : rule.names) {
            if (name_matches(pattern, normalized)) {
                return result(name, true, failed, "base name " + facts.base_name + " matches \"" + pattern + "\"");
            }
        }
    }
    return result(name, false, failed,
                  "base " + (facts.base_digest.empty() ? std::string() : "digest " + facts.base_digest) +
                      (facts.base_digest.empty() || facts.base_name.empty() ? "" : ", ") +
                      (facts.base_name.empty() ? std::string() : "name " + facts.base_name) +
                      " is not in the trusted bases");
}

RuleResult check_registries(const RegistriesRule& rule, const RuleContext& context, RuleOutcome failed) {
    const char* name = "registries";
    const ImageReference& ref = context.reference;
    if (!rule.allowed.empty() &&
        std::find(rule.allowed.begin(), rule.allowed.end(), ref.registry) == rule.allowed.end()) {
        return result(name, false, failed,
                      "registry " + ref.registry + " of " + ref.str() + " is not in the allowed registries");
    }
    if (rule.require_digest_reference) {
        if (!ref.digest) {
            return result(name, false, failed,
                          "reference " + ref.str() + " names a tag, not a digest: use " + ref.name() + "@" +
                              context.manifest_digest + " (the digest it resolved to)");
        }
        if (ref.digest->str() != context.manifest_digest && ref.digest->str() != context.index_digest) {
            return result(name, false, failed,
                          "reference " + ref.str() + " names " + ref.digest->str() + ", not the verified image " +
                              context.manifest_digest);
        }
    }
    return result(name, true, failed,
                  "registry " + ref.registry + (rule.require_digest_reference ? ", reference by digest" : "") +
                      " allowed");
}

RuleResult check_layers(const LayersRule& rule, const ImageFacts& facts, RuleOutcome failed) {
    const char* name = "layers";
    const auto over = [&](const std::string& what, std::uint64_t value, const char* key, std::uint64_t limit) {
        return result(name, false, failed,
                      what + " " + std::to_string(value) + " is over " + key + " " + std::to_string(limit));
    };
    if (rule.max_count && facts.layers.size() > *rule.max_count)
        return over("layer count", facts.layers.size(), "maxCount", *rule.max_count);
    if (rule.max_total_bytes && facts.compressed_bytes > *rule.max_total_bytes)
        return over("total size", facts.compressed_bytes, "maxTotalBytes", *rule.max_total_bytes);
    if (rule.max_total_uncompressed_bytes && facts.uncompressed_bytes > *rule.max_total_uncompressed_bytes)
        return over("total uncompressed size", facts.uncompressed_bytes, "maxTotalUncompressedBytes",
                    *rule.max_total_uncompressed_bytes);
    for (const LayerSummary& layer : facts.layers) {
        if (rule.max_layer_bytes && layer.compressed_bytes > *rule.max_layer_bytes)
            return over(layer_label(layer) + " size", layer.compressed_bytes, "maxLayerBytes", *rule.max_layer_bytes);
        if (rule.max_layer_uncompressed_bytes && layer.uncompressed_bytes > *rule.max_layer_uncompressed_bytes)
            return over(layer_label(layer) + " uncompressed size", layer.uncompressed_bytes,
                        "maxLayerUncompressedBytes", *rule.max_layer_uncompressed_bytes);
    }
    return result(name, true, failed,
                  std::to_string(facts.layers.size()) + " layer(s), " + std::to_string(facts.compressed_bytes) +
                      " bytes, " + std::to_string(facts.uncompressed_bytes) + " bytes uncompressed");
}

RuleResult check_least_privilege(const LeastPrivilegeRule& rule, const ImageFacts& facts, RuleOutcome failed) {
    const char* name = "leastPrivilege";
    std::vector<std::string> violations;
    if (rule.forbid_root_user) {
        const std::string& u = facts.user;
        if (u.empty() || u == "0" || u == "root" || u.starts_with("0:") || u.starts_with("root:")) {
            violations.push_back("config User \"" + u + "\" runs as root");
        }
    }
    for (const ImageFinding& f : facts.findings) {
        if (f.deleted_by_layer) continue;  // a later layer's whiteout removed it (image_facts.hpp)
        bool bad = false;
        switch (f.kind) {
            case FindingKind::setuid:
            case FindingKind::setgid:
                bad = rule.forbid_setuid;
                break;
            case FindingKind::world_writable:
                bad = rule.forbid_world_writable;
                break;
            case FindingKind::device_node:
                bad = rule.forbid_device_nodes;
                break;
            case FindingKind::escaping_link:
            case FindingKind::escaping_path:
                bad = rule.forbid_escaping_links;
                break;
            case FindingKind::watched_path:
                for (const std::string& p : rule.forbidden_paths) {
                    const std::string_view path =
                        std::string_view(f.path).substr(std::min(f.path.find_first_not_of('/'), f.path.size()));
                    bad = bad || path == p || (p.back() == '/' && (path.starts_with(p) || path == p.substr(0, p.size() - 1)));
                }
                break;
            default:
                break;
        }
        if (bad) {
            violations.push_back(std::string(finding_kind_name(f.kind)) + " " + f.path + " (" + f.detail + ") in layer " +
                                 std::to_string(f.layer_index) + " (" + f.layer_digest + ")");
        }
    }
    // Findings past the per-layer limit were not listed: they cannot be shown harmless.
    if (facts.findings_not_listed > 0) {
        violations.push_back(std::to_string(facts.findings_not_listed) +
                             " finding(s) not listed (over limits::kMaxFindingsPerLayer)");
    }
    if (violations.empty()) return result(name, true, failed, "no root user and no forbidden entries");
    std::string evidence = violations.front();
    for (std::size_t i = 1; i < violations.size() && i < 5; ++i) evidence += "; " + violations[i];
    if (violations.size() > 5) evidence += "; and " + std::to_string(violations.size() - 5) + " more";
    return result(name, false, failed, evidence);
}

std::vector<RuleResult> evaluate_rules(const RulesPolicy& policy, PolicyMode scope_mode, const ImageFacts& facts,
                                       const RuleContext& context) {
    const auto failed = [&](RuleMode mode) {
        return mode == RuleMode::enforce && scope_mode == PolicyMode::enforce ? RuleOutcome::fail
                                                                               : RuleOutcome::audit_fail;
    };
    std::vector<RuleResult> results;
    if (policy.trusted_bases)
        results.push_back(check_trusted_bases(*policy.trusted_bases, facts, failed(policy.trusted_bases->mode)));
    if (policy.registries)
        results.push_back(check_registries(*policy.registries, context, failed(policy.registries->mode)));
    if (policy.freshness)
        results.push_back(check_freshness(*policy.freshness, facts, context, failed(policy.freshness->mode)));
    if (policy.layers) results.push_back(check_layers(*policy.layers, facts, failed(policy.layers->mode)));
    if (policy.rollback && policy.rollback->enabled)
        results.push_back(check_rollback(*policy.rollback, facts, context, failed(policy.rollback->mode)));
    if (policy.least_privilege)
        results.push_back(
            check_least_privilege(*policy.least_privilege, facts, failed(policy.least_privilege->mode)));
    if (policy.vulnerabilities)
        results.push_back(check_vulnerabilities(*policy.vulnerabilities, facts, context,
                                                failed(policy.vulnerabilities->mode)));
    if (policy.vulnerability_attestation)
        results.push_back(check_vulnerability_attestation(*policy.vulnerability_attestation, context,
                                                          failed(policy.vulnerability_attestation->mode)));
    return results;
}

}  // namespace edgeverify
