// The vulnerabilityAttestation rule (docs/rules.md, issue 7 item 7a): among the vulnerability
// attestations found beside the image, the newest scan that verifies with the rule's keys must be
// recent enough and list no finding at or above minSeverity (UNKNOWN counts) that is not allowed.
#include <algorithm>

#include "rules/vuln_attestation_verify.hpp"

namespace edgeverify {
namespace {

constexpr std::size_t kListed = 5;  // findings or refusals named in the evidence, then "and N more"

std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < kListed; ++i) out += (i ? "; " : "") + items[i];
    if (items.size() > kListed) out += "; and " + std::to_string(items.size() - kListed) + " more";
    return out;
}

std::string finding_text(const VulnerabilityFinding& f) {
    return (f.package.empty() ? std::string("(no package named)") : f.package) +
           (f.installed_version.empty() ? "" : " " + f.installed_version) + " has " + f.id + " (" +
           (f.severity ? std::string(severity_name(*f.severity)) : std::string("UNKNOWN")) + ", " +
           (f.fixed_version.empty() ? "no fixed version listed" : "fixed in " + f.fixed_version) + ")";
}

}  // namespace

RuleResult check_vulnerability_attestation(const VulnerabilityAttestationRule& rule,
                                           const RuleContext& context, RuleOutcome failed) {
    const auto verdict = [&](bool ok, std::string evidence) {
        return RuleResult{"vulnerabilityAttestation", ok ? RuleOutcome::pass : failed, std::move(evidence)};
    };
    if (context.attestations == nullptr || context.attestations->empty()) {
        return verdict(false, "no vulnerability attestation (predicate type " +
                                  std::string(attestation::kVulnPredicateType) +
                                  ") was found for the image (cosign .att or Sigstore bundle referrer)");
    }
    std::optional<rules_detail::VerifiedVulnerabilityScan> newest;
    std::vector<std::string> refused;
    for (const AttestationCandidate& candidate : *context.attestations) {
        auto verified = rules_detail::verify_vulnerability_attestation(candidate, rule, context);
        if (!verified) {
            refused.push_back(verified.error().message);
        } else if (!newest || verified->scan.scan_finished_seconds > newest->scan.scan_finished_seconds) {
            newest = std::move(*verified);
        }
    }
    if (!newest) return verdict(false, "no vulnerability attestation verifies: " + listed(refused));

    const VulnerabilityScan& scan = newest->scan;
    std::string about = "scan by " +
                        (scan.scanner_uri.empty() ? std::string("an unnamed scanner") : scan.scanner_uri) +
                        (scan.scanner_version.empty() ? "" : " " + scan.scanner_version) + " finished " +
                        scan.scan_finished + ", " + newest->origin + " signed with " + newest->key_path;
    if (rule.max_scan_age_days) {
        // "Now" is never behind the time floor, as for freshness.
        const std::int64_t now = std::max(context.clock_now, context.time_floor.value_or(context.clock_now));
        const std::int64_t age = now - scan.scan_finished_seconds;
        if (age > *rule.max_scan_age_days * 86400) {
            return verdict(false, "the newest verified scan is " + std::to_string(age / 86400) +
                                      " days old, over maxScanAgeDays " +
                                      std::to_string(*rule.max_scan_age_days) + " (now " +
                                      format_rfc3339(now) + "; " + about + ")");
        }
    }
    std::vector<std::string> blocking, below, allowed;
    for (const VulnerabilityFinding& finding : scan.findings) {
        const std::string text = finding_text(finding);
        if (std::find(rule.allow.begin(), rule.allow.end(), finding.id) != rule.allow.end()) {
            allowed.push_back(text);
        } else if (!finding.severity || *finding.severity >= rule.min_severity) {
            blocking.push_back(text);
        } else {
            below.push_back(text);
        }
    }
    const std::string minimum(severity_name(rule.min_severity));
    std::string tail;
    if (!below.empty()) tail += "; below " + minimum + ": " + listed(below);
    if (!allowed.empty()) tail += "; allowed: " + listed(allowed);
    tail += " (" + about + ")";
    if (!blocking.empty()) {
        return verdict(false, std::to_string(blocking.size()) + " finding" +
                                  (blocking.size() == 1 ? "" : "s") + " at or above " + minimum +
                                  " (or UNKNOWN): " + listed(blocking) + tail);
    }
    return verdict(true, "no finding at or above " + minimum + tail);
}

}  // namespace edgeverify
