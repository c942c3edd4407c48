// Report ingest (src/server/ingest.*) against SQLite in a temporary directory, with envelopes
// signed by real device keys: every per-item code of docs/reports.md "Upload protocol".
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>

#include "edgeverify/report.hpp"
#include "server/enrollment.hpp"
#include "server/ingest.hpp"
#include "server/sql_connection.hpp"

using namespace edgeverify;
using namespace edgeverify::server;

namespace {

constexpr UnixSeconds kNow = 1795824000;  // 2026-11-28T00:00:00Z

struct Fixture {
    Fixture() {
        char pattern[] = "/tmp/edgeverify-ingest-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        auto opened = Storage::open("sqlite:" + base + "/fleet.db");
        REQUIRE(opened);
        storage = std::move(*opened);
    }
    ~Fixture() {
        storage.reset();
        std::error_code ignored;
        std::filesystem::remove_all(base, ignored);
    }
    DeviceIdentity identity(const std::string& name) {
        auto made = init_device_identity(StateDirectory{base + "/" + name});
        REQUIRE(made);
        return std::move(*made);
    }
    void enroll(const DeviceIdentity& device) {
        auto d = new_device_from_public_key(device.public_key_pem, {});
        REQUIRE(d);
        REQUIRE(storage->enroll_device(*d, kNow));
    }
    std::vector<IngestItemResult> ingest(std::string_view body) {
        auto outcome = ingest_reports(body, *storage, kNow);
        REQUIRE_MESSAGE(outcome, (outcome ? "" : outcome.error().message));
        return outcome->results;
    }
    std::string base;
    std::unique_ptr<Storage> storage;
};

// A signed device report of `device` with `sequence`; `boot` varies the content.
std::string report(const DeviceIdentity& device, std::uint64_t sequence, const std::string& boot = "boot-1") {
    DeviceReport r;
    r.agent_version = "test";
    r.trust_store_digest = "sha256:" + std::string(64, 'b');
    r.boot_id = boot;
    r.time = "2026-11-28T00:00:00Z";
    auto envelope = sign_dsse_envelope(device, kInTotoPayloadType, make_device_report_statement(device, sequence, r));
    REQUIRE(envelope);
    return *envelope;
}

void check_item(const IngestItemResult& item, int status, const std::string& code, const std::string& message = "") {
    CHECK(item.status == status);
    CHECK(item.code == code);
    CHECK(item.message == message);
}

}  // namespace

TEST_CASE("ingest: a new report is stored (201), the same bytes again are a duplicate (200)") {
    Fixture f;
    auto device = f.identity("a");
    f.enroll(device);
    const std::string envelope = report(device, 1);
    auto first = f.ingest(envelope);
    REQUIRE(first.size() == 1);
    check_item(first[0], 201, "stored");
    CHECK(first[0].device_id == device.device_id);
    CHECK(first[0].sequence == 1);
    auto again = f.ingest("[" + envelope + "]");
    REQUIRE(again.size() == 1);
    check_item(again[0], 200, "duplicate");
    auto stored = f.storage->get_report_envelope(1);
    REQUIRE(stored);
    CHECK(*stored == envelope);  // the bytes as sent, kept for re-verification
}

TEST_CASE("ingest: an array gets one result per item, in order, each with its own code") {
    Fixture f;
    auto device = f.identity("a");
    auto stranger = f.identity("b");
    f.enroll(device);
    auto results = f.ingest("[\n" + report(device, 1) + " ,\n" + report(stranger, 1) + ",{\"x\":1}," +
                            report(device, 2) + "]");
    REQUIRE(results.size() == 4);
    check_item(results[0], 201, "stored");
    check_item(results[1], 404, "device-unknown", "no device " + stranger.device_id + " is enrolled");
    check_item(results[2], 400, "malformed", "report envelope: payloadType must be \"application/vnd.in-toto+json\"");
    check_item(results[3], 201, "stored");
    CHECK(results[3].sequence == 2);
}

TEST_CASE("ingest: the same sequence with other content is a replay conflict (409)") {
    Fixture f;
    auto device = f.identity("a");
    f.enroll(device);
    check_item(f.ingest(report(device, 5, "boot-1"))[0], 201, "stored");
    check_item(f.ingest(report(device, 5, "boot-2"))[0], 409, "replay-conflict",
               "sequence 5 was stored with other content");
    auto conflicts = f.storage->get_conflicts(device.device_id, 5);
    REQUIRE(conflicts);
    CHECK(conflicts->size() == 1);
}

TEST_CASE("ingest: a tampered envelope or another device's signature is signature-invalid (422)") {
    Fixture f;
    auto device = f.identity("a");
    auto other = f.identity("b");
    f.enroll(device);
    f.enroll(other);
    // The statement names device a, the signature is b's.
    DeviceReport r;
    r.boot_id = "x";
    r.time = "2026-11-28T00:00:00Z";
    auto forged = sign_dsse_envelope(other, kInTotoPayloadType, make_device_report_statement(device, 1, r));
    REQUIRE(forged);
    check_item(f.ingest(*forged)[0], 422, "signature-invalid", "does not verify with the enrolled key");
    // One signature byte changed.
    auto envelope = Json::parse(report(device, 2));
    std::string sig = envelope["signatures"][0]["sig"];
    sig[10] = sig[10] == 'A' ? 'B' : 'A';
    envelope["signatures"][0]["sig"] = sig;
    check_item(f.ingest(envelope.dump())[0], 422, "signature-invalid", "does not verify with the enrolled key");
    CHECK(f.storage->get_report(1).error().code == Errc::not_found);  // nothing stored
}

TEST_CASE("ingest: pending (423) and revoked (403) devices are refused") {
    Fixture f;
    auto pending = f.identity("p");
    auto revoked = f.identity("r");
    REQUIRE(f.storage->add_bootstrap_token("bootstrap-token-0123456789", kNow + 60, 1, kNow));
    auto p = new_device_from_public_key(pending.public_key_pem, {});
    REQUIRE(p);
    REQUIRE(f.storage->enroll_with_bootstrap_token(*p, "bootstrap-token-0123456789", kNow));
    f.enroll(revoked);
    REQUIRE(f.storage->revoke_device(revoked.device_id, kNow));
    auto results = f.ingest("[" + report(pending, 1) + "," + report(revoked, 1) + "]");
    REQUIRE(results.size() == 2);
    check_item(results[0], 423, "device-pending",
               "device " + pending.device_id + " is enrolled and waits for an operator to accept it");
    check_item(results[1], 403, "device-revoked", "device " + revoked.device_id + " was revoked");
    REQUIRE(f.storage->accept_device(pending.device_id, kNow));
    check_item(f.ingest(report(pending, 1))[0], 201, "stored");
}

TEST_CASE("ingest: envelopes that carry no report are malformed (400)") {
    Fixture f;
    auto device = f.identity("a");
    f.enroll(device);
    auto not_a_report = sign_dsse_envelope(device, kInTotoPayloadType, R"({"_type": "x"})");
    REQUIRE(not_a_report);
    auto results = f.ingest("[" + *not_a_report + R"(, {"payloadType": "application/vnd.in-toto+json", "payload": "%%"}, 7])");
    REQUIRE(results.size() == 3);
    CHECK(results[0].status == 400);
    CHECK(results[0].code == "malformed");
    CHECK(results[0].message.rfind("report statement: ", 0) == 0);
    CHECK(results[1].status == 400);
    CHECK(results[1].code == "malformed");
    check_item(results[2], 400, "malformed", "report envelope: must be a JSON object");
}

TEST_CASE("ingest: a body that is no envelope or array of them is refused whole") {
    Fixture f;
    CHECK(ingest_reports("not json", *f.storage, kNow).error().code == Errc::json_malformed);
    CHECK(ingest_reports("[]", *f.storage, kNow).error().message ==
          "request body: an array must hold 1 to 1000 envelopes");
    CHECK(ingest_reports("\"x\"", *f.storage, kNow).error().message ==
          "request body: must be a DSSE envelope or an array of them");
}

TEST_CASE("ingest: a storage failure answers 500 internal for the verified items, nothing stored") {
    Fixture f;
    auto device = f.identity("a");
    f.enroll(device);
    auto raw = open_sqlite_connection(f.base + "/fleet.db");
    REQUIRE(raw);
    REQUIRE((*raw)->run_script("CREATE TRIGGER refuse BEFORE INSERT ON reports BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"));
    auto outcome = ingest_reports("[" + report(device, 1) + ",{\"x\":1}]", *f.storage, kNow);
    REQUIRE(outcome);
    REQUIRE(outcome->results.size() == 2);
    check_item(outcome->results[0], 500, "internal", "the server could not store the report now; retry later");
    CHECK(outcome->results[1].code == "malformed");
    REQUIRE(outcome->storage_error);
    CHECK(outcome->storage_error->message.find("disk on fire") != std::string::npos);
}

TEST_CASE("ingest: split_json_array keeps each element's bytes, strings with commas and brackets intact") {
    auto parts = split_json_array(R"( [ {"a":"x,]}\"y"} , [1,2],"s" ] )");
    REQUIRE(parts.size() == 3);
    CHECK(parts[0] == R"({"a":"x,]}\"y"})");
    CHECK(parts[1] == "[1,2]");
    CHECK(parts[2] == "\"s\"");
    CHECK(split_json_array("[]").empty());
}
