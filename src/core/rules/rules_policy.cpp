// The `rules` object of a scope (docs/rules.md), parsed strictly: every refusal is Errc::config
// naming "where: scopes[i].rules.<rule>.<key>", so a typo never silently weakens a rule.
#include <algorithm>
#include <cstdint>

#include "edgeverify/limits.hpp"
#include "edgeverify/rules.hpp"
#include "rules/rule_reader.hpp"

namespace edgeverify {
namespace {

using rules_detail::RuleReader;

Expected<TrustedBasesRule> parse_trusted_bases(const RuleReader& r) {
    TrustedBasesRule rule;
    EV_TRY(r.only_keys({"mode", "digests", "names", "requireAnnotation"}));
    EV_TRY(r.mode(rule.mode));
    EV_TRY(r.strings("digests", rule.digests));
    EV_TRY(r.strings("names", rule.names));
    EV_TRY(r.boolean("requireAnnotation", rule.require_annotation));
    for (std::size_t i = 0; i < rule.digests.size(); ++i) {
        auto digest = Digest::parse(rule.digests[i]);
        if (!digest) return r.error("digests[" + std::to_string(i) + "]", digest.error().message);
    }
    if (rule.digests.empty() && rule.names.empty() && !rule.require_annotation) {
        return r.error("", "lists no digests or names and does not requireAnnotation: it would check nothing");
    }
    return rule;
}

Expected<RegistriesRule> parse_registries(const RuleReader& r) {
    RegistriesRule rule;
    EV_TRY(r.only_keys({"mode", "allowed", "requireDigestReference"}));
    EV_TRY(r.mode(rule.mode));
    EV_TRY(r.strings("allowed", rule.allowed));
    EV_TRY(r.boolean("requireDigestReference", rule.require_digest_reference));
    for (std::size_t i = 0; i < rule.allowed.size(); ++i) {
        if (rule.allowed[i].find('/') != std::string::npos) {
            return r.error("allowed[" + std::to_string(i) + "]",
                           "\"" + rule.allowed[i] + "\" is not a registry host[:port] (no '/')");
        }
    }
    if (rule.allowed.empty() && !rule.require_digest_reference) {
        return r.error("", "allows no registry and does not requireDigestReference: it would check nothing");
    }
    return rule;
}

Expected<FreshnessRule> parse_freshness(const RuleReader& r) {
    FreshnessRule rule;
    EV_TRY(r.only_keys({"mode", "maxAgeDays", "maxFutureSkewSeconds"}));
    EV_TRY(r.mode(rule.mode));
    EV_TRY(r.number("maxAgeDays", rule.max_age_days));
    std::optional<std::int64_t> skew;
    EV_TRY(r.number("maxFutureSkewSeconds", skew));
    if (skew) rule.max_future_skew_seconds = *skew;
    if (rule.max_age_days && *rule.max_age_days > 36500) return r.error("maxAgeDays", "more than 36500 days");
    return rule;
}

Expected<LayersRule> parse_layers(const RuleReader& r) {
    LayersRule rule;
    EV_TRY(r.only_keys({"mode", "maxCount", "maxTotalBytes", "maxLayerBytes", "maxTotalUncompressedBytes",
                        "maxLayerUncompressedBytes"}));
    EV_TRY(r.mode(rule.mode));
    EV_TRY(r.number("maxCount", rule.max_count));
    EV_TRY(r.number("maxTotalBytes", rule.max_total_bytes));
    EV_TRY(r.number("maxLayerBytes", rule.max_layer_bytes));
    EV_TRY(r.number("maxTotalUncompressedBytes", rule.max_total_uncompressed_bytes));
    EV_TRY(r.number("maxLayerUncompressedBytes", rule.max_layer_uncompressed_bytes));
    return rule;
}

Expected<RollbackRule> parse_rollback(const RuleReader& r) {
    RollbackRule rule;
    EV_TRY(r.only_keys({"mode", "enabled"}));
    EV_TRY(r.mode(rule.mode));
    EV_TRY(r.boolean("enabled", rule.enabled));
    return rule;
}

Expected<LeastPrivilegeRule> parse_least_privilege(const RuleReader& r) {
    LeastPrivilegeRule rule;
    EV_TRY(r.only_keys({"mode", "forbidRootUser", "forbidSetuid", "forbidWorldWritable", "forbidDeviceNodes",
                        "forbidEscapingLinks", "forbiddenPaths"}));
    EV_TRY(r.mode(rule.mode));
    EV_TRY(r.boolean("forbidRootUser", rule.forbid_root_user));
    EV_TRY(r.boolean("forbidSetuid", rule.forbid_setuid));
    EV_TRY(r.boolean("forbidWorldWritable", rule.forbid_world_writable));
    EV_TRY(r.boolean("forbidDeviceNodes", rule.forbid_device_nodes));
    EV_TRY(r.boolean("forbidEscapingLinks", rule.forbid_escaping_links));
    EV_TRY(r.strings("forbiddenPaths", rule.forbidden_paths));
    for (std::size_t i = 0; i < rule.forbidden_paths.size(); ++i) {
        std::string& path = rule.forbidden_paths[i];
        const std::size_t start = path.find_first_not_of('/');
        if (start == std::string::npos || path.find("..") != std::string::npos || path.find("//") != std::string::npos) {
            return r.error("forbiddenPaths[" + std::to_string(i) + "]",
                           "\"" + path + "\" is not a path inside the image (no \"..\", \"//\" or bare \"/\")");
        }
        path.erase(0, start);
    }
    return rule;
}

Expected<VulnerabilitiesRule> parse_vulnerabilities(const RuleReader& r) {
    VulnerabilitiesRule rule;
    EV_TRY(r.only_keys({"mode", "key", "feed", "minSeverity", "maxFeedAgeDays", "allow"}));
    EV_TRY(r.mode(rule.mode));
    const auto text = [&](const char* key) -> Expected<std::string> {
        const Json* v = r.find(key);
        if (!v) return std::string();
        if (!v->is_string() || v->get_ref<const std::string&>().empty())
            return r.error(key, std::string("expected a non-empty string, got ") + v->dump());
        return v->get<std::string>();
    };
    auto key = text("key");
    if (!key) return key.take_error();
    if (key->empty()) return r.error("key", "missing: the trust-store key that signs vulnerabilities/feed.json");
    rule.key = *key;
    auto feed = text("feed");
    if (!feed) return feed.take_error();
    if (!feed->empty() && *feed != "required" && *feed != "optional")
        return r.error("feed", "\"" + *feed + "\" is neither \"required\" nor \"optional\"");
    rule.feed_required = *feed != "optional";
    auto severity = text("minSeverity");
    if (!severity) return severity.take_error();
    if (!severity->empty()) {
        const auto parsed = parse_severity(*severity);
        if (!parsed) return r.error("minSeverity", "\"" + *severity + "\" is not LOW, MEDIUM, HIGH or CRITICAL");
        rule.min_severity = *parsed;
    }
    EV_TRY(r.number("maxFeedAgeDays", rule.max_feed_age_days));
    if (rule.max_feed_age_days && *rule.max_feed_age_days > 36500) return r.error("maxFeedAgeDays", "more than 36500 days");
    EV_TRY(r.strings("allow", rule.allow));
    return rule;
}

template <class Rule, class Parse>
Status parse_rule(const Json& rules, std::string_view where, const std::string& path, const char* key,
                  std::optional<Rule>& out, Parse parse) {
    auto it = rules.find(key);
    if (it == rules.end()) return {};
    const std::string here = path + "." + key;
    if (!it->is_object()) {
        return make_error(Errc::config,
                          std::string(where) + ": " + here + ": expected an object, got " + it->type_name());
    }
    auto rule = parse(RuleReader(*it, where, here));
    if (!rule) return rule.take_error();
    out = std::move(*rule);
    return {};
}

}  // namespace

Expected<RulesPolicy> parse_rules_policy(const Json& rules, std::string_view where, const std::string& path) {
    if (!rules.is_object()) {
        return make_error(Errc::config,
                          std::string(where) + ": " + path + ": expected an object, got " + rules.type_name());
    }
    RulesPolicy policy;
    EV_TRY(RuleReader(rules, where, path)
               .only_keys({"trustedBases", "registries", "freshness", "layers", "rollback", "leastPrivilege",
                           "vulnerabilities", "vulnerabilityAttestation"}));
    EV_TRY(parse_rule(rules, where, path, "trustedBases", policy.trusted_bases, parse_trusted_bases));
    EV_TRY(parse_rule(rules, where, path, "registries", policy.registries, parse_registries));
    EV_TRY(parse_rule(rules, where, path, "freshness", policy.freshness, parse_freshness));
    EV_TRY(parse_rule(rules, where, path, "layers", policy.layers, parse_layers));
    EV_TRY(parse_rule(rules, where, path, "rollback", policy.rollback, parse_rollback));
    EV_TRY(parse_rule(rules, where, path, "leastPrivilege", policy.least_privilege, parse_least_privilege));
    EV_TRY(parse_rule(rules, where, path, "vulnerabilities", policy.vulnerabilities, parse_vulnerabilities));
    EV_TRY(parse_rule(rules, where, path, "vulnerabilityAttestation", policy.vulnerability_attestation,
                      rules_detail::parse_vulnerability_attestation));
    return policy;
}

}  // namespace edgeverify
