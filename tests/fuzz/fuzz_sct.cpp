// Fuzz target: embedded SCT lists (sct.hpp parse_sct_list, the extnValue of
// 1.3.6.1.4.1.11129.2.4.2) and, for inputs that are certificates, the precertificate TBS rebuilt
// from them (precert_tbs_certificate).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/sct.hpp"
#include "edgeverify/x509.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)edgeverify::parse_sct_list(bytes, "fuzz SCT list");
    if (auto cert = edgeverify::parse_certificate_der(bytes, "fuzz.der")) {
        if (const auto* extension = cert->extension(edgeverify::kSctListOid)) {
            (void)edgeverify::parse_sct_list(extension->value, "fuzz.der SCT list");
        }
        (void)edgeverify::precert_tbs_certificate(*cert, "fuzz.der");
    }
    return 0;
}
