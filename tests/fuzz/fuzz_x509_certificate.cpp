// Fuzz target: X.509 certificates (x509.hpp): DER and PEM parsing, then what the checks read from
// a parsed certificate: the Fulcio identity extensions, the key, the leaf rules, its own signature.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/x509.hpp"

namespace {

void read_certificate(const edgeverify::Certificate& cert) {
    (void)edgeverify::certificate_san(cert);
    (void)edgeverify::certificate_oidc_issuer(cert);
    (void)edgeverify::has_code_signing_eku(cert);
    (void)edgeverify::certificate_public_key(cert, "fuzz.crt");
    (void)edgeverify::check_leaf_requirements(cert, edgeverify::LeafPurpose::code_signing);
    (void)edgeverify::check_leaf_requirements(cert, edgeverify::LeafPurpose::timestamping);
    (void)edgeverify::verify_certificate_signature(cert, cert);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto cert = edgeverify::parse_certificate_der(bytes, "fuzz.der")) read_certificate(*cert);
    if (auto certs = edgeverify::parse_certificates_file(bytes, "fuzz.pem")) {
        for (const auto& cert : *certs) read_certificate(cert);
    }
    return 0;
}
