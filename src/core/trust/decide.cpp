// The policy's answer for one image: scope by reference, each signature checked (cosign simple
// signing and Sigstore bundles alike), distinct signers against the threshold, enforce or audit.
#include <algorithm>
#include <set>

#include "edgeverify/trust_decision.hpp"

namespace edgeverify {

TrustDecision decide_trust(const TrustStore& store, const ImageReference& reference, const ImageResult& image,
                           SourceKind kind, const std::vector<SignatureCandidate>& candidates) {
    TrustDecision decision;
    decision.reference = reference.str();
    const Scope* scope = select_scope(store.policy, reference);
    if (scope == nullptr) {
        decision.scope = "(default)";
        decision.mode =
            store.policy.default_action == DefaultAction::audit ? PolicyMode::audit : PolicyMode::enforce;
        decision.failure =
            make_error(Errc::untrusted, "no scope of the trust policy matches " + reference.name() +
                                            " and the default is " +
                                            (decision.mode == PolicyMode::audit ? "audit" : "reject"));
        return decision;
    }
    decision.scope = scope->name;
    decision.mode = scope->mode;
    decision.threshold = scope->threshold;

    if (kind == SourceKind::docker_archive) {
        decision.failure =
            make_error(Errc::untrusted,
                       "scope " + scope->name +
                           " requires signatures, and a docker-archive cannot carry the signed registry "
                           "manifest (docker save re-synthesizes it): ship the image as an OCI layout or "
                           "oci-archive instead");
        return decision;
    }
    // A signer counts once, and two signer entries naming the same key (by path or by the same
    // SPKI in two files) count once (DESIGN.md "Trust policy"). check_signature applies
    // requireTransparencyLog; the guard here keeps a signature without a verified SET from ever
    // counting under that scope.
    std::set<std::string> satisfied_keys;
    for (const SignatureCandidate& candidate : candidates) {
        SignatureCheck check = check_signature(candidate, image, reference, *scope, store);
        if (check.accepted && scope->require_transparency_log && !check.transparency_log_verified) {
            check.accepted = false;
            check.signer.clear();
            check.reason =
                "scope " + scope->name + " requires a verified Rekor entry (SET) and this signature has none";
        }
        if (check.accepted) {
            const auto signer = std::find_if(scope->signers.begin(), scope->signers.end(),
                                             [&](const SignerSpec& s) { return s.name == check.signer; });
            if (signer != scope->signers.end() && signer->x509) {
                // An x509 signer counts once by name (a Notation signature satisfies one signer).
                if (satisfied_keys.insert("x509 " + signer->name).second)
                    decision.satisfied_signers.push_back(check.signer);
            } else if (signer != scope->signers.end() && signer->sigstore) {
                // A sigstore signer counts once by name (keyless bundles, check_keyless.cpp).
                if (satisfied_keys.insert("sigstore " + signer->name).second)
                    decision.satisfied_signers.push_back(check.signer);
            } else if (signer != scope->signers.end() && signer->key) {
                const auto key = store.keys.find(signer->key->path);
                const std::string identity =
                    key != store.keys.end() ? key->second.key.spki_der() : signer->key->path;
                if (satisfied_keys.insert(identity).second)
                    decision.satisfied_signers.push_back(check.signer);
            }
        }
        decision.signatures.push_back(std::move(check));
    }
    const int verified = static_cast<int>(decision.satisfied_signers.size());
    if (verified < scope->threshold) {
        decision.failure = make_error(
            Errc::untrusted, std::to_string(verified) + " of the " + std::to_string(scope->threshold) +
                                 " distinct signer(s) scope " + scope->name + " requires verified for " +
                                 reference.name() + " (" + std::to_string(candidates.size()) +
                                 " signature(s) considered)");
    }
    return decision;
}

}  // namespace edgeverify
