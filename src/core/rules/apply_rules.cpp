// The rules stage: after the trust decision, each image's scope rules are evaluated against its
// facts and the device's floors; after an admission the floors are raised (docs/rules.md).
#include <algorithm>
#include <ctime>

#include "edgeverify/clock.hpp"
#include "edgeverify/rules.hpp"
#include "edgeverify/trust_decision.hpp"

namespace edgeverify {
namespace {

const Scope* scope_named(const TrustStore& store, const std::string& name) {
    for (const Scope& scope : store.policy.scopes) {
        if (scope.name == name) return &scope;
    }
    return nullptr;
}

// The rules of the decision's scope, when it has any.
Expected<std::optional<RulesPolicy>> rules_of(const TrustStore& store, const TrustDecision& decision) {
    const Scope* scope = scope_named(store, decision.scope);
    if (scope == nullptr || scope->rules.empty()) return std::optional<RulesPolicy>{};
    auto policy = parse_rules_policy(scope->rules, store.directory + "/policy.json", "scopes[" + scope->name + "].rules");
    if (!policy) return policy.take_error();
    return std::optional<RulesPolicy>{std::move(*policy)};
}

}  // namespace

void add_forbidden_paths(const TrustPolicy& policy, std::vector<std::string>& watched) {
    for (const Scope& scope : policy.scopes) {
        auto rules = parse_rules_policy(scope.rules, "policy.json", "rules");
        if (!rules || !rules->least_privilege) continue;
        for (const std::string& path : rules->least_privilege->forbidden_paths) {
            if (std::find(watched.begin(), watched.end(), path) == watched.end()) watched.push_back(path);
        }
    }
}

Status apply_image_rules(const IntegrityReport& report, std::vector<TrustDecision>& decisions,
                         const TrustStore& store, const StateDirectory& state) {
    std::optional<VulnerabilityFeed> feed;  // verified with the key of the rule that first needs it
    std::string feed_key;
    for (std::size_t i = 0; i < report.images.size() && i < decisions.size(); ++i) {
        TrustDecision& decision = decisions[i];
        const ImageResult& image = report.images[i];
        auto policy = rules_of(store, decision);
        if (!policy) return policy.take_error();
        if (!*policy) continue;
        auto reference = parse_image_reference(decision.reference);
        if (!reference) return reference.take_error();
        RuleContext context{*reference, image.manifest_digest.empty() ? "" : image.manifest_digest.str(),
                            image.index_digest ? image.index_digest->str() : "", std::time(nullptr), {}, {}};
        if (const auto& vulnerabilities = (*policy)->vulnerabilities) {
            if (feed_key != vulnerabilities->key) {
                auto loaded = load_vulnerability_feed(store, vulnerabilities->key);
                if (!loaded) return loaded.take_error();
                feed = std::move(*loaded);
                feed_key = vulnerabilities->key;
            }
            context.vulnerability_feed = feed ? &*feed : nullptr;
        }
        if (const auto& attestation_rule = (*policy)->vulnerability_attestation) {
            for (std::size_t k = 0; k < attestation_rule->keys.size(); ++k) {
                if (store.keys.contains(attestation_rule->keys[k])) continue;
                return make_error(Errc::config, store.directory + "/policy.json: scopes[" + decision.scope +
                                                    "].rules.vulnerabilityAttestation.keys[" + std::to_string(k) +
                                                    "]: \"" + attestation_rule->keys[k] +
                                                    "\" is not a key of the trust store");
            }
            context.attestations = &decision.attestations;
            context.store = &store;
        }
        const bool needs_time_floor =
            (*policy)->freshness || ((*policy)->vulnerabilities && (*policy)->vulnerabilities->max_feed_age_days) ||
            ((*policy)->vulnerability_attestation && (*policy)->vulnerability_attestation->max_scan_age_days);
        if (needs_time_floor) {
            auto floor = read_time_floor(state);
            if (!floor) return floor.take_error();
            context.time_floor = *floor;
        }
        if ((*policy)->rollback && (*policy)->rollback->enabled) {
            auto floors = read_rollback_floors(state);
            if (!floors) return floors.take_error();
            const Json& all = (*floors)["floors"];
            if (all.contains(reference->name())) context.rollback_floor = all[reference->name()];
        }
        const ImageFacts facts = collect_image_facts(image);
        decision.rules = evaluate_rules(**policy, decision.mode, facts, context);
        for (const RuleResult& result : decision.rules) {
            // An enforce rule's violation is the decision's failure (rejecting in an enforce scope,
            // admitted and reported in an audit scope); an audit rule's is only recorded.
            const bool enforced_rule = result.outcome == RuleOutcome::fail ||
                                       (result.outcome == RuleOutcome::audit_fail && decision.mode == PolicyMode::audit);
            if (enforced_rule && !decision.failure) {
                decision.failure = make_error(Errc::untrusted, "rule " + result.rule + ": " + result.evidence);
            }
        }
    }
    return {};
}

Status record_admission_floors(const IntegrityReport& report, const std::vector<TrustDecision>& decisions,
                               const TrustStore& store, const StateDirectory& state) {
    std::optional<std::int64_t> newest;
    const auto consider = [&](std::int64_t t) { newest = newest ? std::max(*newest, t) : t; };
    for (std::size_t i = 0; i < report.images.size() && i < decisions.size(); ++i) {
        const TrustDecision& decision = decisions[i];
        if (!decision.admits()) continue;
        const ImageFacts facts = collect_image_facts(report.images[i]);
        // Only a fully trusted image's times move the time floor: an audit admission proves nothing.
        if (!decision.failure) {
            if (auto created = parse_rfc3339_seconds(facts.created)) consider(*created);
            for (const SignatureCheck& check : decision.signatures) {
                if (check.accepted && check.transparency_log_verified && check.integrated_time)
                    consider(*check.integrated_time);
            }
        }
        auto policy = rules_of(store, decision);
        if (!policy) return policy.take_error();
        if (!*policy || !(*policy)->rollback || !(*policy)->rollback->enabled) continue;
        auto reference = parse_image_reference(decision.reference);
        if (!reference) return reference.take_error();
        if (auto s = raise_rollback_floor(state, reference->name(), facts, rfc3339_utc_now()); !s) return s;
    }
    if (newest) return raise_time_floor(state, *newest);
    return {};
}

}  // namespace edgeverify
