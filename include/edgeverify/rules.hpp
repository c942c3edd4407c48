// Image rules (docs/rules.md): the `rules` object of a trust policy scope, parsed strictly, and
// their evaluation against an image's facts. Each rule adds a result {rule, outcome, evidence}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/image_facts.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/state.hpp"
#include "edgeverify/trust_policy.hpp"
#include "edgeverify/vuln_attestation.hpp"
#include "edgeverify/vulnerability_feed.hpp"

namespace edgeverify {

enum class RuleMode { enforce, audit };

struct TrustedBasesRule {
    RuleMode mode = RuleMode::enforce;
    std::vector<std::string> digests;  // "sha256:<hex>"
    std::vector<std::string> names;    // normalized names or globs ending in '*', like scope matches
    bool require_annotation = false;
};
struct RegistriesRule {
    RuleMode mode = RuleMode::enforce;
    std::vector<std::string> allowed;  // "registry.example.com", "localhost:5000"
    bool require_digest_reference = false;
};
struct FreshnessRule {
    RuleMode mode = RuleMode::enforce;
    std::optional<std::int64_t> max_age_days;
    std::int64_t max_future_skew_seconds = 300;
};
struct LayersRule {
    RuleMode mode = RuleMode::enforce;
    std::optional<std::uint64_t> max_count, max_total_bytes, max_layer_bytes, max_total_uncompressed_bytes,
        max_layer_uncompressed_bytes;
};
struct RollbackRule {
    RuleMode mode = RuleMode::enforce;
    bool enabled = true;
};
struct LeastPrivilegeRule {
    RuleMode mode = RuleMode::enforce;
    bool forbid_root_user = true, forbid_setuid = true, forbid_world_writable = true, forbid_device_nodes = true,
         forbid_escaping_links = true;
    std::vector<std::string> forbidden_paths;  // normalized: no leading '/'; a trailing '/' = everything below
};

// The on-device vulnerability gate: the package inventory against the trust store's signed feed.
struct VulnerabilitiesRule {
    RuleMode mode = RuleMode::enforce;
    std::string key;  // the trust-store key that signs vulnerabilities/feed.json ("keys/feed.pub")
    bool feed_required = true;            // "feed": "required" | "optional"
    Severity min_severity = Severity::low;  // findings at or above it fail
    std::optional<std::int64_t> max_feed_age_days;
    std::vector<std::string> allow;  // vulnerability ids that never fail
};

// The signed vulnerability attestation gate: a cosign vuln/v1 in-toto statement about the image,
// signed with one of `keys`, recent enough, with no finding at or above `min_severity`.
struct VulnerabilityAttestationRule {
    RuleMode mode = RuleMode::enforce;
    std::vector<std::string> keys;  // trust-store keys ("keys/scanner.pub") that may sign the attestation
    Severity min_severity = Severity::low;  // findings at or above it (and UNKNOWN ones) fail
    std::optional<std::int64_t> max_scan_age_days;
    std::vector<std::string> allow;  // vulnerability ids that never fail
};

struct RulesPolicy {
    std::optional<TrustedBasesRule> trusted_bases;
    std::optional<RegistriesRule> registries;
    std::optional<FreshnessRule> freshness;
    std::optional<LayersRule> layers;
    std::optional<RollbackRule> rollback;
    std::optional<LeastPrivilegeRule> least_privilege;
    std::optional<VulnerabilitiesRule> vulnerabilities;
    std::optional<VulnerabilityAttestationRule> vulnerability_attestation;
};

// Strict, like the rest of policy.json: unknown keys, wrong types, negative numbers, empty or
// over-long lists -> Errc::config naming "where: path.key" (path is e.g. "scopes[0].rules").
Expected<RulesPolicy> parse_rules_policy(const Json& rules, std::string_view where, const std::string& path);

enum class RuleOutcome { pass, fail, audit_fail };
std::string_view rule_outcome_name(RuleOutcome outcome);  // "pass", "fail", "audit-fail"

struct RuleResult {
    std::string rule;  // the key in "rules": "trustedBases", "layers"...
    RuleOutcome outcome = RuleOutcome::pass;
    std::string evidence;
};

// [{"rule", "outcome", "evidence"}...] as in --json and the reports' checks (docs/json-output.md).
Json rules_to_json(const std::vector<RuleResult>& results);

// What a rule that is not about the image alone needs: the reference and the device's floors.
struct RuleContext {
    ImageReference reference;
    std::string manifest_digest;  // "sha256:..." the verified digest (tag-only references name it)
    std::string index_digest;     // the index it was selected from, when any
    std::int64_t clock_now = 0;                // the device clock, seconds since the epoch
    std::optional<std::int64_t> time_floor;    // newest trusted time seen (state_dir/time_floor)
    std::optional<Json> rollback_floor;        // floors.json entry of the repository, when any
    const VulnerabilityFeed* vulnerability_feed = nullptr;  // verified; nullptr: the store has none
    // Found beside the image (unverified) and the store whose keys verify them.
    const std::vector<AttestationCandidate>* attestations = nullptr;
    const TrustStore* store = nullptr;
};

// The checks themselves. `failed` is the outcome a violated rule gets (fail or audit-fail).
RuleResult check_trusted_bases(const TrustedBasesRule& rule, const ImageFacts& facts, RuleOutcome failed);
RuleResult check_registries(const RegistriesRule& rule, const RuleContext& context, RuleOutcome failed);
RuleResult check_freshness(const FreshnessRule& rule, const ImageFacts& facts, const RuleContext& context,
                           RuleOutcome failed);
RuleResult check_layers(const LayersRule& rule, const ImageFacts& facts, RuleOutcome failed);
RuleResult check_rollback(const RollbackRule& rule, const ImageFacts& facts, const RuleContext& context,
                          RuleOutcome failed);
RuleResult check_least_privilege(const LeastPrivilegeRule& rule, const ImageFacts& facts, RuleOutcome failed);
RuleResult check_vulnerabilities(const VulnerabilitiesRule& rule, const ImageFacts& facts, const RuleContext& context,
                                 RuleOutcome failed);
RuleResult check_vulnerability_attestation(const VulnerabilityAttestationRule& rule, const RuleContext& context,
                                           RuleOutcome failed);

// Every configured rule, in the order of docs/rules.md. A violated rule is `fail` when both the
// rule and the scope enforce, `audit-fail` otherwise.
std::vector<RuleResult> evaluate_rules(const RulesPolicy& policy, PolicyMode scope_mode, const ImageFacts& facts,
                                       const RuleContext& context);

// The device's floors (docs/rules.md "Time floor", "Anti-rollback floor"), in the state directory.
// time_floor: "<RFC 3339>\n", the newest trusted time seen. floors.json: {"version": 1, "floors":
// {"registry/repository": {"version", "created", "digest", "admittedAt"}}}. Absent files are no
// floor; a malformed one is Errc::config naming the file (never read as "no floor").
Expected<std::optional<std::int64_t>> read_time_floor(const StateDirectory& state);
Expected<Json> read_rollback_floors(const StateDirectory& state);
// Raises state_dir/time_floor to `seconds` when that is newer (atomic write).
Status raise_time_floor(const StateDirectory& state, std::int64_t seconds);
// Raises the floor of `repository` ("registry/repository") to this image when it is above the
// floor or there is none (atomic write of floors.json).
Status raise_rollback_floor(const StateDirectory& state, const std::string& repository, const ImageFacts& facts,
                            const std::string& admitted_at);

// Appends every scope's leastPrivilege.forbiddenPaths to `watched` (the pass records them).
void add_forbidden_paths(const TrustPolicy& policy, std::vector<std::string>& watched);

// The operator command (edgeverify floor lower): lowers the floor of `repository` to `to_version`
// (a semantic version below the current one) or, without it, removes the floor. Appends an audit
// record {time, repository, from, to, reason} to state_dir/floor_audit.jsonl first (durably).
// Errors: not_found (no floor), usage (no reason, --to not below), config (corrupt floors.json).
Status lower_rollback_floor(const StateDirectory& state, const std::string& repository,
                            const std::optional<std::string>& to_version, const std::string& reason);
std::string floor_audit_path(const StateDirectory& state);

// The audit records that no device report has carried yet: those after the byte offset kept in
// state_dir/floor_audit.reported (absent: 0). The agent puts each in its next device report as a
// `rollback-floor-lowered` alarm and, once that report is in the outbox, marks them reported.
// A record that is not one JSON object per line -> Errc::config naming the file and line.
struct UnreportedFloorAudit {
    std::vector<Json> records;  // {time, repository, from, to, reason}, oldest first
    std::uint64_t end_offset = 0;
};
Expected<UnreportedFloorAudit> unreported_floor_audit(const StateDirectory& state);
Status mark_floor_audit_reported(const StateDirectory& state, std::uint64_t end_offset);

struct TrustDecision;
// Evaluates the rules of each image's scope and adds the results to its decision (same order as
// report.images). An enforced failure becomes the decision's failure when it has none, naming the
// rule and its evidence. Reads the floors from `state`, never writes.
Status apply_image_rules(const IntegrityReport& report, std::vector<TrustDecision>& decisions,
                         const TrustStore& store, const StateDirectory& state);
// After an admission: raises the time floor (config created, Rekor integrated times of accepted
// signatures) and, for scopes with the rollback rule, each repository's floor.
Status record_admission_floors(const IntegrityReport& report, const std::vector<TrustDecision>& decisions,
                               const TrustStore& store, const StateDirectory& state);

// Semantic Versioning 2.0.0 precedence (a leading 'v' is accepted; build metadata ignored):
// <0, 0, >0; nullopt when either side is not a semantic version.
std::optional<int> compare_semver(std::string_view a, std::string_view b);

// RFC 3339 date-time ("2026-11-28T01:50:00Z", fractions, offsets) -> seconds since the epoch.
std::optional<std::int64_t> parse_rfc3339_seconds(std::string_view text);
std::string format_rfc3339(std::int64_t seconds);

}  // namespace edgeverify
