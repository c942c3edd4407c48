// Fuzz target: the strict CBOR decoder under COSE_Sign1 (src/core/notation/cbor.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "notation/cbor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)edgeverify::cbor::decode(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.cbor");
    return 0;
}
