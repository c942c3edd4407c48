// Fuzz target: Rekor checkpoints, C2SP signed notes (tlog_proof.hpp parse_checkpoint).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/tlog_proof.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)edgeverify::parse_checkpoint(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz checkpoint");
    return 0;
}
