// Keyless Sigstore bundles (FORMATS.md B.4 steps 4, 5 and 8): the Fulcio leaf's path to a
// certificateAuthorities chain of sigstore/trusted_root.json at the verified signing time, its
// embedded SCTs against the trusted root's ctlogs, and its identity against the scope's
// `sigstore` signers.
#include <string>

#include "edgeverify/sct.hpp"
#include "edgeverify/sigstore_identity.hpp"
#include "signatures/check_common.hpp"

namespace edgeverify::signatures_detail {

std::optional<std::string> keyless_chain_refusal(const std::vector<std::string>& bundle_certificates,
                                                 const std::string& where) {
    // Signers must not ship roots (sigstore_bundle.proto VerificationMaterial); extra certificates
    // are never trusted, only the trusted root's chains are.
    for (std::size_t i = 1; i < bundle_certificates.size(); ++i) {
        auto cert = parse_certificate_der(bundle_certificates[i], where + " certificate " + std::to_string(i));
        if (!cert) return describe(cert.error());
        if (cert->self_issued()) return "the bundle's certificate chain contains a root certificate (" +
                                        cert->subject_text + "): signers must not include it";
    }
    return std::nullopt;
}

std::optional<std::string> keyless_leaf_refusal(const Certificate& leaf, std::int64_t time, const Scope& scope,
                                                const TrustStore& store, SignatureCheck& check) {
    const std::string at = "at the integrated time " + std::to_string(time);
    if (store.certificate_authorities.empty()) {
        return std::string("the trust store has no Fulcio certificate authority "
                           "(sigstore/trusted_root.json certificateAuthorities)");
    }
    const CertificateAuthority* issuer = nullptr;
    std::string failures;
    for (const CertificateAuthority& ca : store.certificate_authorities) {
        if (!ca.valid_at(time)) {
            failures += "; " + ca.origin + ": validFor does not contain it";
            continue;
        }
        auto path = verify_path_at(leaf, ca.chain, time);
        if (path) {
            issuer = &ca;
            break;
        }
        failures += "; " + ca.origin + ": " + describe(path.error());
    }
    if (issuer == nullptr) return "the signing certificate does not chain to a trusted Fulcio CA " + at + failures;
    if (!has_code_signing_eku(leaf)) return std::string("the signing certificate lacks the codeSigning extendedKeyUsage");
    // FORMATS.md B.4 step 5: logged in Certificate Transparency; the issuer is the verified chain's.
    auto sct = verify_embedded_scts(leaf, issuer->chain.front(), store.ct_logs, "the signing certificate");
    if (!sct) return sct.error().code == Errc::untrusted ? sct.error().message : describe(sct.error());

    std::string mismatches;
    for (const SignerSpec& signer : scope.signers) {
        if (!signer.sigstore) continue;
        auto matched = check_sigstore_identity(*signer.sigstore, leaf);
        if (matched) {
            check.signer = signer.name;
            check.reason = "verified with the Fulcio certificate of " + certificate_san(leaf) + " (issuer " +
                           certificate_oidc_issuer(leaf) + "), chained to " + issuer->origin + " " + at +
                           "; SCT verified with " + (*sct)->origin;
            return std::nullopt;
        }
        mismatches += "; " + signer.name + ": " + describe(matched.error());
    }
    if (mismatches.empty()) return "scope " + scope.name + " has no sigstore signer for a keyless signature";
    return "the certificate identity matches no sigstore signer of scope " + scope.name + mismatches;
}

}  // namespace edgeverify::signatures_detail
