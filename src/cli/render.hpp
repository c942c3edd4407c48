// Renders an integrity report for people (text) and for scripts (--json, docs/json-output.md).
#pragma once

#include <cstdio>
#include <string>

#include "edgeverify/integrity.hpp"
#include "edgeverify/json.hpp"

namespace edgeverify::cli {

struct RenderContext {
    std::string source_argument;
    bool integrity_only = true;
};

// Stable JSON document (schemaVersion 1) of a finished verification.
Json report_to_json(const IntegrityReport& report, const RenderContext& context);
// Stable JSON document for a verification that could not run (usage, I/O).
Json failure_to_json(const Error& error, const RenderContext& context);

void print_human_report(std::FILE* out, const IntegrityReport& report, const RenderContext& context);

// "1.2 MB" (decimal units, as throughput is quoted in MB/s).
std::string human_bytes(std::uint64_t bytes);

}  // namespace edgeverify::cli
