// Builders shared by the storage cases of both backends: devices, reports and an opened store.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/report.hpp"
#include "server/storage.hpp"

namespace storage_fixtures {

using namespace edgeverify;
using namespace edgeverify::server;

// 2026-11-28T00:00:00Z: the tests' "now".
inline constexpr UnixSeconds kNow = 1795824000;

inline std::string hex64(int n) {
    char buffer[65];
    std::snprintf(buffer, sizeof buffer, "%064x", n);
    return buffer;
}

inline std::string sha256_of(std::string_view bytes) {
    return digest_of(DigestAlgorithm::sha256, bytes).str();
}

inline NewDevice device(int n) {
    NewDevice d;
    d.id = "ev-device-" + std::to_string(n);
    d.public_key_pem = "-----BEGIN PUBLIC KEY-----\nkey" + std::to_string(n) + "\n-----END PUBLIC KEY-----\n";
    d.fingerprint = "sha256:" + hex64(n);
    return d;
}

inline std::string image_digest(int n) {
    return "sha256:" + hex64(1000 + n);
}

inline ReportRecord verification(const std::string& device_id, std::uint64_t sequence, bool passed,
                                 bool admitted, int image, UnixSeconds time,
                                 const std::string& variant = "") {
    ReportRecord r;
    r.device_id = device_id;
    r.sequence = sequence;
    r.envelope = R"({"payload":")" + device_id + "/" + std::to_string(sequence) + variant + R"("})";
    r.predicate_type = std::string(kVerificationSummaryPredicate);
    r.subject_name = "registry.example/app:" + std::to_string(image);
    r.subject_digest = image_digest(image);
    r.verification_result = passed ? "PASSED" : "FAILED";
    r.admitted = admitted;
    r.time = time;
    return r;
}

inline ReportRecord device_report(const std::string& device_id, std::uint64_t sequence,
                                  std::vector<ReportImage> images, std::vector<ReportAlarm> alarms,
                                  UnixSeconds time) {
    ReportRecord r;
    r.device_id = device_id;
    r.sequence = sequence;
    r.envelope = R"({"payload":"device-report )" + device_id + "/" + std::to_string(sequence) + R"("})";
    r.predicate_type = std::string(kDeviceReportPredicate);
    r.subject_name = device_id;
    r.subject_digest = "sha256:" + hex64(7);
    r.time = time;
    r.images = std::move(images);
    r.alarms = std::move(alarms);
    return r;
}

inline ReportImage running(int image, const std::string& verdict = "admitted") {
    return {"registry.example/app:" + std::to_string(image), image_digest(image), verdict};
}

inline std::unique_ptr<Storage> open_store(const std::string& location) {
    auto store = Storage::open(location);
    if (!store) FAIL("opening " << location << ": " << store.error().message);
    return std::move(*store);
}

// Stores one report and returns its outcome (a failed batch fails the test).
inline StoreResult store_one(Storage& store, const ReportRecord& record, UnixSeconds now = kNow) {
    auto results = store.store_reports(std::span<const ReportRecord>(&record, 1), now);
    if (!results) FAIL("store_reports: " << results.error().message);
    REQUIRE(results->size() == 1);
    return results->front();
}

inline void enroll(Storage& store, const NewDevice& d, UnixSeconds now = kNow) {
    auto enrolled = store.enroll_device(d, now);
    if (!enrolled) FAIL("enroll " << d.id << ": " << enrolled.error().message);
}

}  // namespace storage_fixtures
