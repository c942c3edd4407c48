// The RFC 3161 timestamps of a Sigstore bundle (FORMATS.md B.4 step 3): each signedTimestamp
// verified against the trusted root's timestampAuthorities over the raw signature bytes.
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/timestamp.hpp"

namespace edgeverify {

Expected<BundleTimestamps> verify_bundle_timestamps(const SigstoreBundle& bundle,
                                                    const std::vector<CertificateAuthority>& authorities,
                                                    std::string_view where) {
    BundleTimestamps out;
    const std::vector<std::string>& tokens = bundle.rfc3161_signed_timestamps;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        for (std::size_t j = i + 1; j < tokens.size(); ++j) {
            if (tokens[i] == tokens[j]) {
                return make_error(Errc::signature_invalid,
                                  std::string(where) + ": rfc3161Timestamps[" + std::to_string(i) +
                                      "] and [" + std::to_string(j) + "] are the same timestamp");
            }
        }
    }
    const std::string_view signature = bundle.dsse ? std::string_view(bundle.dsse->signature)
                                       : bundle.message_signature
                                           ? std::string_view(bundle.message_signature->signature)
                                           : std::string_view();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string what = "rfc3161Timestamps[" + std::to_string(i) + "]";
        auto token = parse_timestamp_token(tokens[i], std::string(where) + " " + what);
        if (!token) {
            out.failures.push_back(what + ": " + token.error().message);
            continue;
        }
        if (authorities.empty()) {
            out.failures.push_back(what + ": the trusted root has no timestampAuthorities");
            continue;
        }
        std::string why;
        bool verified = false;
        for (const CertificateAuthority& authority : authorities) {
            TimestampTrust trust;
            trust.name = authority.origin;
            trust.authority = &authority;
            auto result = verify_timestamp_token(*token, signature, trust);
            if (result) {
                out.verified.push_back(std::move(*result));
                verified = true;
                break;
            }
            why += (why.empty() ? "" : "; ") + result.error().message;
        }
        if (!verified) out.failures.push_back(what + ": " + why);
    }
    return out;
}

}  // namespace edgeverify
