// The wall clock as text, UTC, in the two forms the project writes: RFC 3339 for documents
// (verdicts, reports, manifest annotations) and a compact stamp for file names.
#pragma once

#include <string>

namespace edgeverify {

std::string rfc3339_utc_now();  // "2026-11-28T01:50:00Z" (seconds precision)
std::string compact_utc_now();  // "20261128T015000Z"

}  // namespace edgeverify
