// The signer identity of a Fulcio certificate against a scope's `sigstore` signer (FORMATS.md
// B.4 step 8): SAN and OIDC issuer, each exact or a regex with search semantics.
#pragma once

#include "edgeverify/error.hpp"
#include "edgeverify/trust_policy.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {

// Both criteria are mandatory. The SAN is certificate_san() (URI, else email, else Fulcio
// username), the issuer certificate_oidc_issuer(). `identity`/`issuer` compare whole strings;
// `identityRegExp`/`issuerRegExp` are ECMAScript regexes matched with std::regex_search, like Go's
// unanchored regexp.MatchString: "^...$" is needed to match the whole value. A certificate
// without a SAN or issuer, or a mismatch -> Errc::untrusted naming the value found and the
// criterion; a regex that does not compile -> Errc::config.
Status check_sigstore_identity(const SigstoreSigner& signer, const Certificate& leaf);

}  // namespace edgeverify
