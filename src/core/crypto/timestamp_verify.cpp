// RFC 3161 timestamp token verification (RFC 3161 2.4.2, RFC 5652 5.4/5.6, RFC 5035): the token
// covers the given bytes, its signer signed it, and the signer is a timestamping certificate
// that chains to the trusted authority at genTime. The result is a time the caller may trust.
#include "crypto/der.hpp"
#include "crypto/timestamp_support.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/timestamp.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kOidTimeStamping = "1.3.6.1.5.5.7.3.8";
constexpr std::string_view kOidSubjectKeyIdentifier = "2.5.29.14";

Error fail(Errc code, const TimestampTrust& trust, const std::string& why) {
    return make_error(code, "timestamp (" + trust.name + "): " + why);
}

bool names_certificate(const TimestampToken& token, const Certificate& cert) {
    if (!token.sid_key_id.empty()) {
        const CertificateExtension* ski = cert.extension(kOidSubjectKeyIdentifier);
        if (ski == nullptr) return false;
        auto key_id = crypto::der_single(ski->value, crypto::kDerOctetString);
        return key_id && *key_id == token.sid_key_id;
    }
    return cert.issuer_der == token.sid_issuer_der && cert.serial_hex == hex_encode(token.sid_serial_der);
}

// The certificate the SignerInfo names: among the token's own, else the authority's chain.
const Certificate* find_signer(const TimestampToken& token, const TimestampTrust& trust) {
    for (const Certificate& cert : token.certificates)
        if (names_certificate(token, cert)) return &cert;
    if (trust.authority != nullptr) {
        for (const Certificate& cert : trust.authority->chain)
            if (names_certificate(token, cert)) return &cert;
    }
    return nullptr;
}

Status check_ess(const TimestampToken& token, const Certificate& signer, const TimestampTrust& trust) {
    if (token.ess_cert_ids.empty()) {
        return fail(Errc::signature_invalid, trust,
                    "no signing-certificate(-v2) attribute (RFC 3161 requires one)");
    }
    if (trust.require_ess_v2 && !token.ess_v2) {
        return fail(Errc::signature_invalid, trust, "the signing-certificate-v2 attribute is required");
    }
    // RFC 5035 5.4: the first ESSCertID identifies the signing certificate.
    const EssCertId& first = token.ess_cert_ids.front();
    auto hash = timestamp_detail::hash_bytes(first.hash_algorithm, signer.der);
    if (!hash || *hash != first.hash) {
        return fail(Errc::signature_invalid, trust,
                    "the signing-certificate attribute's " + first.hash_algorithm +
                        " hash does not match the TSA certificate \"" + signer.subject_text + "\"");
    }
    return {};
}

Status check_timestamping_eku(const Certificate& signer, const TimestampTrust& trust) {
    if (!signer.has_extended_key_usage || !signer.extended_key_usage_critical ||
        signer.extended_key_usage != std::vector<std::string>{std::string(kOidTimeStamping)}) {
        return fail(Errc::untrusted, trust,
                    "the TSA certificate \"" + signer.subject_text +
                        "\" needs a critical extendedKeyUsage of exactly timeStamping");
    }
    return {};
}

// trusted_root.json authority: the chain's leaf (when it has one) must be the signer.
Status check_authority_path(const Certificate& signer, const CertificateAuthority& authority, std::int64_t at,
                            const TimestampTrust& trust) {
    if (!authority.valid_at(at)) {
        return fail(Errc::untrusted, trust,
                    "genTime " + std::to_string(at) + " is outside the authority's validFor");
    }
    const std::vector<Certificate>& chain = authority.chain;
    if (chain.empty()) return fail(Errc::untrusted, trust, "the authority has no certificate");
    std::vector<Certificate> issuers = chain;
    if (!chain.front().is_ca) {
        if (chain.front().der != signer.der) {
            return fail(Errc::untrusted, trust,
                        "the token's TSA certificate \"" + signer.subject_text +
                            "\" is not the authority's (" + chain.front().subject_text + ")");
        }
        issuers.erase(issuers.begin());
    }
    if (issuers.empty()) {  // a pinned TSA certificate alone
        if (at < signer.not_before || at > signer.not_after)
            return fail(Errc::untrusted, trust,
                        "the TSA certificate is not valid at genTime " + std::to_string(at));
        return {};
    }
    if (auto path = verify_path_at(signer, issuers, at); !path) {
        return fail(path.error().code, trust,
                    "the TSA certificate does not chain to the authority at genTime " + std::to_string(at) +
                        ": " + path.error().message);
    }
    return {};
}

// tsa store of roots: a path from the signer through the token's certificates to a root.
Status check_store_path(const Certificate& signer, const TimestampToken& token, const X509Store& store,
                        std::int64_t at, const TimestampTrust& trust) {
    std::vector<Certificate> path;
    const Certificate* current = &signer;
    for (std::size_t depth = 0; depth < limits::kMaxTimestampChainDepth; ++depth) {
        for (const Certificate& root : store.certificates) {
            if (root.subject_der == current->issuer_der && verify_certificate_signature(*current, root)) {
                path.push_back(root);
                if (auto ok = verify_path_at(signer, path, at); !ok) {
                    return fail(ok.error().code, trust,
                                "the TSA certificate chain is not valid at genTime " + std::to_string(at) +
                                    ": " + ok.error().message);
                }
                return {};
            }
        }
        const Certificate* next = nullptr;
        for (const Certificate& cert : token.certificates) {
            if (&cert != current && !cert.self_issued() && cert.subject_der == current->issuer_der &&
                verify_certificate_signature(*current, cert)) {
                next = &cert;
                break;
            }
        }
        if (next == nullptr) break;
        path.push_back(*next);
        current = next;
    }
    return fail(Errc::untrusted, trust,
                "the TSA certificate \"" + signer.subject_text + "\" does not chain to a root of the store");
}

}  // namespace

Expected<VerifiedTimestamp> verify_timestamp_token(const TimestampToken& token, std::string_view signed_bytes,
                                                   const TimestampTrust& trust) {
    auto digest = token.digest_algorithm == "sha1"
                      ? std::nullopt
                      : timestamp_detail::hash_bytes(token.digest_algorithm, token.tst_info_der);
    if (!digest || *digest != token.message_digest) {
        return fail(Errc::signature_invalid, trust,
                    "the message-digest attribute does not match the TSTInfo");
    }
    const Certificate* signer = find_signer(token, trust);
    if (signer == nullptr) {
        return fail(
            Errc::signature_invalid, trust,
            trust.authority != nullptr
                ? "the TSA certificate the SignerInfo names is neither in the token nor the authority's chain"
                : "signing certificate not found in the timestamp token");
    }
    if (auto ok = check_ess(token, *signer, trust); !ok) return ok.take_error();
    auto key = certificate_public_key(*signer, "TSA certificate");
    if (!key) return fail(Errc::signature_invalid, trust, key.error().message);
    if (auto ok = timestamp_detail::verify_cms_signature(
            *key, token.signature_algorithm_oid, token.signature_algorithm_params, token.digest_algorithm,
            token.signed_attributes_der, token.signature);
        !ok) {
        return fail(Errc::signature_invalid, trust, ok.error().message);
    }
    if (auto ok = check_timestamping_eku(*signer, trust); !ok) return ok.take_error();
    if (trust.authority != nullptr) {
        if (auto ok = check_authority_path(*signer, *trust.authority, token.gen_time, trust); !ok)
            return ok.take_error();
    } else if (trust.store != nullptr) {
        if (auto ok = check_store_path(*signer, token, *trust.store, token.gen_time, trust); !ok)
            return ok.take_error();
    } else {
        return fail(Errc::untrusted, trust, "no timestamp authority to verify against");
    }
    // Last, as notation-go: a token that is not authentic says so before saying what it covers.
    if (token.imprint_algorithm == "sha1") {
        return fail(Errc::signature_invalid, trust, "a SHA-1 message imprint is not accepted");
    }
    auto imprint = timestamp_detail::hash_bytes(token.imprint_algorithm, signed_bytes);
    if (!imprint || *imprint != token.imprint) {
        return fail(Errc::signature_invalid, trust,
                    "the message imprint is not the " + token.imprint_algorithm + " of the signature bytes");
    }
    VerifiedTimestamp out;
    out.time = token.gen_time;
    out.accuracy_micros = token.accuracy_micros;
    out.authority = trust.name;
    out.tsa_subject = signer->subject_text;
    return out;
}

}  // namespace edgeverify
