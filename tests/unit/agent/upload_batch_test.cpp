// The uploader's pure decisions (docs/reports.md "Upload protocol"): batch planning within the
// report and byte bounds, every row of the per-report table, whole-request answers (413 halving,
// 429/5xx/4xx, malformed 200s), and backoff bounds with full jitter.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "agent/upload_batch.hpp"
#include "edgeverify/limits.hpp"

using namespace edgeverify::agent;
namespace limits = edgeverify::limits;
using std::chrono::milliseconds;

namespace {

std::string results_of(const std::vector<std::string>& items) {
    std::string body = "{\"results\": [";
    for (std::size_t i = 0; i < items.size(); ++i) body += (i ? "," : "") + items[i];
    return body + "]}";
}

}  // namespace

TEST_SUITE("agent.upload") {
    TEST_CASE("plan_batch takes reports up to batchMaxReports") {
        const std::vector<std::size_t> sizes(10, 100);
        CHECK(plan_batch(sizes, {3, 1 << 20}) == 3);
        CHECK(plan_batch(sizes, {64, 1 << 20}) == 10);
        CHECK(plan_batch({}, {64, 1 << 20}) == 0);
    }

    TEST_CASE("plan_batch counts the array body: '[' + reports + commas + ']' within batchMaxBytes") {
        const std::vector<std::size_t> sizes{100, 100, 100};
        // Two reports make "[" 100 "," 100 "]" = 203 bytes; three make 304.
        CHECK(plan_batch(sizes, {64, 303}) == 2);
        CHECK(plan_batch(sizes, {64, 304}) == 3);
        CHECK(plan_batch(sizes, {64, 202}) == 1);
    }

    TEST_CASE("plan_batch sends a report larger than batchMaxBytes alone, and never behind others") {
        CHECK(plan_batch(std::vector<std::size_t>{5000, 10}, {64, 1000}) == 1);
        CHECK(plan_batch(std::vector<std::size_t>{10, 5000, 10}, {64, 1000}) == 1);
    }

    TEST_CASE("plan_batch treats batchMaxReports 0 as 1") {
        CHECK(plan_batch(std::vector<std::size_t>{1, 1}, {0, 1000}) == 1);
    }

    TEST_CASE("batch_body joins the envelopes into a JSON array") {
        const std::vector<std::string> envelopes{"{\"a\":1}", "{\"b\":2}"};
        CHECK(batch_body(envelopes) == "[{\"a\":1},{\"b\":2}]");
        CHECK(batch_body(std::vector<std::string>{"{}"}) == "[{}]");
    }

    TEST_CASE("every row of the protocol table maps the item status to its action") {
        struct Row {
            int status;
            const char* code;
            ItemAction action;
        };
        const Row rows[] = {
            {201, "stored", ItemAction::acknowledge},          {200, "duplicate", ItemAction::acknowledge},
            {400, "malformed", ItemAction::refuse},            {422, "signature-invalid", ItemAction::refuse},
            {403, "device-revoked", ItemAction::refuse},       {409, "replay-conflict", ItemAction::refuse},
            {404, "device-unknown", ItemAction::keep},         {423, "device-pending", ItemAction::keep},
            {500, "internal", ItemAction::keep},               {503, "internal", ItemAction::keep},
            {202, "other-2xx", ItemAction::acknowledge},       {410, "other-4xx", ItemAction::refuse},
            {302, "other", ItemAction::keep},                  {101, "other", ItemAction::keep},
        };
        for (const Row& row : rows) {
            CAPTURE(row.status);
            CHECK(item_action_for_status(row.status) == row.action);
            const std::string item = "{\"status\": " + std::to_string(row.status) + ", \"code\": \"" + row.code +
                                     "\", \"message\": \"m\"}";
            const auto verdict = interpret_response(200, results_of({item}), 1);
            REQUIRE(verdict.outcome == RequestOutcome::items);
            REQUIRE(verdict.items.size() == 1);
            CHECK(verdict.items[0].action == row.action);
            CHECK(verdict.items[0].status == row.status);
            CHECK(verdict.items[0].code == row.code);
            CHECK(verdict.items[0].message == "m");
        }
    }

    TEST_CASE("a mixed 200 answer keeps request order") {
        const auto verdict = interpret_response(
            200,
            results_of({R"({"status":201,"code":"stored","deviceId":"ev-1","sequence":1})",
                        R"({"status":409,"code":"replay-conflict","message":"sequence 2 was stored with other content"})",
                        R"({"status":423,"code":"device-pending"})"}),
            3);
        REQUIRE(verdict.outcome == RequestOutcome::items);
        CHECK(verdict.items[0].action == ItemAction::acknowledge);
        CHECK(verdict.items[1].action == ItemAction::refuse);
        CHECK(verdict.items[1].message == "sequence 2 was stored with other content");
        CHECK(verdict.items[2].action == ItemAction::keep);
    }

    TEST_CASE("an item without a code gets 'unknown'; long server text is cut on a character boundary") {
        const std::string long_message(limits::kMaxServerTextBytes - 1, 'x');
        // "é" (2 bytes) straddles the bound: it is dropped whole, never cut in half.
        const auto verdict =
            interpret_response(200, results_of({R"({"status":422,"message":")" + long_message + "\xC3\xA9tail\"}"}), 1);
        REQUIRE(verdict.outcome == RequestOutcome::items);
        CHECK(verdict.items[0].code == "unknown");
        CHECK(verdict.items[0].message == long_message);
    }

    TEST_CASE("413 halves a batch down to one report; 413 on one report refuses it as too-large") {
        std::vector<std::size_t> sizes;
        for (std::size_t n = 64; n > 1; n = halved_batch_size(n)) {
            sizes.push_back(n);
            CHECK(interpret_response(413, "", n).outcome == RequestOutcome::halve);
        }
        CHECK(sizes == std::vector<std::size_t>{64, 32, 16, 8, 4, 2});
        CHECK(halved_batch_size(2) == 1);
        CHECK(halved_batch_size(3) == 1);
        CHECK(halved_batch_size(1) == 1);
        CHECK(interpret_response(413, "", 1).outcome == RequestOutcome::refuse_too_large);
    }

    TEST_CASE("429 and 5xx keep everything and back off, as passing troubles") {
        for (const int status : {429, 500, 502, 503, 599}) {
            CAPTURE(status);
            const auto verdict = interpret_response(status, results_of({R"({"status":201})"}), 1);
            CHECK(verdict.outcome == RequestOutcome::retry_later);
            CHECK_FALSE(verdict.operator_error);
            CHECK(verdict.reason == "HTTP " + std::to_string(status));
            CHECK(verdict.items.empty());
        }
    }

    TEST_CASE("another whole-request 4xx keeps everything and is an operator error") {
        for (const int status : {400, 401, 403, 404, 422}) {
            CAPTURE(status);
            const auto verdict = interpret_response(status, "", 2);
            CHECK(verdict.outcome == RequestOutcome::retry_later);
            CHECK(verdict.operator_error);
        }
    }

    TEST_CASE("a 200 that is not a results array of the right length keeps everything") {
        struct Case {
            std::string body;
            const char* reason;
        };
        const Case cases[] = {
            {"not json", "not valid JSON"},
            {"[]", "not {\"results\": [...]}"},
            {R"({"result": []})", "not {\"results\": [...]}"},
            {R"({"results": {}})", "not {\"results\": [...]}"},
            {results_of({R"({"status":201})"}), "results holds 1 entries for 2 report(s)"},
            {results_of({R"({"status":201})", R"({"status":201})", R"({"status":201})"}),
             "results holds 3 entries for 2 report(s)"},
            {results_of({R"({"status":201})", "17"}), "results[1] is not an object"},
            {results_of({R"({"status":201})", R"({"code":"stored"})"}), "results[1].status is missing"},
            {results_of({R"({"status":"201"})", R"({"status":201})"}), "results[0].status is missing or not an integer"},
            {results_of({R"({"status":201.5})", R"({"status":201})"}), "results[0].status is missing or not an integer"},
            {results_of({R"({"status":42})", R"({"status":201})"}), "results[0].status 42 is not an HTTP status"},
            {R"({"results": [{"status":201}, {"status":201}], "results": []})", "duplicate key"},
        };
        for (const Case& c : cases) {
            CAPTURE(c.body);
            const auto verdict = interpret_response(200, c.body, 2);
            CHECK(verdict.outcome == RequestOutcome::retry_later);
            CHECK_FALSE(verdict.operator_error);
            CHECK(verdict.items.empty());
            CHECK_MESSAGE(verdict.reason.find(c.reason) != std::string::npos, verdict.reason);
        }
    }

    TEST_CASE("an answer over kMaxUploadResponseBytes keeps everything") {
        const std::string padding(limits::kMaxUploadResponseBytes, ' ');
        const auto verdict = interpret_response(200, results_of({R"({"status":201})"}) + padding, 1);
        CHECK(verdict.outcome == RequestOutcome::retry_later);
        CHECK(verdict.reason.find("over kMaxUploadResponseBytes") != std::string::npos);
    }

    TEST_CASE("a 2xx other than 200, and 1xx/3xx whole answers, keep everything") {
        for (const int status : {201, 204, 301, 302}) {
            CAPTURE(status);
            const auto verdict = interpret_response(status, results_of({R"({"status":201})"}), 1);
            CHECK(verdict.outcome == RequestOutcome::retry_later);
            CHECK(verdict.reason.find("is not an answer of the upload protocol") != std::string::npos);
        }
    }

    TEST_CASE("backoff bound doubles from the initial wait per failure, capped at the maximum") {
        const BackoffPolicy policy{milliseconds{1000}, milliseconds{300000}};
        CHECK(backoff_bound(policy, 0) == milliseconds{0});
        CHECK(backoff_bound(policy, 1) == milliseconds{1000});
        CHECK(backoff_bound(policy, 2) == milliseconds{2000});
        CHECK(backoff_bound(policy, 3) == milliseconds{4000});
        CHECK(backoff_bound(policy, 9) == milliseconds{256000});
        CHECK(backoff_bound(policy, 10) == milliseconds{300000});
        CHECK(backoff_bound(policy, 4000000000u) == milliseconds{300000});
    }

    TEST_CASE("backoff delay is uniform between half the bound and the bound (full jitter)") {
        const BackoffPolicy policy{milliseconds{1000}, milliseconds{300000}};
        CHECK(backoff_delay(policy, 3, 0.0) == milliseconds{2000});
        CHECK(backoff_delay(policy, 3, 0.5) == milliseconds{3000});
        CHECK(backoff_delay(policy, 3, 0.999999) == milliseconds{3999});
        CHECK(backoff_delay(policy, 3, 1.0) <= milliseconds{4000});
        CHECK(backoff_delay(policy, 3, -5.0) == milliseconds{2000});
        CHECK(backoff_delay(policy, 3, std::nan("")) == milliseconds{2000});
        CHECK(backoff_delay(policy, 0, 0.7) == milliseconds{0});

        std::mt19937_64 random(12345);
        std::uniform_real_distribution<double> unit(0, 1);
        milliseconds lowest{1000000}, highest{0};
        for (int i = 0; i < 2000; ++i) {
            const auto delay = backoff_delay(policy, 12, unit(random));
            CHECK(delay >= milliseconds{150000});
            CHECK(delay <= milliseconds{300000});
            lowest = std::min(lowest, delay);
            highest = std::max(highest, delay);
        }
        // Spread over the whole range, not stuck at one end.
        CHECK(lowest < milliseconds{155000});
        CHECK(highest > milliseconds{295000});
    }
}
