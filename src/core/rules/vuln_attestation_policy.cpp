// The `vulnerabilityAttestation` rule of a scope (docs/rules.md), parsed strictly like every rule.
#include "rules/rule_reader.hpp"

namespace edgeverify::rules_detail {

Expected<VulnerabilityAttestationRule> parse_vulnerability_attestation(const RuleReader& r) {
    VulnerabilityAttestationRule rule;
    EV_TRY(r.only_keys({"mode", "keys", "minSeverity", "maxScanAgeDays", "allow"}));
    EV_TRY(r.mode(rule.mode));
    EV_TRY(r.strings("keys", rule.keys));
    if (rule.keys.empty()) {
        return r.error("keys",
                       "missing or empty: the trust-store keys that sign vulnerability attestations "
                       "(keyless signers are not verified by this build)");
    }
    if (const Json* severity = r.find("minSeverity")) {
        const auto parsed =
            severity->is_string() ? parse_severity(severity->get<std::string>()) : std::nullopt;
        if (!parsed)
            return r.error("minSeverity",
                           severity->dump() + " is not \"LOW\", \"MEDIUM\", \"HIGH\" or \"CRITICAL\"");
        rule.min_severity = *parsed;
    }
    EV_TRY(r.number("maxScanAgeDays", rule.max_scan_age_days));
    if (rule.max_scan_age_days && *rule.max_scan_age_days > 36500)
        return r.error("maxScanAgeDays", "more than 36500 days");
    EV_TRY(r.strings("allow", rule.allow));
    return rule;
}

}  // namespace edgeverify::rules_detail
