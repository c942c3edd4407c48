// The uploader's pure decisions (docs/reports.md "Upload protocol"): how many reports go in the
// next request, what the server's answer means for each report, and how long to wait after a
// failure. No I/O here: uploader.cpp does the reading, sending and moving.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edgeverify::agent {

struct BatchBounds {
    std::size_t max_reports = 64;
    std::size_t max_bytes = 1024 * 1024;
};

// How many of the next reports (their sizes, in sequence order) go in one request: as many as
// fit within max_reports and max_bytes, where the bytes count the request body, a JSON array
// ("[" + reports joined by "," + "]"). The first report always goes, alone if it is larger than
// max_bytes. 0 only for an empty list.
std::size_t plan_batch(std::span<const std::size_t> report_bytes, BatchBounds bounds);

// The request body for envelopes already read: "[e1,e2,...]".
std::string batch_body(std::span<const std::string> envelopes);

// What one item of a 200 answer asks of the uploader (the table of docs/reports.md).
enum class ItemAction { acknowledge, refuse, keep };

// By the item's status: 2xx acknowledge; 404 (device-unknown) and 423 (device-pending) keep;
// any other 4xx refuse; anything else (5xx, 1xx, 3xx, out of range) keep.
ItemAction item_action_for_status(int status);

struct ItemResult {
    ItemAction action = ItemAction::keep;
    int status = 0;
    std::string code;     // the server's code, "unknown" when it gave none; at most kMaxServerTextBytes
    std::string message;  // the server's message or ""; at most kMaxServerTextBytes
};

enum class RequestOutcome {
    items,             // 200 with one well-formed result per report: act on each
    halve,             // 413 on a batch of several: halve it and retry at once
    refuse_too_large,  // 413 on a single report: refused for good, code "too-large"
    retry_later,       // nothing deleted; back off
};

struct ResponseVerdict {
    RequestOutcome outcome = RequestOutcome::retry_later;
    std::vector<ItemResult> items;  // outcome == items: one per report, in request order
    // retry_later: a whole-request 4xx (other than 413 and 429) is an error the operator must
    // fix (a refused client certificate, a wrong reportsPath); the rest are passing troubles.
    bool operator_error = false;
    std::string reason;  // for the log: "HTTP 503", "results holds 3 entries for 4 reports", ...
};

// Interprets an HTTP answer to a request carrying `batch_size` reports (>= 1). Only a 200 whose
// body is {"results": [...]} with exactly batch_size objects, each with an integer "status"
// (100..599) and optional string "code" and "message", acknowledges or refuses anything; any
// other 200 keeps everything (retry_later).
ResponseVerdict interpret_response(int http_status, std::string_view body, std::size_t batch_size);

// The batch size to retry with after a 413 on `batch_size` reports: half, at least one. The
// halved size holds until the outbox is drained (a server's bound does not change per request).
std::size_t halved_batch_size(std::size_t batch_size);

struct BackoffPolicy {
    std::chrono::milliseconds initial{1000};
    std::chrono::milliseconds max{300000};
};

// The bound after `failures` consecutive failures (1 = the first): initial doubled per failure
// after the first, capped at max. 0 failures -> 0.
std::chrono::milliseconds backoff_bound(BackoffPolicy policy, std::uint32_t failures);

// Full jitter as docs/reports.md defines it: a wait uniform between half the bound and the
// bound; `unit` is a uniform random number in [0, 1) (values outside are clamped).
std::chrono::milliseconds backoff_delay(BackoffPolicy policy, std::uint32_t failures, double unit);

}  // namespace edgeverify::agent
