// Scope selection: which scope of the policy governs a reference (DESIGN.md "Trust policy").
#include <string>

#include "edgeverify/trust_policy.hpp"

namespace edgeverify {

const Scope* select_scope(const TrustPolicy& policy, const ImageReference& reference) {
    const std::string name = reference.name();
    const Scope* best_glob = nullptr;
    std::size_t best_prefix = 0;
    for (const auto& scope : policy.scopes) {
        const bool glob = !scope.match.empty() && scope.match.back() == '*';
        if (!glob) {
            if (scope.match == name) return &scope;  // an exact match beats every glob
            continue;
        }
        const std::string_view prefix = std::string_view(scope.match).substr(0, scope.match.size() - 1);
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        // The longest literal prefix wins; equal prefixes cannot happen (duplicate matches are refused).
        if (best_glob == nullptr || prefix.size() > best_prefix) {
            best_glob = &scope;
            best_prefix = prefix.size();
        }
    }
    return best_glob;
}

}  // namespace edgeverify
