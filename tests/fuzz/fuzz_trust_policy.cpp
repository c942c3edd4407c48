// Fuzz target: policy.json (trust_policy.hpp parse_trust_policy), and image references as
// policies and signatures name them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/trust_policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto policy = edgeverify::parse_trust_policy(text, "policy.json");
    if (size <= 512) {
        if (auto reference = edgeverify::parse_image_reference(text); reference && policy) {
            (void)edgeverify::select_scope(*policy, *reference);
        }
    }
    return 0;
}
