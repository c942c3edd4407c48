// Fuzz target: the Notation JWS envelope (flattened JSON, FORMATS.md C.3; notation.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/notation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)edgeverify::parse_jws_envelope(bytes, "fuzz.jws.sig");
    // Its RFC 3339 time parser on the raw input as well (signingTime, expiry).
    (void)edgeverify::parse_rfc3339(bytes);
    return 0;
}
