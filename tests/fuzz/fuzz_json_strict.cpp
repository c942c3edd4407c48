// Fuzz target: the strict JSON parser every hostile document goes through (json.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)edgeverify::parse_json_strict(text, "fuzz.json");
    // Tight limits too, so the depth and size refusals are reached from small inputs.
    (void)edgeverify::parse_json_strict(text, "fuzz.json", edgeverify::JsonLimits{256, 4});
    return 0;
}
