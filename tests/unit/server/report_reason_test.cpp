// The stored reason of a failed or not-admitted verification (src/server/report_reason.cpp), from
// check detail shaped as the agent writes it (src/cli/install_record.cpp, rules_to_json).
#include <doctest/doctest.h>

#include "edgeverify/limits.hpp"
#include "server/report_reason.hpp"

using edgeverify::Json;
using edgeverify::server::first_failing_check;

TEST_CASE("report reason: the first failing check in the order the device runs them") {
    Json checks = {{"integrity", {{"passed", true}}},
                   {"trust", {{"passed", true}, {"satisfiedSigners", 1}}},
                   {"rules", Json::array({{{"rule", "registries"}, {"outcome", "pass"}, {"evidence", "ok"}},
                                          {{"rule", "maxAge"}, {"outcome", "fail"}, {"evidence", "built 400 days ago"}},
                                          {{"rule", "trustedBases"}, {"outcome", "fail"}, {"evidence", "no base"}}})},
                   {"install", {{"installed", false}, {"message", "refused"}}}};
    CHECK(first_failing_check(checks) == "rule maxAge: built 400 days ago");
    checks["trust"] = {{"passed", false}, {"error", "untrusted"}, {"message", "no signature from a trusted signer"}};
    CHECK(first_failing_check(checks) == "no signature from a trusted signer");
    checks["integrity"] = {{"passed", false}, {"message", "layer 2 digest mismatch"}};
    CHECK(first_failing_check(checks) == "layer 2 digest mismatch");
    checks["integrity"] = {{"passed", false}};
    CHECK(first_failing_check(checks) == "integrity failed");
}

TEST_CASE("report reason: audit failures, a refused install, nothing failed, and odd detail") {
    CHECK(first_failing_check({{"rules", Json::array({{{"rule", "registries"}, {"outcome", "audit-fail"}, {"evidence", "docker.io"}}})}}) ==
          "rule registries: docker.io");
    CHECK(first_failing_check({{"integrity", {{"passed", true}}}, {"install", {{"installed", false}, {"message", "ctr import failed"}}}}) ==
          "ctr import failed");
    CHECK(first_failing_check({{"install", {{"installed", false}}}}) == "not installed");
    CHECK(first_failing_check({{"integrity", {{"passed", true}}}, {"install", {{"installed", true}}}}).empty());
    CHECK(first_failing_check(Json::array()).empty());
    CHECK(first_failing_check({{"integrity", "broken"}, {"trust", {{"passed", "no"}}}}).empty());
}

TEST_CASE("report reason: a long message is cut at a UTF-8 boundary within kMaxReportReasonBytes") {
    std::string message;
    while (message.size() < edgeverify::limits::kMaxReportReasonBytes + 10) message += "\xC3\xBC";  // ü
    const auto reason = first_failing_check({{"integrity", {{"passed", false}, {"message", "x" + message}}}});
    CHECK(reason.size() == edgeverify::limits::kMaxReportReasonBytes - 1);  // "x" + whole ü pairs
    CHECK(reason.starts_with("x\xC3\xBC"));
    CHECK(reason.ends_with("\xC3\xBC"));
}
