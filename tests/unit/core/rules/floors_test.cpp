// The device's floors in the state directory: the time floor and the anti-rollback floors,
// persisted atomically, surviving a restart (a fresh read), corrupt files refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

struct TempState {
    StateDirectory state;
    TempState() {
        char pattern[] = "/tmp/edgeverify-floors-XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        state.root = pattern;
    }
    ~TempState() { std::filesystem::remove_all(state.root); }
    void write(const std::string& name, const std::string& text) const { std::ofstream(state.root + "/" + name) << text; }
};

ImageFacts facts_with(const std::string& version, const std::string& created, const std::string& digest) {
    ImageFacts f;
    f.version = version;
    f.created = created;
    f.manifest_digest = digest;
    return f;
}

}  // namespace

TEST_SUITE("rules floors") {
    TEST_CASE("time floor: absent, raised, never lowered, read back") {
        TempState t;
        auto none = read_time_floor(t.state);
        REQUIRE(none);
        CHECK_FALSE(*none);
        REQUIRE(raise_time_floor(t.state, 2000000000));
        REQUIRE(raise_time_floor(t.state, 1000000000));  // older: ignored
        auto floor = read_time_floor(t.state);
        REQUIRE(floor);
        CHECK(*floor == 2000000000);
    }

    TEST_CASE("time floor: a corrupt file is a config error, not 'no floor'") {
        TempState t;
        t.write("time_floor", "yesterday\n");
        auto floor = read_time_floor(t.state);
        REQUIRE_FALSE(floor);
        CHECK(floor.error().code == Errc::config);
        CHECK(floor.error().message.find("/time_floor: not an RFC 3339 time") != std::string::npos);
    }

    TEST_CASE("rollback floors: raised only upwards, per repository, and survive a re-read") {
        TempState t;
        REQUIRE(raise_rollback_floor(t.state, "r.io/app", facts_with("1.2.0", "2026-01-01T00:00:00Z", "sha256:a"), "T1"));
        REQUIRE(raise_rollback_floor(t.state, "r.io/app", facts_with("1.1.0", "2026-02-01T00:00:00Z", "sha256:b"), "T2"));
        REQUIRE(raise_rollback_floor(t.state, "r.io/other", facts_with("", "2026-03-01T00:00:00Z", "sha256:c"), "T3"));
        auto floors = read_rollback_floors(t.state);  // a restart reads the file again
        REQUIRE(floors);
        CHECK((*floors)["floors"]["r.io/app"]["version"] == "1.2.0");
        CHECK((*floors)["floors"]["r.io/app"]["digest"] == "sha256:a");
        CHECK((*floors)["floors"]["r.io/other"]["created"] == "2026-03-01T00:00:00Z");
        REQUIRE(raise_rollback_floor(t.state, "r.io/app", facts_with("1.3.0-rc.1", "", "sha256:d"), "T4"));
        floors = read_rollback_floors(t.state);
        CHECK((*floors)["floors"]["r.io/app"]["version"] == "1.3.0-rc.1");
    }

    TEST_CASE("lowering a floor: audited first, only downwards, removal without --to") {
        TempState t;
        REQUIRE(raise_rollback_floor(t.state, "r.io/app", facts_with("2.0.0", "", "sha256:a"), "T1"));
        auto up = lower_rollback_floor(t.state, "r.io/app", std::string("2.1.0"), "why");
        REQUIRE_FALSE(up);
        CHECK(up.error().code == Errc::usage);
        CHECK(up.error().message == "--to 2.1.0 is not below the floor 2.0.0: floors are only raised by installs");
        auto no_reason = lower_rollback_floor(t.state, "r.io/app", std::nullopt, "");
        REQUIRE_FALSE(no_reason);
        CHECK(no_reason.error().code == Errc::usage);
        auto missing = lower_rollback_floor(t.state, "r.io/none", std::nullopt, "why");
        REQUIRE_FALSE(missing);
        CHECK(missing.error().message == "no rollback floor for r.io/none");
        CHECK_FALSE(std::filesystem::exists(floor_audit_path(t.state)));  // nothing done, nothing audited

        REQUIRE(lower_rollback_floor(t.state, "r.io/app", std::string("1.9.0"), "bad 2.0.0 release"));
        auto floors = read_rollback_floors(t.state);
        CHECK((*floors)["floors"]["r.io/app"]["version"] == "1.9.0");
        REQUIRE(lower_rollback_floor(t.state, "r.io/app", std::nullopt, "decommissioned"));
        floors = read_rollback_floors(t.state);
        CHECK_FALSE((*floors)["floors"].contains("r.io/app"));
        std::ifstream audit(floor_audit_path(t.state));
        std::string first, second, third;
        std::getline(audit, first);
        std::getline(audit, second);
        CHECK_FALSE(std::getline(audit, third));
        auto one = parse_json_strict(first, "audit");
        REQUIRE(one);
        CHECK((*one)["repository"] == "r.io/app");
        CHECK((*one)["from"]["version"] == "2.0.0");
        CHECK((*one)["to"]["version"] == "1.9.0");
        CHECK((*one)["reason"] == "bad 2.0.0 release");
        auto two = parse_json_strict(second, "audit");
        REQUIRE(two);
        CHECK((*two)["to"].is_null());
    }

    TEST_CASE("rollback floors: a corrupt floors.json is refused") {
        TempState t;
        t.write("floors.json", R"({"version":1,"floors":[]})");
        auto floors = read_rollback_floors(t.state);
        REQUIRE_FALSE(floors);
        CHECK(floors.error().code == Errc::config);
        CHECK(floors.error().message.find("expected {\"version\": 1, \"floors\": {...}}") != std::string::npos);
    }

    TEST_CASE("floor audit: each lowering is unreported until a report carried it") {
        TempState t;
        auto empty = unreported_floor_audit(t.state);
        REQUIRE(empty);
        CHECK(empty->records.empty());
        CHECK(empty->end_offset == 0);

        REQUIRE(raise_rollback_floor(t.state, "r.io/app", facts_with("2.0.0", "", "sha256:a"), "T1"));
        REQUIRE(lower_rollback_floor(t.state, "r.io/app", std::string("1.9.0"), "bad 2.0.0 release"));
        REQUIRE(lower_rollback_floor(t.state, "r.io/app", std::nullopt, "decommissioned"));
        auto two = unreported_floor_audit(t.state);
        REQUIRE(two);
        REQUIRE(two->records.size() == 2);
        CHECK(two->records[0]["reason"] == "bad 2.0.0 release");
        CHECK(two->records[1]["reason"] == "decommissioned");
        CHECK(two->end_offset == std::filesystem::file_size(floor_audit_path(t.state)));

        REQUIRE(mark_floor_audit_reported(t.state, two->end_offset));
        auto none = unreported_floor_audit(t.state);  // a fresh read, as after a restart
        REQUIRE(none);
        CHECK(none->records.empty());
        CHECK(none->end_offset == two->end_offset);

        REQUIRE(raise_rollback_floor(t.state, "r.io/app", facts_with("3.0.0", "", "sha256:b"), "T2"));
        REQUIRE(lower_rollback_floor(t.state, "r.io/app", std::string("2.5.0"), "third"));
        auto one = unreported_floor_audit(t.state);
        REQUIRE(one);
        REQUIRE(one->records.size() == 1);
        CHECK(one->records[0]["to"]["version"] == "2.5.0");
    }

    TEST_CASE("floor audit: a half-written last line waits, a corrupt line is refused with its number") {
        TempState t;
        t.write("floor_audit.jsonl", "{\"reason\":\"a\"}\n{\"reason\":");
        auto partial = unreported_floor_audit(t.state);
        REQUIRE(partial);
        REQUIRE(partial->records.size() == 1);
        CHECK(partial->end_offset == 15);

        t.write("floor_audit.jsonl", "{\"reason\":\"a\"}\nnot json\n");
        auto corrupt = unreported_floor_audit(t.state);
        REQUIRE_FALSE(corrupt);
        CHECK(corrupt.error().code == Errc::config);
        CHECK(corrupt.error().message == floor_audit_path(t.state) + " line 2: not a JSON object (the audit file is corrupt)");

        t.write("floor_audit.reported", "12x\n");
        auto bad_offset = unreported_floor_audit(t.state);
        REQUIRE_FALSE(bad_offset);
        CHECK(bad_offset.error().message == t.state.root + "/floor_audit.reported: not a byte offset");
    }
}

}  // namespace edgeverify
