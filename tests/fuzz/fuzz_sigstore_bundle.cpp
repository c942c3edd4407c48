// Fuzz target: Sigstore bundles v0.1-v0.3 (proto3 JSON; sigstore_bundle.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/sigstore_bundle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)edgeverify::parse_sigstore_bundle(std::string_view(reinterpret_cast<const char*>(data), size),
                                            "fuzz.sigstore.json");
    return 0;
}
