// What the storage keeps of a report is read from real statements made by the agent's own
// builders (make_verification_statement, make_device_report_statement), and a statement that is
// not a report is refused naming the field.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>

#include "edgeverify/report.hpp"
#include "server/report_record.hpp"

using namespace edgeverify;
using namespace edgeverify::server;

namespace {

struct Identity {
    Identity() {
        char pattern[] = "/tmp/edgeverify-record-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        auto made = init_device_identity(StateDirectory{base + "/state"});
        REQUIRE(made);
        device = std::move(*made);
    }
    ~Identity() {
        std::error_code ignored;
        std::filesystem::remove_all(base, ignored);
    }
    std::string base;
    DeviceIdentity device;
};

Digest digest(char c) {
    return *Digest::parse("sha256:" + std::string(64, c));
}

}  // namespace

TEST_CASE("report record: a verification statement gives device, sequence, subject, result, admitted, time") {
    Identity id;
    VerificationRecord v;
    v.reference = "registry.example/app:1.0";
    v.manifest_digest = digest('a');
    v.admitted = true;
    v.passed = false;
    v.trust_store_digest = digest('b').str();
    v.policy_uri = "file:///etc/edgeverify/trust/policy.json";
    v.time_verified = "2026-11-28T01:50:00Z";
    auto statement = make_verification_statement(id.device, 17, v);
    auto record = report_record_from_statement("{envelope}", statement);
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    CHECK(record->device_id == id.device.device_id);
    CHECK(record->sequence == 17);
    CHECK(record->envelope == "{envelope}");
    CHECK(record->predicate_type == kVerificationSummaryPredicate);
    CHECK(record->subject_name == "registry.example/app:1.0");
    CHECK(record->subject_digest == digest('a').str());
    CHECK(record->verification_result == "FAILED");
    CHECK(record->admitted == true);
    CHECK(record->time == 1795830600);
}

TEST_CASE("report record: a device report gives its images and alarms") {
    Identity id;
    DeviceReport r;
    r.agent_version = "0.1.0";
    r.trust_store_digest = digest('b').str();
    r.boot_id = "0b5c1c5e-7f3a-4f53-9a8e-1d2c3b4a5f60";
    r.time = "2026-11-28T02:00:00Z";
    r.images = {
        {"registry.example/app:1.0", digest('a'), "admitted", "2026-11-28T01:50:00Z", digest('b').str()},
        {"docker.io/library/busybox:latest", digest('e'), "not-admitted", "", ""}};
    r.alarms = {{"image-not-admitted", "containerd holds an image the agent never admitted", digest('e')},
                {"report-refused", "report 12 was refused", std::nullopt}};
    auto record = report_record_from_statement("{}", make_device_report_statement(id.device, 99, r));
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    CHECK(record->sequence == 99);
    CHECK(record->predicate_type == kDeviceReportPredicate);
    CHECK(record->subject_name == id.device.device_id);
    CHECK(record->verification_result.empty());
    CHECK_FALSE(record->admitted);
    REQUIRE(record->images.size() == 2);
    CHECK(record->images[1].verdict == "not-admitted");
    CHECK(record->images[1].digest == digest('e').str());
    REQUIRE(record->alarms.size() == 2);
    CHECK(record->alarms[0].digest == digest('e').str());
    CHECK(record->alarms[1].digest.empty());
    CHECK(record->time == 1795831200);
}

TEST_CASE("report record: statements that are not reports are refused naming the field") {
    struct Case {
        const char* statement;
        Errc code;
        const char* fragment;
    };
    const Case cases[] = {
        {"not json", Errc::json_malformed, ""},
        {R"({"_type":"x"})", Errc::schema_violation, "_type must be"},
        {R"({"_type":"https://in-toto.io/Statement/v1","subject":[]})", Errc::schema_violation,
         "subject must be"},
        {R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"n","digest":{}}],"predicateType":"p","predicate":{}})",
         Errc::schema_violation, "subject[0].digest.sha256"},
        {R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"n","digest":{"sha256":"ab"}}],"predicateType":"https://example.com/other","predicate":{}})",
         Errc::schema_violation, "is not a report"},
        {R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"n","digest":{"sha256":"ab"}}],"predicateType":"https://edgeverify.dev/device-report/v1","predicate":{"deviceId":"d","sequence":0,"time":"2026-11-28T02:00:00Z","images":[],"alarms":[]}})",
         Errc::schema_violation, "sequence must be"},
        {R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"n","digest":{"sha256":"ab"}}],"predicateType":"https://edgeverify.dev/device-report/v1","predicate":{"deviceId":"d","sequence":1,"time":"yesterday","images":[],"alarms":[]}})",
         Errc::schema_violation, "predicate time must be an RFC 3339"},
        {R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"n","digest":{"sha256":"ab"}}],"predicateType":"https://edgeverify.dev/device-report/v1","predicate":{"deviceId":"d","sequence":1,"time":"2026-11-28T02:00:00Z","images":[{"reference":"r"}],"alarms":[]}})",
         Errc::schema_violation, "images[].digest"},
        {R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"n","digest":{"sha256":"ab"}}],"predicateType":"https://slsa.dev/verification_summary/v1","predicate":{"verificationResult":"PASSED"}})",
         Errc::schema_violation, "report-context is missing"},
    };
    for (const auto& c : cases) {
        INFO(c.statement);
        auto record = report_record_from_statement("{}", c.statement);
        REQUIRE_FALSE(record);
        CHECK(record.error().code == c.code);
        CHECK(record.error().message.find(c.fragment) != std::string::npos);
    }
}

TEST_CASE("report record: RFC 3339 UTC times, strictly") {
    CHECK(*parse_rfc3339_utc("1970-01-01T00:00:00Z", "t") == 0);
    CHECK(*parse_rfc3339_utc("2026-11-28T01:50:00.123456Z", "t") == 1795830600);
    for (const char* bad :
         {"2026-11-28T01:50:00", "2026-11-28 01:50:00Z", "2026-13-28T01:50:00Z", "2026-11-28T01:50:00+02:00",
          "2026-11-28T01:50:00.Z", "", "2026-11-28T01:50:00ZZ"}) {
        INFO(bad);
        auto parsed = parse_rfc3339_utc(bad, "timeVerified");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().message.find("timeVerified must be an RFC 3339") != std::string::npos);
    }
}
