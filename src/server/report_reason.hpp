// Why a verification failed or its image was not admitted, in one line for the operator: read
// from the statement's check detail (report.hpp kCheckDetailExtension) at ingest and stored with
// the report, so lists never re-read envelopes.
#pragma once

#include <string>

#include "edgeverify/json.hpp"

namespace edgeverify::server {

// The first failing check, in the order the device runs them: "integrity", "trust", each of
// "rules" (outcome "fail" or "audit-fail": "rule <name>: <evidence>"), then "install" (not
// installed). A check object fails when its "passed" is false; its message is "message" (or
// "<check> failed" when it has none). Empty when nothing failed or `checks` is not an object.
// Cut at kMaxReportReasonBytes on a UTF-8 boundary.
std::string first_failing_check(const Json& checks);

}  // namespace edgeverify::server
