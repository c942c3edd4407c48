// The storage specification, run against every backend the including file names in
// EDGEVERIFY_STORE_BACKENDS (SQLite in the unit tests, PostgreSQL in
// edgeverify-store-postgres-tests). A backend type opens a fresh empty database per case:
// location() for Storage::open, raw() for a direct connection.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "edgeverify/limits.hpp"
#include "server/schema.hpp"
#include "server/sql_connection.hpp"
#include "unit/server/storage_fixtures.hpp"

#ifndef EDGEVERIFY_STORE_BACKENDS
#error "define EDGEVERIFY_STORE_BACKENDS before including storage_cases.hpp"
#endif

namespace storage_cases {
using namespace storage_fixtures;
}  // namespace storage_cases

using namespace storage_cases;

TEST_CASE_TEMPLATE("storage: a fresh database is migrated, and re-opening keeps data and version", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    {
        auto store = open_store(db.location());
        CHECK(store->schema_version() == latest_schema_version());
        enroll(*store, device(1));
    }
    auto store = open_store(db.location());
    CHECK(store->schema_version() == latest_schema_version());
    auto found = store->get_device("ev-device-1");
    REQUIRE(found);
    CHECK(found->status == DeviceStatus::active);
    auto versions = db.raw()->run("SELECT COUNT(*) FROM schema_migrations", {});
    REQUIRE(versions);
    CHECK(versions->rows[0][0] == std::to_string(latest_schema_version()));
}

TEST_CASE_TEMPLATE("storage: a schema newer than this build is refused by name", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    open_store(db.location());
    std::vector<SqlParam> row{sql_int(99), sql_text("from the future"), sql_int(kNow)};
    REQUIRE(
        db.raw()->run("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", row));
    auto store = Storage::open(db.location());
    REQUIRE_FALSE(store);
    CHECK(store.error().code == Errc::config);
    CHECK(store.error().message.find("database schema version 99 is newer") != std::string::npos);
}

TEST_CASE_TEMPLATE("storage: devices by id and fingerprint, labels kept verbatim, taken ids refused", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    auto d = device(1);
    d.labels = {{"site", "O'Hare \"T1\"; DROP TABLE devices; --"}, {"zone", "Zürich ✓ 東京"}, {"empty", ""}};
    enroll(*store, d);
    auto by_fp = store->get_device_by_fingerprint(d.fingerprint);
    REQUIRE(by_fp);
    CHECK(by_fp->id == d.id);
    CHECK(by_fp->public_key_pem == d.public_key_pem);
    REQUIRE(by_fp->labels.size() == 3);
    CHECK(by_fp->labels[0].name == "empty");
    CHECK(by_fp->labels[1].value == "O'Hare \"T1\"; DROP TABLE devices; --");
    CHECK(by_fp->labels[2].value == "Zürich ✓ 東京");
    CHECK_FALSE(by_fp->last_seen);

    auto same_id = device(2);
    same_id.id = d.id;
    auto taken = store->enroll_device(same_id, kNow);
    REQUIRE_FALSE(taken);
    CHECK(taken.error().code == Errc::usage);
    CHECK(taken.error().message.find("already enrolled") != std::string::npos);
    auto same_key = device(3);
    same_key.fingerprint = d.fingerprint;
    CHECK(store->enroll_device(same_key, kNow).error().code == Errc::usage);

    auto missing = store->get_device("ev-nobody");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
    CHECK(store->get_device("x' OR '1'='1").error().code == Errc::not_found);
}

TEST_CASE_TEMPLATE("storage: status moves pending -> active -> revoked, and revoked is final", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    REQUIRE(store->add_bootstrap_token("bootstrap-token-0123456789", kNow + 3600, 5, kNow));
    REQUIRE(store->enroll_with_bootstrap_token(device(1), "bootstrap-token-0123456789", kNow));
    CHECK(store->get_device("ev-device-1")->status == DeviceStatus::pending);
    auto pending = store_one(*store, verification("ev-device-1", 1, true, true, 1, kNow));
    CHECK(pending.outcome == StoreOutcome::refused);
    CHECK(pending.error->code == Errc::untrusted);

    REQUIRE(store->accept_device("ev-device-1", kNow));
    CHECK(store->get_device("ev-device-1")->status == DeviceStatus::active);
    CHECK(store_one(*store, verification("ev-device-1", 1, true, true, 1, kNow)).outcome ==
          StoreOutcome::stored);

    REQUIRE(store->revoke_device("ev-device-1", kNow));
    auto revoked = store->get_device_by_fingerprint(device(1).fingerprint);
    REQUIRE(revoked);
    CHECK(revoked->status == DeviceStatus::revoked);
    auto again = store->accept_device("ev-device-1", kNow);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == Errc::usage);
    CHECK(again.error().message.find("is revoked, cannot become active") != std::string::npos);
    auto refused = store_one(*store, verification("ev-device-1", 2, true, true, 1, kNow));
    CHECK(refused.outcome == StoreOutcome::refused);
    CHECK(refused.error->message.find("is revoked") != std::string::npos);
    CHECK(store->revoke_device("ev-nobody", kNow).error().code == Errc::not_found);
}

TEST_CASE_TEMPLATE("storage: bootstrap tokens are stored hashed, expire, run out, and fail without a use",
                   Backend, EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    const std::string token = "zero-touch-token-abcdef";
    REQUIRE(store->add_bootstrap_token(token, kNow + 60, 2, kNow));
    auto stored = db.raw()->run("SELECT token_sha256 FROM bootstrap_tokens", {});
    REQUIRE(stored);
    REQUIRE(stored->rows.size() == 1);
    CHECK(stored->rows[0][0] == sha256_of(token));
    CHECK(store->add_bootstrap_token("short", kNow + 60, 1, kNow).error().code == Errc::usage);

    REQUIRE(store->enroll_with_bootstrap_token(device(1), token, kNow));
    auto taken = store->enroll_with_bootstrap_token(device(1), token, kNow);  // id taken: no use spent
    CHECK(taken.error().code == Errc::usage);
    REQUIRE(store->enroll_with_bootstrap_token(device(2), token, kNow));
    auto used_up = store->enroll_with_bootstrap_token(device(3), token, kNow);
    CHECK(used_up.error().code == Errc::untrusted);
    CHECK(used_up.error().message.find("used up") != std::string::npos);

    REQUIRE(store->add_bootstrap_token("another-token-0123456", kNow + 60, 9, kNow));
    auto expired = store->enroll_with_bootstrap_token(device(4), "another-token-0123456", kNow + 60);
    CHECK(expired.error().code == Errc::untrusted);
    CHECK(expired.error().message.find("expired") != std::string::npos);
    auto unknown = store->enroll_with_bootstrap_token(device(5), "never-issued-token-xyz", kNow);
    CHECK(unknown.error().code == Errc::untrusted);
    CHECK(unknown.error().message.find("unknown") != std::string::npos);
    CHECK(store->get_device("ev-device-5").error().code == Errc::not_found);
}

TEST_CASE_TEMPLATE(
    "storage: a report is stored once, a retry is a duplicate, other content is a kept conflict", Backend,
    EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    enroll(*store, device(1));
    auto first = store_one(*store, verification("ev-device-1", 7, true, true, 1, kNow), kNow + 5);
    CHECK(first.outcome == StoreOutcome::stored);
    CHECK(store->get_device("ev-device-1")->last_seen == kNow + 5);
    auto retry = store_one(*store, verification("ev-device-1", 7, true, true, 1, kNow), kNow + 9);
    CHECK(retry.outcome == StoreOutcome::duplicate);
    CHECK(retry.report_id == first.report_id);
    CHECK(store->get_device("ev-device-1")->last_seen == kNow + 9);

    auto replay = verification("ev-device-1", 7, false, false, 2, kNow, " forged");
    auto conflict = store_one(*store, replay);
    CHECK(conflict.outcome == StoreOutcome::replay_conflict);
    CHECK(store_one(*store, replay).outcome == StoreOutcome::replay_conflict);
    auto kept = store->get_conflicts("ev-device-1", 7);
    REQUIRE(kept);
    REQUIRE(kept->size() == 1);  // the same conflicting envelope twice is kept once
    CHECK(kept->front() == replay.envelope);
    auto original = store->get_report_envelope(first.report_id);
    REQUIRE(original);
    CHECK(*original == verification("ev-device-1", 7, true, true, 1, kNow).envelope);
    auto row = store->get_report(first.report_id);
    REQUIRE(row);
    CHECK(row->verification_result == "PASSED");
    CHECK(row->envelope_digest == sha256_of(*original));
    CHECK(store->get_report_envelope(first.report_id + 1000).error().code == Errc::not_found);
    auto summary = store->fleet_summary(kNow, 3600);
    REQUIRE(summary);
    CHECK(summary->reports == 1);
    CHECK(summary->conflicts == 1);
}

TEST_CASE_TEMPLATE("storage: a batch refuses bad items alone and stores the rest in one go", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    auto store = open_store(db.location());
    enroll(*store, device(1));
    std::vector<ReportRecord> batch{verification("ev-device-1", 1, true, true, 1, kNow),
                                    verification("ev-unknown", 1, true, true, 1, kNow),
                                    verification("ev-device-1", 0, true, true, 1, kNow),
                                    verification("ev-device-1", 2, true, true, 1, kNow)};
    batch[3].verification_result = "MAYBE";
    batch.push_back(verification("ev-device-1", 3, false, false, 2, kNow));
    auto results = store->store_reports(batch, kNow);
    REQUIRE(results);
    REQUIRE(results->size() == 5);
    CHECK((*results)[0].outcome == StoreOutcome::stored);
    CHECK((*results)[1].error->code == Errc::not_found);
    CHECK((*results)[2].error->code == Errc::schema_violation);
    CHECK((*results)[2].error->message.find("sequence 0") != std::string::npos);
    CHECK((*results)[3].error->message.find("PASSED or FAILED") != std::string::npos);
    CHECK((*results)[4].outcome == StoreOutcome::stored);
    CHECK(store->fleet_summary(kNow, 60)->reports == 2);

    std::vector<ReportRecord> too_many(edgeverify::limits::kMaxStoreBatchReports + 1,
                                       verification("ev-device-1", 9, true, true, 1, kNow));
    auto over = store->store_reports(too_many, kNow);
    REQUIRE_FALSE(over);
    CHECK(over.error().code == Errc::limit_exceeded);
    CHECK(over.error().message.find("kMaxStoreBatchReports") != std::string::npos);
}

TEST_CASE_TEMPLATE("storage: two instances opening a fresh database at once migrate it once", Backend,
                   EDGEVERIFY_STORE_BACKENDS) {
    Backend db;
    Expected<std::unique_ptr<Storage>> a = make_error(Errc::internal, "not opened");
    Expected<std::unique_ptr<Storage>> b = make_error(Errc::internal, "not opened");
    std::thread ta([&] { a = Storage::open(db.location()); });
    std::thread tb([&] { b = Storage::open(db.location()); });
    ta.join();
    tb.join();
    REQUIRE_MESSAGE(a, (a ? "" : a.error().message));
    REQUIRE_MESSAGE(b, (b ? "" : b.error().message));
    CHECK((*a)->schema_version() == latest_schema_version());
    CHECK((*b)->schema_version() == latest_schema_version());
    auto versions = db.raw()->run("SELECT version FROM schema_migrations ORDER BY version", {});
    REQUIRE(versions);
    CHECK(versions->rows.size() == static_cast<std::size_t>(latest_schema_version()));
}
