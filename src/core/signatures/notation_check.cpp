// A Notation signature against the scope's x509 signers: the envelope parsed strictly, then
// Notation's verification steps (notation.hpp) with each signer's store, identity and level. The
// content binding is the envelope's targetArtifact, which must equal the artifact the signature
// was found for (the referrer's subject as stored, or the manifest for a detached file).
#include "signatures/notation_check.hpp"

#include "edgeverify/notation.hpp"
#include "signatures/check_common.hpp"

namespace edgeverify::signatures_detail {
namespace {

// "; logged: revocation: ..." for the steps that failed with action `log`.
std::string logged_steps(const NotationResult& result) {
    std::string text;
    for (const NotationStep& step : result.steps) {
        if (!step.failed) continue;
        text += (text.empty() ? "; logged: " : "; ") + step.name + ": " + step.detail;
    }
    return text;
}

// What verify_notation_signature needs for one signer; nullopt when the store is not loaded
// (load_trust_store refuses such a policy, so this never trusts by accident).
std::optional<NotationVerification> verification_for(const X509Signer& signer, const Descriptor& artifact,
                                                     const TrustStore& store, std::int64_t now) {
    NotationVerification how;
    how.artifact = {artifact.media_type, artifact.digest, static_cast<std::uint64_t>(artifact.size)};
    const auto anchors = store.x509_stores.find(signer.trust_store);
    if (anchors == store.x509_stores.end()) return std::nullopt;
    if (anchors->second.kind == X509StoreKind::signing_authority) {
        how.signing_authority_stores.push_back(&anchors->second);
    } else {
        how.ca_stores.push_back(&anchors->second);
    }
    if (signer.tsa_store) {
        const auto tsa = store.x509_stores.find(*signer.tsa_store);
        if (tsa == store.x509_stores.end()) return std::nullopt;
        how.tsa_store = &tsa->second;
    }
    how.verify_timestamp_always = signer.verify_timestamp_always;
    how.identities.push_back(signer.identity);
    how.level = signer.level;
    how.now = now;
    how.crls = &store.crls;
    return how;
}

}  // namespace

SignatureCheck check_notation(const SignatureCandidate& candidate, const Scope& scope,
                              const TrustStore& store, std::int64_t now) {
    SignatureCheck check;
    check.origin = candidate.origin;
    check.kind = "notation";
    const auto refuse = [&](std::string reason) {
        check.reason = std::move(reason);
        return check;
    };
    std::vector<const SignerSpec*> signers;
    for (const SignerSpec& signer : scope.signers) {
        if (signer.x509) signers.push_back(&signer);
    }
    if (signers.empty())
        return refuse("scope " + scope.name + " has no x509 signer to verify a Notation signature");
    if (!candidate.subject) return refuse("no artifact descriptor to bind the Notation signature to");
    auto envelope = parse_notation_envelope(candidate.payload, candidate.media_type, candidate.origin);
    if (!envelope) return refuse(describe(envelope.error()));
    check.signed_digest = envelope->target.digest.str();

    std::string refusals;
    for (const SignerSpec* signer : signers) {
        const X509Signer& x509 = *signer->x509;
        auto how = verification_for(x509, *candidate.subject, store, now);
        if (!how) {
            refusals += (refusals.empty() ? "" : "; ") + std::string("x509 signer ") + signer->name +
                        ": trust store " + x509.trust_store + " is not loaded";
            continue;
        }
        auto result = verify_notation_signature(*envelope, *how);
        if (!result) {
            refusals += (refusals.empty() ? "" : "; ") + std::string("x509 signer ") + signer->name + ": " +
                        describe(result.error());
            continue;
        }
        check.accepted = true;
        check.signer = signer->name;
        check.reason = "verified with x509 signer " + signer->name + " (trust store " + x509.trust_store +
                       "): signing certificate \"" + result->signer_subject + "\"" + logged_steps(*result);
        return check;
    }
    return refuse(refusals);
}

}  // namespace edgeverify::signatures_detail
