// The device report's alarms for rollback-floor lowerings (device_reporter.hpp): every lowering
// appears once, in the report that follows it, with what, when and why.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "agent/device_reporter.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify::agent {

TEST_SUITE("agent device reporter") {
    TEST_CASE("floor lowerings become rollback-floor-lowered alarms until marked reported") {
        char pattern[] = "/tmp/edgeverify-reporter-XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        StateDirectory state{pattern};
        ImageFacts facts;
        facts.version = "2.0.0";
        facts.manifest_digest = "sha256:a";
        REQUIRE(raise_rollback_floor(state, "r.io/app", facts, "T1"));
        REQUIRE(lower_rollback_floor(state, "r.io/app", std::string("1.9.0"), "bad 2.0.0 release"));
        REQUIRE(lower_rollback_floor(state, "r.io/app", std::nullopt, "decommissioned"));

        FloorAuditAlarms audit = floor_audit_alarms(state);
        REQUIRE(audit.alarms.size() == 2);
        REQUIRE(audit.end_offset);
        CHECK(audit.alarms[0].kind == "rollback-floor-lowered");
        CHECK_FALSE(audit.alarms[0].digest);
        const std::string first = audit.alarms[0].message;
        CHECK(first.rfind("rollback floor of r.io/app lowered from 2.0.0 to 1.9.0 at ", 0) == 0);
        CHECK(first.substr(first.size() - 19) == ": bad 2.0.0 release");
        const std::string second = audit.alarms[1].message;
        CHECK(second.rfind("rollback floor of r.io/app lowered from 1.9.0 to removed at ", 0) == 0);
        CHECK(second.substr(second.size() - 16) == ": decommissioned");

        REQUIRE(mark_floor_audit_reported(state, *audit.end_offset));
        CHECK(floor_audit_alarms(state).alarms.empty());

        std::ofstream(floor_audit_path(state), std::ios::app) << "garbage\n";
        FloorAuditAlarms broken = floor_audit_alarms(state);
        REQUIRE(broken.alarms.size() == 1);
        CHECK(broken.alarms[0].kind == "floor-audit-unreadable");
        CHECK_FALSE(broken.end_offset);
        std::filesystem::remove_all(pattern);
    }
}

}  // namespace edgeverify::agent
