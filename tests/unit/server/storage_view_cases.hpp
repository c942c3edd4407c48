// The storage specification, third part: the operator API's views (device and image pages,
// device state, the kind filter, the stored reason), run against every backend of
// EDGEVERIFY_STORE_BACKENDS (see storage_cases.hpp).
#pragma once

#include "unit/server/storage_cases.hpp"

namespace {

std::vector<std::string> ids_of(const DevicePage& page) {
    std::vector<std::string> out;
    for (const auto& d : page.devices) out.push_back(d.device.id);
    return out;
}

DevicePage devices_of(Storage& store, const DeviceFilter& filter) {
    auto page = store.query_devices(filter);
    if (!page) FAIL("query_devices: " << page.error().message);
    return std::move(*page);
}

}  // namespace

TEST_CASE_TEMPLATE("storage: device pages filter by status, label and silence, and never repeat or skip",
                   Backend, EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    for (int n = 1; n <= 7; ++n) {
        auto d = device(n);
        d.labels = {{"site", n % 2 ? "plant-7" : "plant-9"}, {"line", std::to_string(n)}};
        enroll(*store, d);
    }
    REQUIRE(store->revoke_device("ev-device-7", kNow));
    store_one(*store, verification("ev-device-1", 1, true, true, 1, kNow - 10), kNow - 10);
    store_one(*store, verification("ev-device-2", 1, true, true, 1, kNow - 10), kNow - 7200);

    DeviceFilter f;
    f.now = kNow;
    f.silent_after_seconds = 3600;
    f.limit = 3;
    auto first = devices_of(*store, f);
    CHECK(ids_of(first) == std::vector<std::string>{"ev-device-1", "ev-device-2", "ev-device-3"});
    REQUIRE_FALSE(first.next_cursor.empty());
    CHECK(first.devices[0].device.labels.size() == 2);
    CHECK(first.devices[0].device.labels[0].name == "line");
    enroll(*store, device(0));  // sorts before the cursor: never shifts the pages being read
    f.cursor = first.next_cursor;
    auto second = devices_of(*store, f);
    CHECK(ids_of(second) == std::vector<std::string>{"ev-device-4", "ev-device-5", "ev-device-6"});
    f.cursor = second.next_cursor;
    auto third = devices_of(*store, f);
    CHECK(ids_of(third) == std::vector<std::string>{"ev-device-7"});
    CHECK(third.next_cursor.empty());

    f = {};
    f.now = kNow;
    f.silent_after_seconds = 3600;
    f.status = DeviceStatus::revoked;
    CHECK(ids_of(devices_of(*store, f)) == std::vector<std::string>{"ev-device-7"});
    f.status.reset();
    f.label = DeviceLabel{"site", "plant-9"};
    CHECK(ids_of(devices_of(*store, f)) == std::vector<std::string>{"ev-device-2", "ev-device-4", "ev-device-6"});
    f.silent = false;  // device 2 was seen two hours ago: silent
    CHECK(ids_of(devices_of(*store, f)).empty());
    f.label.reset();  // not silent: active and seen lately, or not active at all
    CHECK(ids_of(devices_of(*store, f)) == std::vector<std::string>{"ev-device-1", "ev-device-7"});
    f.silent = true;  // active and seen too long ago or never; revoked devices are never silent
    CHECK(ids_of(devices_of(*store, f)) ==
          std::vector<std::string>{"ev-device-0", "ev-device-2", "ev-device-3", "ev-device-4", "ev-device-5",
                                   "ev-device-6"});
    f = {};
    f.id = "ev-device-5";
    CHECK(ids_of(devices_of(*store, f)) == std::vector<std::string>{"ev-device-5"});
    for (std::string hostile : {"' OR '1'='1", "%", "_", "ev-device-%"}) {
        f = {};
        f.id = hostile;
        CHECK(devices_of(*store, f).devices.empty());
        f = {};
        f.label = DeviceLabel{hostile, hostile};
        CHECK(devices_of(*store, f).devices.empty());
    }
    f = {};
    for (std::string bad : {"d1.", "d1.6", "d1.zz", "c1.5", "d1.00", "' OR 1=1 --"}) {
        f.cursor = bad;
        auto refused = store->query_devices(f);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::schema_violation);
    }
    f.cursor.clear();
    f.limit = 0;
    CHECK(store->query_devices(f).error().code == Errc::limit_exceeded);
    auto all = store->list_devices();
    REQUIRE(all);
    CHECK(all->size() == 8);
}

TEST_CASE_TEMPLATE("storage: image pages carry references, devices and counts; a device's state is its newest "
                   "device report",
                   Backend, EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    enroll(*store, device(1));
    enroll(*store, device(2));
    store_one(*store, verification("ev-device-1", 1, true, true, 1, kNow - 100));
    auto failed = verification("ev-device-2", 1, false, false, 2, kNow - 50);
    failed.reason = "rule registries: docker.io is not allowed";
    store_one(*store, failed);
    store_one(*store, device_report("ev-device-1", 2, {running(1), running(3, "unverified")},
                                    {{"image-not-admitted", "containerd holds it", image_digest(3)},
                                     {"report-refused", "the server said no", ""}},
                                    kNow));
    auto page = store->query_images(2, "");
    REQUIRE(page);
    REQUIRE(page->images.size() == 2);
    CHECK(page->images[0].digest == image_digest(1));
    CHECK(page->images[0].references == std::vector<std::string>{"registry.example/app:1"});
    CHECK(page->images[0].devices == std::vector<std::string>{"ev-device-1"});
    CHECK(page->images[0].passed == 1);
    CHECK(page->images[1].digest == image_digest(2));
    CHECK(page->images[1].failed == 1);
    CHECK(page->images[1].devices.empty());
    REQUIRE_FALSE(page->next_cursor.empty());
    auto rest = store->query_images(2, page->next_cursor);
    REQUIRE(rest);
    REQUIRE(rest->images.size() == 1);
    CHECK(rest->images[0].digest == image_digest(3));
    CHECK(rest->next_cursor.empty());
    CHECK(store->query_images(2, "i1.nothex").error().code == Errc::schema_violation);
    CHECK(store->query_images(0, "").error().code == Errc::limit_exceeded);

    auto one = store->get_image(image_digest(3));
    REQUIRE(one);
    CHECK(one->references == std::vector<std::string>{"registry.example/app:3"});
    CHECK(one->devices == std::vector<std::string>{"ev-device-1"});
    CHECK(store->get_image(image_digest(9)).error().code == Errc::not_found);
    CHECK(store->get_image("' OR 1=1 --").error().code == Errc::not_found);

    auto state = store->get_device_state("ev-device-1");
    REQUIRE(state);
    REQUIRE(state->images.size() == 2);
    CHECK(state->images[1].verdict == "unverified");
    REQUIRE(state->alarms.size() == 2);
    CHECK(state->alarms[0].digest == image_digest(3));
    CHECK(state->alarms[1].kind == "report-refused");
    CHECK(state->alarms[1].digest.empty());
    CHECK(store->get_device_state("ev-device-2")->images.empty());

    ReportFilter kind;
    kind.predicate_type = std::string(kDeviceReportPredicate);
    auto device_reports = store->query_reports(kind);
    REQUIRE(device_reports);
    REQUIRE(device_reports->reports.size() == 1);
    CHECK(device_reports->reports[0].sequence == 2);
    kind.predicate_type = std::string(kVerificationSummaryPredicate);
    kind.image_digest = image_digest(2);
    auto rejected = store->query_reports(kind);
    REQUIRE(rejected);
    REQUIRE(rejected->reports.size() == 1);
    CHECK(rejected->reports[0].reason == "rule registries: docker.io is not allowed");
    CHECK(store->get_report(rejected->reports[0].id)->reason == failed.reason);

    auto long_reason = verification("ev-device-2", 2, false, false, 2, kNow);
    long_reason.reason = std::string(edgeverify::limits::kMaxReportReasonBytes + 1, 'r');
    CHECK(store_one(*store, long_reason).error->message.find("kMaxReportReasonBytes") != std::string::npos);
}
