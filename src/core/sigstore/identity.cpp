// Fulcio signer identity against a `sigstore` signer (sigstore_identity.hpp).
#include <regex>
#include <string>

#include "edgeverify/sigstore_identity.hpp"

namespace edgeverify {
namespace {

Status match(std::string_view what, const std::string& value, const std::string& exact, const std::string& pattern) {
    if (value.empty()) return make_error(Errc::untrusted, "the certificate has no " + std::string(what));
    if (!pattern.empty()) {
        try {
            if (std::regex_search(value, std::regex(pattern, std::regex::ECMAScript))) return {};
        } catch (const std::regex_error&) {
            return make_error(Errc::config, std::string(what) + " regular expression does not compile: " + pattern);
        }
        return make_error(Errc::untrusted,
                          "certificate " + std::string(what) + " " + value + " does not match /" + pattern + "/");
    }
    if (value == exact) return {};
    return make_error(Errc::untrusted, "certificate " + std::string(what) + " " + value + " is not " + exact);
}

}  // namespace

Status check_sigstore_identity(const SigstoreSigner& signer, const Certificate& leaf) {
    if (auto san = match("identity (SAN)", certificate_san(leaf), signer.identity, signer.identity_regexp); !san)
        return san;
    return match("OIDC issuer", certificate_oidc_issuer(leaf), signer.issuer, signer.issuer_regexp);
}

}  // namespace edgeverify
