// Fuzz target: sigstore/trusted_root.json: its transparency logs (rekor.hpp), CT logs (sct.hpp)
// and its Fulcio and timestamp authorities (certificate_authorities.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/sct.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    (void)edgeverify::parse_trusted_root_tlogs(json, "trusted_root.json");
    (void)edgeverify::parse_trusted_root_ctlogs(json, "trusted_root.json");
    (void)edgeverify::parse_trusted_root_authorities(json, "trusted_root.json", "certificateAuthorities");
    (void)edgeverify::parse_trusted_root_authorities(json, "trusted_root.json", "timestampAuthorities");
    return 0;
}
