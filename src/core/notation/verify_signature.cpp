// Notation's verification steps in the spec's order (trust-store-trust-policy.md "Signature
// Verification"): integrity, authenticity, authentic timestamp, expiry, revocation; each failure
// enforced or logged by the level. Unsupported features reject whatever the level.
#include "edgeverify/notation.hpp"
#include "edgeverify/timestamp.hpp"

namespace edgeverify {
namespace {

std::string time_text(std::int64_t seconds) { return std::to_string(seconds) + " (Unix seconds)"; }

// Every certificate of the chain valid at `at`; the first that is not, described.
std::optional<std::string> outside_validity(const std::vector<Certificate>& chain, std::int64_t at) {
    for (const Certificate& cert : chain) {
        if (at < cert.not_before || at > cert.not_after) {
            return "certificate \"" + cert.subject_text + "\" is not valid at " + time_text(at) + " (valid " +
                   time_text(cert.not_before) + " to " + time_text(cert.not_after) + ")";
        }
    }
    return std::nullopt;
}

class Steps {
public:
    explicit Steps(NotationResult& result) : result_(result) {}
    // Records a step; an enforced failure becomes the rejection.
    void record(std::string name, CheckAction action, std::optional<std::string> failure) {
        if (action == CheckAction::skip) return;
        NotationStep step{std::move(name), action, failure.has_value(), failure.value_or("")};
        if (step.failed && action == CheckAction::enforce && !rejection_) {
            rejection_ = make_error(Errc::untrusted, "notation " + step.name + ": " + step.detail);
        }
        result_.steps.push_back(std::move(step));
    }
    const std::optional<Error>& rejection() const { return rejection_; }

private:
    NotationResult& result_;
    std::optional<Error> rejection_;
};

Status check_integrity(const NotationEnvelope& envelope, const NotationDescriptor& artifact) {
    if (envelope.chain.empty()) return make_error(Errc::signature_invalid, "the envelope carries no certificate");
    auto key = certificate_public_key(envelope.chain.front(), "signing certificate");
    if (!key) return make_error(Errc::signature_invalid, key.error().message);
    if (auto ok = verify_notary_signature(*key, envelope.algorithm, envelope.signed_bytes, envelope.signature,
                                          envelope.pss_salt);
        !ok) {
        return ok;
    }
    const NotationDescriptor& target = envelope.target;
    if (target.media_type != artifact.media_type || !(target.digest == artifact.digest) || target.size != artifact.size) {
        return make_error(Errc::signature_invalid,
                          "content descriptor mismatch: the signature is for " + target.media_type + " " +
                              target.digest.str() + " (" + std::to_string(target.size) + " bytes), the artifact is " +
                              artifact.media_type + " " + artifact.digest.str() + " (" +
                              std::to_string(artifact.size) + " bytes)");
    }
    return {};
}

std::optional<std::string> check_authenticity(const NotationEnvelope& envelope, const NotationVerification& how) {
    const bool authority = envelope.scheme == NotationSigningScheme::x509_signing_authority;
    const auto& stores = authority ? how.signing_authority_stores : how.ca_stores;
    if (stores.empty()) {
        return std::string("the policy names no ") + (authority ? "signingAuthority" : "ca") + " trust store for this signing scheme";
    }
    std::string failures;
    bool anchored = false;
    ChainCheck check;
    check.purpose = LeafPurpose::code_signing;
    for (const X509Store* store : stores) {
        auto chained = validate_certificate_chain(envelope.chain, *store, check);
        if (chained) {
            anchored = true;
            break;
        }
        failures += (failures.empty() ? "" : "; ") + chained.error().message;
    }
    if (!anchored) return failures;
    if (how.any_identity) return std::nullopt;
    for (const TrustedIdentity& identity : how.identities) {
        if (identity_matches(identity, envelope.chain.front().subject)) return std::nullopt;
    }
    return "signing certificate subject \"" + envelope.chain.front().subject_text +
           "\" matches none of the trusted identities";
}

// The RFC 3161 countersignature (notation-go's authentic timestamp): the token covers the
// signature bytes, verifies to a root of the tsa store at its genTime, and [genTime - accuracy,
// genTime + accuracy] lies inside every signing certificate's validity. The TSA chain's
// revocation is not checked (docs/trust-policy.md: offline, public TSA chains name OCSP/CRL URLs).
std::optional<std::string> countersignature_failure(const NotationEnvelope& envelope, const X509Store& tsa_store) {
    auto token = parse_timestamp_token(*envelope.timestamp_token, "the signature's timestamp countersignature");
    if (!token) return token.error().message;
    TimestampTrust trust;
    trust.name = "tsa store " + tsa_store.name;
    trust.store = &tsa_store;
    trust.require_ess_v2 = true;
    auto verified = verify_timestamp_token(*token, envelope.signature, trust);
    if (!verified) return verified.error().message;
    // Accuracy rounded up to whole seconds: the interval may only grow.
    const std::int64_t slack = (verified->accuracy_micros + 999999) / 1000000;
    for (const Certificate& cert : envelope.chain) {
        if (verified->time - slack < cert.not_before || verified->time + slack > cert.not_after) {
            return "the timestamp " + time_text(verified->time) + " (accuracy " + std::to_string(slack) +
                   " s) from " + verified->tsa_subject + " is not inside the validity of certificate \"" +
                   cert.subject_text + "\" (" + time_text(cert.not_before) + " to " + time_text(cert.not_after) + ")";
        }
    }
    return std::nullopt;
}

bool chain_expired(const std::vector<Certificate>& chain, std::int64_t now) {
    for (const Certificate& cert : chain) {
        if (now > cert.not_after) return true;
    }
    return false;
}

}  // namespace

Expected<NotationResult> verify_notation_signature(const NotationEnvelope& envelope, const NotationVerification& how) {
    NotationResult result;
    result.signer_subject = envelope.chain.empty() ? "" : envelope.chain.front().subject_text;
    if (how.level.integrity == CheckAction::skip) return result;  // level "skip": nothing is verified
    if (envelope.verification_plugin) {
        return make_error(Errc::untrusted, "the signature requires verification plugin \"" + *envelope.verification_plugin +
                                               "\"; plugins are not supported on the device");
    }
    if (auto ok = check_integrity(envelope, how.artifact); !ok) return ok.take_error();
    Steps steps(result);
    steps.record("integrity", CheckAction::enforce, std::nullopt);
    steps.record("authenticity", how.level.authenticity, check_authenticity(envelope, how));

    std::optional<std::string> timestamp_failure;
    if (envelope.scheme == NotationSigningScheme::x509_signing_authority) {
        timestamp_failure = outside_validity(envelope.chain, *envelope.authentic_signing_time);
    } else if (how.tsa_store != nullptr && (how.verify_timestamp_always || chain_expired(envelope.chain, how.now))) {
        if (!envelope.timestamp_token) {
            timestamp_failure = "the policy requires an RFC 3161 timestamp and the signature has none";
        } else {
            timestamp_failure = countersignature_failure(envelope, *how.tsa_store);
        }
    } else {
        timestamp_failure = outside_validity(envelope.chain, how.now);
    }
    steps.record("authenticTimestamp", how.level.authentic_timestamp, timestamp_failure);

    std::optional<std::string> expiry_failure;
    if (envelope.expiry && how.now >= *envelope.expiry) {
        expiry_failure = "the signature expired at " + time_text(*envelope.expiry);
    }
    steps.record("expiry", how.level.expiry, expiry_failure);

    if (how.level.revocation != CheckAction::skip) {
        static const std::vector<RevocationList> kNoCrls;
        const ChainResult revocation = check_chain_revocation(envelope.chain, how.crls ? *how.crls : kNoCrls, how.now);
        std::optional<std::string> revocation_failure;
        if (revocation.revocation == RevocationStatus::revoked || revocation.revocation == RevocationStatus::unknown) {
            revocation_failure = revocation.revocation_detail;
        }
        steps.record("revocation", how.level.revocation, revocation_failure);
    }
    if (steps.rejection()) return *steps.rejection();
    return result;
}

}  // namespace edgeverify
