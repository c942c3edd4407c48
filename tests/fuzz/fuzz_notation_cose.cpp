// Fuzz target: the Notation COSE_Sign1 envelope (CBOR tag 18, FORMATS.md C.4; notation.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/notation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)edgeverify::parse_notation_envelope(bytes, edgeverify::kNotationCoseMediaType, "fuzz.cose.sig");
    return 0;
}
