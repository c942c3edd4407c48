// The case kinds the conformance runner understands, one function per kind.
#pragma once

#include <filesystem>
#include <string>

#include "edgeverify/json.hpp"

namespace edgeverify::conformance {

struct CaseOutcome {
    bool passed = false;
    std::string reason;  // why it failed
};

// Runs one case object of a cases.json whose paths are relative to `base`.
CaseOutcome run_case(const Json& c, const std::filesystem::path& base);

}  // namespace edgeverify::conformance
