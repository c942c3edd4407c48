// Private: the certificate extensions read from DER (x509_extensions.cpp) for x509_certificate.cpp,
// which parses the rest of the certificate with mbedTLS.
#pragma once

#include <string_view>

#include "edgeverify/error.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify::crypto {

// `extensions` is the contents of the TBS's [3] EXPLICIT field (one SEQUENCE OF Extension), empty
// when the certificate has none. Fills out.extensions and the flags mbedTLS 2.28 does not keep:
// the criticality of basicConstraints, keyUsage and extendedKeyUsage, and whether the certificate
// names a revocation source. Not DER, or an OID twice -> Errc::key_malformed naming `where`.
Status read_certificate_extensions(std::string_view extensions, Certificate& out, std::string_view where);

}  // namespace edgeverify::crypto
