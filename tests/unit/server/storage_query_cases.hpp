// The storage specification, second half: the operator queries, hostile values and concurrent
// writers, run against every backend of EDGEVERIFY_STORE_BACKENDS (see storage_cases.hpp).
#pragma once

#include "unit/server/storage_cases.hpp"

namespace {

std::vector<std::uint64_t> sequences_of(const ReportPage& page) {
    std::vector<std::uint64_t> out;
    for (const auto& r : page.reports) out.push_back(r.sequence);
    return out;
}

ReportPage page_of(Storage& store, ReportFilter filter) {
    auto page = store.query_reports(filter);
    if (!page) FAIL("query_reports: " << page.error().message);
    return std::move(*page);
}

}  // namespace

TEST_CASE_TEMPLATE("storage: report pages are newest first, stable across inserts, with an opaque cursor",
                   Backend, EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    enroll(*store, device(1));
    for (std::uint64_t s = 1; s <= 25; ++s)
        store_one(*store, verification("ev-device-1", s, true, true, 1, kNow));
    ReportFilter filter;
    filter.limit = 10;
    auto first = page_of(*store, filter);
    CHECK(sequences_of(first).front() == 25);
    CHECK(sequences_of(first).back() == 16);
    REQUIRE_FALSE(first.next_cursor.empty());
    for (std::uint64_t s = 26; s <= 30; ++s)
        store_one(*store, verification("ev-device-1", s, true, true, 1, kNow));
    const auto first_sequences = sequences_of(first);
    std::set<std::uint64_t> seen(first_sequences.begin(), first_sequences.end());
    filter.cursor = first.next_cursor;
    auto second = page_of(*store, filter);
    CHECK(sequences_of(second).front() == 15);
    filter.cursor = second.next_cursor;
    auto third = page_of(*store, filter);
    CHECK(sequences_of(third).size() == 5);
    CHECK(third.next_cursor.empty());
    for (auto* page : {&second, &third})
        for (auto s : sequences_of(*page)) CHECK(seen.insert(s).second);
    CHECK(seen.size() == 25);

    for (std::string bad : {"c1.0", "c1.-4", "c1.12x", "12", "c1.99999999999999999999", "' OR 1=1 --"}) {
        filter.cursor = bad;
        auto refused = store->query_reports(filter);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::schema_violation);
    }
    filter.cursor.clear();
    for (std::size_t limit : {std::size_t{0}, edgeverify::limits::kMaxReportsPageSize + 1}) {
        filter.limit = limit;
        CHECK(store->query_reports(filter).error().code == Errc::limit_exceeded);
    }
}

TEST_CASE_TEMPLATE("storage: report filters by device, image, result and time, alone and together", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    enroll(*store, device(1));
    enroll(*store, device(2));
    store_one(*store, verification("ev-device-1", 1, true, true, 1, kNow - 100));
    store_one(*store, verification("ev-device-1", 2, false, false, 2, kNow - 50));
    store_one(*store, verification("ev-device-2", 1, false, true, 2, kNow - 10));
    store_one(*store, device_report("ev-device-2", 2, {running(1), running(2, "unverified")}, {}, kNow));
    auto count = [&](ReportFilter f) { return page_of(*store, f).reports.size(); };
    ReportFilter f;
    CHECK(count(f) == 4);
    f.device_id = "ev-device-1";
    CHECK(count(f) == 2);
    f.verification_result = "FAILED";
    CHECK(count(f) == 1);
    f = {};
    f.image_digest = image_digest(1);  // the verification subject and the device report listing it
    CHECK(count(f) == 2);
    f.image_digest = image_digest(2);
    f.verification_result = "FAILED";
    CHECK(count(f) == 2);
    f = {};
    f.time_from = kNow - 50;
    f.time_to = kNow;
    CHECK(count(f) == 2);
    f.device_id = "ev-device-2";
    auto only = page_of(*store, f);
    REQUIRE(only.reports.size() == 1);
    CHECK(only.reports[0].admitted == true);
    CHECK(only.reports[0].verification_result == "FAILED");
    for (std::string hostile : {"' OR '1'='1", "x\"; DROP TABLE reports; --", "%", "_", "ümlaut ✓", "$1"}) {
        ReportFilter h;
        h.device_id = hostile;
        CHECK(count(h) == 0);
        h = {};
        h.image_digest = hostile;
        CHECK(count(h) == 0);
        h = {};
        h.verification_result = hostile;
        CHECK(count(h) == 0);
    }
    CHECK(store->fleet_summary(kNow, 60)->reports == 4);
}

TEST_CASE_TEMPLATE("storage: device list, images and fleet summary count what the reports say", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    for (int n = 1; n <= 4; ++n) enroll(*store, device(n));
    REQUIRE(store->add_bootstrap_token("pending-token-0123456789", kNow + 60, 1, kNow));
    REQUIRE(store->enroll_with_bootstrap_token(device(5), "pending-token-0123456789", kNow));
    REQUIRE(store->revoke_device("ev-device-4", kNow));
    // device 1: compliant; device 2: holds an image it never admitted (alarm); device 3: silent.
    store_one(*store, verification("ev-device-1", 1, true, true, 1, kNow - 3600));
    store_one(*store, device_report("ev-device-1", 2, {running(1)}, {}, kNow));
    store_one(*store, verification("ev-device-2", 1, false, false, 2, kNow - 3600));
    store_one(*store, verification("ev-device-2", 2, false, false, 2, kNow - 2 * 86400));
    store_one(*store, device_report("ev-device-2", 5, {running(1), running(3, "not-admitted")},
                                    {{"image-not-admitted", "containerd holds it", image_digest(3)}}, kNow));
    // An older device report arriving late does not replace the newest.
    store_one(*store, device_report("ev-device-2", 4, {}, {}, kNow - 7200));

    auto summary = store->fleet_summary(kNow, 600);
    REQUIRE(summary);
    CHECK(summary->active == 3);
    CHECK(summary->pending == 1);
    CHECK(summary->revoked == 1);
    CHECK(summary->compliant == 1);
    CHECK(summary->rejections_last_24h == 1);
    CHECK(summary->silent == 1);  // device 3 never reported

    auto devices = store->list_devices();
    REQUIRE(devices);
    REQUIRE(devices->size() == 5);
    const auto& two = (*devices)[1];
    CHECK(two.device.id == "ev-device-2");
    CHECK(two.alarm_count == 1);
    CHECK(two.image_count == 2);
    REQUIRE(two.last_verification);
    CHECK(two.last_verification->sequence == 2);
    CHECK_FALSE((*devices)[2].last_verification);
    CHECK((*devices)[4].device.status == DeviceStatus::pending);

    auto images = store->list_images();
    REQUIRE(images);
    REQUIRE(images->size() == 3);
    CHECK((*images)[0].digest == image_digest(1));
    CHECK((*images)[0].devices == std::vector<std::string>{"ev-device-1", "ev-device-2"});
    CHECK((*images)[0].passed == 1);
    CHECK((*images)[1].failed == 2);
    CHECK((*images)[1].devices.empty());
    CHECK((*images)[2].devices == std::vector<std::string>{"ev-device-2"});
}

TEST_CASE_TEMPLATE("storage: hostile values are kept verbatim or refused by a named limit", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    using namespace edgeverify::limits;
    Backend db;
    auto store = open_store(db.location());
    auto d = device(1);
    d.labels = {{"note", std::string(kMaxLabelValueBytes + 1, 'x')}};
    auto long_label = store->enroll_device(d, kNow);
    CHECK(long_label.error().code == Errc::limit_exceeded);
    CHECK(long_label.error().message.find("kMaxLabelValueBytes") != std::string::npos);
    d.labels = {{"bad", std::string("\xC3\x28", 2)}};
    CHECK(store->enroll_device(d, kNow).error().code == Errc::schema_violation);
    d.labels = {{"nul", std::string("a\0b", 3)}};
    CHECK(store->enroll_device(d, kNow).error().code == Errc::schema_violation);
    d.labels.assign(kMaxDeviceLabels + 1, {"n", "v"});
    for (std::size_t i = 0; i < d.labels.size(); ++i) d.labels[i].name = "n" + std::to_string(i);
    CHECK(store->enroll_device(d, kNow).error().message.find("kMaxDeviceLabels") != std::string::npos);
    d.labels = {{"a", "1"}, {"a", "2"}};
    CHECK(store->enroll_device(d, kNow).error().code == Errc::usage);
    d.labels = {};
    d.id = std::string(kMaxDeviceIdBytes + 1, 'e');
    CHECK(store->enroll_device(d, kNow).error().message.find("kMaxDeviceIdBytes") != std::string::npos);
    enroll(*store, device(1));

    auto quoted = verification("ev-device-1", 1, true, true, 1, kNow);
    quoted.subject_name = "registry.example/it's \"quoted\"/ünï✓:1.0; DELETE FROM reports";
    auto stored = store_one(*store, quoted);
    REQUIRE(stored.outcome == StoreOutcome::stored);
    CHECK(store->get_report(stored.report_id)->subject_name == quoted.subject_name);
    auto long_ref = verification("ev-device-1", 2, true, true, 1, kNow);
    long_ref.subject_name = std::string(kMaxReportReferenceBytes + 1, 'r');
    CHECK(store_one(*store, long_ref).error->message.find("kMaxReportReferenceBytes") != std::string::npos);
    auto huge = verification("ev-device-1", 3, true, true, 1, kNow);
    huge.sequence = std::uint64_t{1} << 63;
    CHECK(store_one(*store, huge).error->code == Errc::limit_exceeded);
    auto many =
        device_report("ev-device-1", 4, std::vector<ReportImage>(kMaxReportImages + 1, running(1)), {}, kNow);
    CHECK(store_one(*store, many).error->message.find("kMaxReportImages") != std::string::npos);
    auto verdict = device_report("ev-device-1", 5, {running(1, "trust me")}, {}, kNow);
    CHECK(store_one(*store, verdict).error->code == Errc::schema_violation);
    auto binary = verification("ev-device-1", 6, true, true, 1, kNow);
    binary.envelope = std::string("{\xFF}", 3);
    CHECK(store_one(*store, binary).error->code == Errc::schema_violation);
    CHECK(store->fleet_summary(kNow, 60)->reports == 1);
}

TEST_CASE_TEMPLATE("storage: two connections storing the same (device, sequence) at once store it once",
                   Backend, EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto setup = open_store(db.location());
    enroll(*setup, device(1));
    auto a = open_store(db.location());
    auto b = open_store(db.location());
    constexpr std::uint64_t kRounds = 20;
    std::vector<StoreOutcome> outcomes_a, outcomes_b;
    auto writer = [](Storage& store, const std::string& variant, std::vector<StoreOutcome>& outcomes) {
        for (std::uint64_t s = 1; s <= kRounds; ++s) {
            // Odd rounds: the same envelope from both (a retry race); even rounds: different content.
            auto record = verification("ev-device-1", s, true, true, 1, kNow, s % 2 ? "" : variant);
            auto results = store.store_reports(std::span<const ReportRecord>(&record, 1), kNow);
            outcomes.push_back(results ? results->front().outcome : StoreOutcome::refused);
        }
    };
    std::thread ta(writer, std::ref(*a), "a", std::ref(outcomes_a));
    std::thread tb(writer, std::ref(*b), "b", std::ref(outcomes_b));
    ta.join();
    tb.join();
    REQUIRE(outcomes_a.size() == kRounds);
    REQUIRE(outcomes_b.size() == kRounds);
    for (std::uint64_t i = 0; i < kRounds; ++i) {
        INFO("sequence " << i + 1);
        CHECK((outcomes_a[i] == StoreOutcome::stored) != (outcomes_b[i] == StoreOutcome::stored));
        auto other = outcomes_a[i] == StoreOutcome::stored ? outcomes_b[i] : outcomes_a[i];
        CHECK(other == ((i + 1) % 2 ? StoreOutcome::duplicate : StoreOutcome::replay_conflict));
    }
    CHECK(setup->fleet_summary(kNow, 60)->reports == static_cast<std::int64_t>(kRounds));
    CHECK(setup->fleet_summary(kNow, 60)->conflicts == static_cast<std::int64_t>(kRounds / 2));
}
#include "unit/server/storage_view_cases.hpp"
