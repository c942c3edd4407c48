// Certificate chain validation for Notary Project signatures (FORMATS.md C.5): the chain as the
// envelope carries it, leaf first and complete up to a self-signed root, checked link by link at
// one given time and anchored in a named store by certificate equality (as notation-go does).
#include <string>

#include "edgeverify/x509.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kOidAnyExtendedKeyUsage = "2.5.29.37.0";
constexpr std::string_view kOidServerAuth = "1.3.6.1.5.5.7.3.1";
constexpr std::string_view kOidClientAuth = "1.3.6.1.5.5.7.3.2";
constexpr std::string_view kOidEmailProtection = "1.3.6.1.5.5.7.3.4";
constexpr std::string_view kOidTimeStamping = "1.3.6.1.5.5.7.3.8";

Error rule(const Certificate& cert, const std::string& what) {
    return make_error(Errc::untrusted, "certificate \"" + cert.subject_text + "\": " + what);
}

Status check_ca_requirements(const Certificate& cert, int ca_certificates_below) {
    if (!cert.has_basic_constraints || !cert.basic_constraints_critical || !cert.is_ca) {
        return rule(cert, "a CA certificate needs a critical basicConstraints extension with cA=true");
    }
    if (!cert.has_key_usage || !cert.key_usage_critical || (cert.key_usage & key_usage::key_cert_sign) == 0) {
        return rule(cert, "a CA certificate needs a critical keyUsage extension with keyCertSign");
    }
    if (cert.max_path_length >= 0 && ca_certificates_below > cert.max_path_length) {
        return rule(cert, "pathLenConstraint " + std::to_string(cert.max_path_length) + " allows fewer than the " +
                              std::to_string(ca_certificates_below) + " CA certificates below it");
    }
    return {};
}

std::string time_text(std::int64_t seconds) { return std::to_string(seconds) + " (Unix seconds)"; }

RevocationStatus worse(RevocationStatus a, RevocationStatus b) {
    const auto rank = [](RevocationStatus s) {
        switch (s) {
            case RevocationStatus::revoked: return 3;
            case RevocationStatus::unknown: return 2;
            case RevocationStatus::good: return 1;
            case RevocationStatus::not_checked: return 0;
        }
        return 0;
    };
    return rank(a) >= rank(b) ? a : b;
}

}  // namespace

// Defined in x509_crl.cpp: the revocation status of `cert` from the CRLs `issuer` signed.
RevocationStatus crl_status(const Certificate& cert, const Certificate& issuer, const std::vector<RevocationList>& crls,
                            std::int64_t at, std::string& detail);

Status check_leaf_requirements(const Certificate& leaf, LeafPurpose purpose) {
    if (purpose == LeafPurpose::timestamping) {
        if (!leaf.has_extended_key_usage || !leaf.extended_key_usage_critical ||
            leaf.extended_key_usage != std::vector<std::string>{std::string(kOidTimeStamping)}) {
            return rule(leaf, "a timestamping certificate needs a critical extendedKeyUsage of exactly timeStamping");
        }
    }
    if (!leaf.has_key_usage || !leaf.key_usage_critical) {
        return rule(leaf, "a signing certificate needs a critical keyUsage extension");
    }
    if ((leaf.key_usage & key_usage::digital_signature) == 0) {
        return rule(leaf, "keyUsage lacks digitalSignature");
    }
    if (purpose == LeafPurpose::code_signing) {
        constexpr unsigned kForbidden = key_usage::key_encipherment | key_usage::data_encipherment |
                                        key_usage::key_agreement | key_usage::key_cert_sign | key_usage::crl_sign |
                                        key_usage::encipher_only | key_usage::decipher_only;
        if ((leaf.key_usage & kForbidden) != 0) {
            return rule(leaf, "keyUsage allows more than signing (an encipherment, agreement or certificate-signing bit)");
        }
        for (const std::string& usage : leaf.extended_key_usage) {
            if (usage == kOidAnyExtendedKeyUsage || usage == kOidServerAuth || usage == kOidClientAuth ||
                usage == kOidEmailProtection || usage == kOidTimeStamping) {
                return rule(leaf, "extendedKeyUsage " + usage + " is not allowed on a code-signing certificate");
            }
        }
    }
    if (leaf.has_basic_constraints && leaf.is_ca) {
        return rule(leaf, "a signing certificate must not be a CA (basicConstraints cA=true)");
    }
    return {};
}

Expected<ChainResult> validate_certificate_chain(const std::vector<Certificate>& chain, const X509Store& store,
                                                 const ChainCheck& check) {
    if (chain.empty()) return make_error(Errc::untrusted, "the signature carries no certificate");
    if (auto ok = check_leaf_requirements(chain.front(), check.purpose); !ok) return ok.take_error();
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const Certificate& cert = chain[i];
        if (i > 0) {
            if (auto ok = check_ca_requirements(cert, static_cast<int>(i) - 1); !ok) return ok.take_error();
        }
        if (i + 1 < chain.size()) {
            if (cert.issuer_der != chain[i + 1].subject_der) {
                return rule(cert, "its issuer is not the subject of the next certificate \"" +
                                      chain[i + 1].subject_text + "\"");
            }
            if (auto ok = verify_certificate_signature(cert, chain[i + 1]); !ok) return ok.take_error();
        } else {
            if (!cert.self_issued()) {
                return rule(cert, "the chain does not end in a self-signed root certificate");
            }
            if (auto ok = verify_certificate_signature(cert, cert); !ok) {
                return rule(cert, "the last certificate is not self-signed: " + ok.error().message);
            }
        }
        if (check.at && *check.at < cert.not_before) {
            return rule(cert, "not yet valid at " + time_text(*check.at) + " (notBefore " + time_text(cert.not_before) + ")");
        }
        if (check.at && *check.at > cert.not_after) {
            return rule(cert, "expired at " + time_text(*check.at) + " (notAfter " + time_text(cert.not_after) + ")");
        }
    }
    bool anchored = false;
    for (const Certificate& cert : chain) {
        for (const Certificate& trusted : store.certificates) anchored = anchored || cert.der == trusted.der;
    }
    if (!anchored) {
        return make_error(Errc::untrusted, "the signature's certificate chain contains no certificate of trust store \"" +
                                               store.name + "\"");
    }
    if (check.crls != nullptr && check.at) return check_chain_revocation(chain, *check.crls, *check.at);
    return ChainResult{};
}

ChainResult check_chain_revocation(const std::vector<Certificate>& chain, const std::vector<RevocationList>& crls,
                                   std::int64_t at) {
    ChainResult result;
    result.revocation = RevocationStatus::good;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        std::string detail;
        const RevocationStatus status = crl_status(chain[i], chain[i + 1], crls, at, detail);
        if (worse(status, result.revocation) != result.revocation) {
            result.revocation = status;
            result.revocation_detail = detail;
        }
    }
    return result;
}

}  // namespace edgeverify
