// The certificate authorities of a Sigstore trusted_root.json (FORMATS.md B.3): Fulcio CAs
// (`certificateAuthorities`) and timestamp authorities (`timestampAuthorities`), each a chain
// (intermediates first, trust anchor last) with its validFor window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {

struct CertificateAuthority {
    std::string origin;                       // "<where> certificateAuthorities[i]"
    std::string uri;
    std::vector<Certificate> chain;           // intermediates first, the trust anchor last
    std::int64_t valid_from = 0;              // unix seconds, inclusive
    std::optional<std::int64_t> valid_until;  // inclusive; absent = still valid

    bool valid_at(std::int64_t time) const {
        return time >= valid_from && (!valid_until || time <= *valid_until);
    }
};

// The list `member` ("certificateAuthorities" or "timestampAuthorities") of a trusted root.
// Each needs a non-empty certChain of DER certificates and validFor.start; members outside the
// proto's (subject, uri, certChain, validFor, operator) are refused. Anything wrong -> Errc::config naming
// `where` and the JSON path (a trust root is configuration: never skipped). An absent list is
// empty. The document itself is checked by parse_trusted_root_tlogs.
Expected<std::vector<CertificateAuthority>> parse_trusted_root_authorities(std::string_view json,
                                                                           std::string_view where,
                                                                           std::string_view member);

}  // namespace edgeverify
