// One vulnerability attestation against the image and the vulnerabilityAttestation rule's keys:
// the DSSE signature (a cosign .att layer's envelope, or a Sigstore bundle's dsseEnvelope), then
// what its statement binds. Rekor entries of a bundle are not checked by this rule.
#include <algorithm>

#include "edgeverify/crypto.hpp"
#include "edgeverify/report.hpp"
#include "edgeverify/signatures.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "rules/vuln_attestation_verify.hpp"

namespace edgeverify::rules_detail {
namespace {

constexpr std::string_view kKeylessRefusal =
    "keyless (certificate) attestations need Fulcio verification, not in this build (issue 8)";

std::string describe(const Error& error) {
    return std::string(errc_name(error.code)) + ": " + error.message;
}

// The statement and the key that verified it; the error's message is the refusal reason.
struct SignedStatement {
    std::string statement;
    std::string key_path;
};

std::string keys_text(const VulnerabilityAttestationRule& rule) {
    std::string keys;
    for (const std::string& path : rule.keys) keys += (keys.empty() ? "" : ", ") + path;
    return keys;
}

// A cosign .att layer: a standalone envelope (verify_dsse_envelope: strict, in-toto payload type).
Expected<SignedStatement> verify_envelope(const AttestationCandidate& candidate,
                                          const VulnerabilityAttestationRule& rule, const TrustStore& store) {
    if (auto cert = candidate.annotations.find(std::string(cosign::kCertificateAnnotation));
        cert != candidate.annotations.end() && !cert->second.empty()) {
        return make_error(Errc::untrusted, std::string(kKeylessRefusal));
    }
    for (const std::string& path : rule.keys) {
        const auto key = store.keys.find(path);
        if (key == store.keys.end()) continue;  // apply_image_rules refuses such policies
        auto payload = verify_dsse_envelope(key->second.key, candidate.document);
        if (payload) return SignedStatement{std::move(*payload), path};
        if (payload.error().code != Errc::signature_invalid)
            return make_error(Errc::untrusted, describe(payload.error()));
    }
    return make_error(Errc::untrusted, "the DSSE signature does not verify with " + keys_text(rule));
}

// A Sigstore bundle referrer: its dsseEnvelope, key-based only.
Expected<SignedStatement> verify_bundle(const AttestationCandidate& candidate,
                                        const VulnerabilityAttestationRule& rule, const TrustStore& store) {
    auto bundle = parse_sigstore_bundle(candidate.document, candidate.origin);
    if (!bundle) return make_error(Errc::untrusted, describe(bundle.error()));
    if (!bundle->dsse) return make_error(Errc::untrusted, "a messageSignature bundle is not an attestation");
    if (bundle->material != BundleMaterial::public_key)
        return make_error(Errc::untrusted, std::string(kKeylessRefusal));
    const auto& dsse = *bundle->dsse;
    if (dsse.payload_type != sigstore::kInTotoPayloadType) {
        return make_error(Errc::untrusted, "DSSE payload type " + dsse.payload_type + " is not " +
                                               std::string(sigstore::kInTotoPayloadType));
    }
    const std::string pae = dsse_pae(dsse.payload_type, dsse.payload);
    std::string unsupported;
    for (const std::string& path : rule.keys) {
        const auto key = store.keys.find(path);
        if (key == store.keys.end()) continue;
        auto verified = verify_signature(key->second.key, pae, dsse.signature);
        if (verified) return SignedStatement{dsse.payload, path};
        if (verified.error().code != Errc::signature_invalid)
            unsupported += "; " + path + ": " + verified.error().message;
    }
    return make_error(Errc::untrusted,
                      "the DSSE signature does not verify with " + keys_text(rule) + unsupported);
}

}  // namespace

Expected<VerifiedVulnerabilityScan> verify_vulnerability_attestation(const AttestationCandidate& candidate,
                                                                     const VulnerabilityAttestationRule& rule,
                                                                     const RuleContext& context) {
    const auto refuse = [&](const std::string& reason) {
        return make_error(Errc::untrusted, candidate.origin + ": " + reason);
    };
    if (context.store == nullptr) return refuse("no trust store to verify it with");
    auto signed_statement = candidate.form == AttestationCandidate::Form::dsse_envelope
                                ? verify_envelope(candidate, rule, *context.store)
                                : verify_bundle(candidate, rule, *context.store);
    if (!signed_statement) return refuse(signed_statement.error().message);
    auto scan = parse_vulnerability_statement(signed_statement->statement,
                                              "in-toto statement of " + candidate.origin);
    if (!scan) return refuse(describe(scan.error()));
    const bool about_image = std::any_of(scan->subjects.begin(), scan->subjects.end(), [&](const Digest& d) {
        return d.str() == context.manifest_digest ||
               (!context.index_digest.empty() && d.str() == context.index_digest);
    });
    if (!about_image) {
        std::string listed;
        for (const Digest& d : scan->subjects) listed += (listed.empty() ? "" : ", ") + d.str();
        return refuse("in-toto subject " + (listed.empty() ? std::string("(no sha256 digest)") : listed) +
                      ", not this image (manifest " + context.manifest_digest +
                      (context.index_digest.empty() ? "" : ", index " + context.index_digest) + ")");
    }
    return VerifiedVulnerabilityScan{std::move(*scan), candidate.origin, signed_statement->key_path};
}

}  // namespace edgeverify::rules_detail
