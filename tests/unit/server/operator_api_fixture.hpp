// A seeded fleet for the operator API tests: SQLite in a temporary directory, devices with real
// keys, and reports signed with the agent's own statement and DSSE functions, stored as ingest
// stores them (report_record_from_statement, store_reports).
#pragma once

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "edgeverify/report.hpp"
#include "server/operator_api.hpp"
#include "server/report_record.hpp"
#include "server/storage.hpp"

namespace operator_api_fixture {

using namespace edgeverify;
using namespace edgeverify::server;

// 2026-11-28T00:00:00Z
inline constexpr UnixSeconds kNow = 1795824000;

inline Digest digest_of_char(char c) {
    return *Digest::parse("sha256:" + std::string(64, c));
}

struct Fleet {
    Fleet() {
        char pattern[] = "/tmp/edgeverify-api-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        dir = pattern;
        auto opened = Storage::open("sqlite:" + dir + "/fleet.db");
        REQUIRE(opened);
        store = std::move(*opened);
        a = identity("a");
        b = identity("b");
        c = identity("c");
        REQUIRE(store->enroll_device(NewDevice{a.device_id, a.public_key_pem, a.fingerprint, {{"site", "plant 7"}}},
                                     kNow - 86400));
        REQUIRE(store->add_bootstrap_token("bootstrap-token-0123456789", kNow + 3600, 1, kNow));
        REQUIRE(store->enroll_with_bootstrap_token(NewDevice{b.device_id, b.public_key_pem, b.fingerprint, {}},
                                                   "bootstrap-token-0123456789", kNow - 600));
        REQUIRE(store->enroll_device(NewDevice{c.device_id, c.public_key_pem, c.fingerprint, {}}, kNow - 600));
        REQUIRE(store->revoke_device(c.device_id, kNow - 300));
        // a: image 'a' admitted, image 'b' refused by its trust policy, then a device report.
        store_signed(verification_statement(1, digest_of_char('a'), true, Json::object()), kNow - 120);
        Json checks = {{"integrity", {{"passed", true}}},
                       {"trust", {{"passed", false}, {"message", "no signature from a trusted signer"}}},
                       {"install", {{"installed", false}}}};
        rejected_statement = verification_statement(2, digest_of_char('b'), false, checks);
        store_signed(rejected_statement, kNow - 60);
        DeviceReport report;
        report.agent_version = "0.1.0";
        report.trust_store_digest = digest_of_char('f').str();
        report.images = {{"registry.example/app:1.0", digest_of_char('a'), "admitted", "", ""},
                         {"registry.example/tool:2", digest_of_char('b'), "not-admitted", "", ""}};
        report.alarms = {{"image-not-admitted", "containerd holds an image never admitted", digest_of_char('b')}};
        report.boot_id = "0b5c1c5e-7f3a-4f53-9a8e-1d2c3b4a5f60";
        report.time = "2026-11-27T23:59:00Z";
        store_signed(make_device_report_statement(a, 3, report), kNow - 30);
    }
    ~Fleet() {
        store.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }

    DeviceIdentity identity(const std::string& name) {
        auto made = init_device_identity(StateDirectory{dir + "/" + name});
        REQUIRE(made);
        return std::move(*made);
    }

    std::string verification_statement(std::uint64_t sequence, const Digest& image, bool passed, const Json& checks) {
        VerificationRecord v;
        v.reference = passed ? "registry.example/app:1.0" : "registry.example/tool:2";
        v.manifest_digest = image;
        v.admitted = passed;
        v.passed = passed;
        v.trust_store_digest = digest_of_char('f').str();
        v.policy_uri = "file:///etc/edgeverify/trust/policy.json";
        v.time_verified = passed ? "2026-11-27T23:58:00Z" : "2026-11-27T23:59:00Z";
        v.checks = checks;
        return make_verification_statement(a, sequence, v);
    }

    void store_signed(const std::string& statement, UnixSeconds received_at) {
        auto envelope = sign_dsse_envelope(a, kInTotoPayloadType, statement);
        REQUIRE(envelope);
        auto record = report_record_from_statement(*envelope, statement);
        REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
        auto stored = store->store_reports(std::span<const ReportRecord>(&*record, 1), received_at);
        REQUIRE(stored);
        REQUIRE(stored->front().outcome == StoreOutcome::stored);
        envelopes.push_back(*envelope);
    }

    net::HttpResponse request(const std::string& method, const std::string& target) {
        net::HttpRequest r;
        r.method = method;
        r.target = target;
        auto answered = handle_operator_request(r, OperatorApiContext{*store, kNow, 3600, {}});
        REQUIRE_MESSAGE(answered, method << " " << target << " was not answered");
        return std::move(*answered);
    }
    Json get_json(const std::string& target, int status = 200) {
        auto response = request("GET", target);
        INFO(target << " -> " << response.body);
        CHECK(response.status == status);
        auto json = parse_json_strict(response.body, target);
        REQUIRE(json);
        return std::move(*json);
    }

    std::string dir;
    std::unique_ptr<Storage> store;
    DeviceIdentity a, b, c;
    std::string rejected_statement;
    std::vector<std::string> envelopes;  // of reports 1, 2, 3
};

inline Json error_body(const std::string& code, const std::string& message) {
    return Json{{"error", {{"code", code}, {"message", message}}}};
}

}  // namespace operator_api_fixture
