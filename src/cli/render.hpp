// Renders an integrity report for people (text) and for scripts (--json, docs/json-output.md).
#pragma once

#include <cstdio>
#include <string>

#include "edgeverify/integrity.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/trust_decision.hpp"

namespace edgeverify::cli {

struct RenderContext {
    std::string source_argument;
    bool integrity_only = true;
    std::string trust_directory;  // full verification only
    std::string trust_digest;
};

// Stable JSON document (schemaVersion 1) of a finished verification.
// `decisions`: one per image in full verification, null with --integrity-only.
Json report_to_json(const IntegrityReport& report, const RenderContext& context,
                    const std::vector<TrustDecision>* decisions = nullptr);
// Stable JSON document for a verification that could not run (usage, I/O).
Json failure_to_json(const Error& error, const RenderContext& context);

void print_human_report(std::FILE* out, const IntegrityReport& report, const RenderContext& context,
                        const std::vector<TrustDecision>* decisions = nullptr);

// Whether every image passed integrity and, when decisions are given, the policy admits it.
bool all_admitted(const IntegrityReport& report, const std::vector<TrustDecision>* decisions);

// "1.2 MB" (decimal units, as throughput is quoted in MB/s).
std::string human_bytes(std::uint64_t bytes);

}  // namespace edgeverify::cli
