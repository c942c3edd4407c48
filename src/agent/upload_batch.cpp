// The uploader's pure decisions: batch planning, the reading of a server's answer per the table of
// docs/reports.md "Upload protocol", and backoff with full jitter.
#include "upload_batch.hpp"

#include <algorithm>
#include <cmath>

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::agent {
namespace {

// A hostile server's text, cut to kMaxServerTextBytes on a UTF-8 character boundary.
std::string bounded_text(const std::string& text) {
    if (text.size() <= limits::kMaxServerTextBytes) return text;
    std::size_t end = limits::kMaxServerTextBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

ResponseVerdict retry_later(std::string reason, bool operator_error = false) {
    ResponseVerdict verdict;
    verdict.outcome = RequestOutcome::retry_later;
    verdict.operator_error = operator_error;
    verdict.reason = std::move(reason);
    return verdict;
}

// One element of "results"; nullopt-like failure is reported through `problem`.
bool read_item(const Json& item, std::size_t index, ItemResult& result, std::string& problem) {
    const std::string where = "results[" + std::to_string(index) + "]";
    if (!item.is_object()) {
        problem = where + " is not an object";
        return false;
    }
    const auto status = item.find("status");
    if (status == item.end() || !status->is_number_integer()) {
        problem = where + ".status is missing or not an integer";
        return false;
    }
    const auto value = status->get<std::int64_t>();
    if (value < 100 || value > 599) {
        problem = where + ".status " + std::to_string(value) + " is not an HTTP status";
        return false;
    }
    result.status = static_cast<int>(value);
    result.action = item_action_for_status(result.status);
    const auto code = item.find("code");
    result.code = code != item.end() && code->is_string() && !code->get_ref<const std::string&>().empty()
                      ? bounded_text(code->get<std::string>())
                      : "unknown";
    const auto message = item.find("message");
    result.message =
        message != item.end() && message->is_string() ? bounded_text(message->get<std::string>()) : "";
    return true;
}

}  // namespace

std::size_t plan_batch(std::span<const std::size_t> report_bytes, BatchBounds bounds) {
    const std::size_t max_reports = std::max<std::size_t>(bounds.max_reports, 1);
    std::size_t count = 0;
    std::size_t body = 1;  // "["
    for (const std::size_t bytes : report_bytes) {
        if (count == max_reports) break;
        const std::size_t next = body + bytes + 1;  // the report and its "," or "]"
        if (count > 0 && next > bounds.max_bytes) break;
        body = next;
        ++count;
    }
    return count;
}

std::string batch_body(std::span<const std::string> envelopes) {
    std::size_t size = 2;
    for (const auto& envelope : envelopes) size += envelope.size() + 1;
    std::string body;
    body.reserve(size);
    body += '[';
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
        if (i > 0) body += ',';
        body += envelopes[i];
    }
    body += ']';
    return body;
}

ItemAction item_action_for_status(int status) {
    if (status >= 200 && status <= 299) return ItemAction::acknowledge;
    if (status == 404 || status == 423) return ItemAction::keep;
    if (status >= 400 && status <= 499) return ItemAction::refuse;
    return ItemAction::keep;
}

ResponseVerdict interpret_response(int http_status, std::string_view body, std::size_t batch_size) {
    const std::string http = "HTTP " + std::to_string(http_status);
    if (http_status == 413) {
        ResponseVerdict verdict;
        verdict.outcome = batch_size > 1 ? RequestOutcome::halve : RequestOutcome::refuse_too_large;
        verdict.reason = http + " (request too large) for " + std::to_string(batch_size) + " report(s)";
        return verdict;
    }
    if (http_status == 429 || (http_status >= 500 && http_status <= 599)) return retry_later(http);
    if (http_status >= 400 && http_status <= 499) return retry_later(http, /*operator_error=*/true);
    if (http_status != 200) return retry_later(http + " is not an answer of the upload protocol");

    if (body.size() > limits::kMaxUploadResponseBytes) {
        return retry_later(http + " with an answer of " + std::to_string(body.size()) +
                           " bytes, over kMaxUploadResponseBytes (" +
                           std::to_string(limits::kMaxUploadResponseBytes) + ")");
    }
    auto parsed = parse_json_strict(body, "the server's answer");
    if (!parsed) return retry_later(http + " with " + parsed.error().message);
    const Json& document = *parsed;
    const auto results = document.is_object() ? document.find("results") : document.end();
    if (!document.is_object() || results == document.end() || !results->is_array()) {
        return retry_later(http + " whose body is not {\"results\": [...]}");
    }
    if (results->size() != batch_size) {
        return retry_later(http + ": results holds " + std::to_string(results->size()) + " entries for " +
                           std::to_string(batch_size) + " report(s)");
    }
    ResponseVerdict verdict;
    verdict.outcome = RequestOutcome::items;
    verdict.items.resize(batch_size);
    for (std::size_t i = 0; i < batch_size; ++i) {
        std::string problem;
        if (!read_item((*results)[i], i, verdict.items[i], problem)) return retry_later(http + ": " + problem);
    }
    verdict.reason = http;
    return verdict;
}

std::size_t halved_batch_size(std::size_t batch_size) { return std::max<std::size_t>(1, batch_size / 2); }

std::chrono::milliseconds backoff_bound(BackoffPolicy policy, std::uint32_t failures) {
    if (failures == 0) return std::chrono::milliseconds{0};
    const auto cap = std::max(policy.max, policy.initial);
    auto bound = policy.initial;
    for (std::uint32_t i = 1; i < failures && bound < cap; ++i) bound *= 2;
    return std::min(bound, cap);
}

std::chrono::milliseconds backoff_delay(BackoffPolicy policy, std::uint32_t failures, double unit) {
    const auto bound = backoff_bound(policy, failures).count();
    if (!(unit >= 0.0)) unit = 0.0;  // NaN too
    if (unit >= 1.0) unit = std::nextafter(1.0, 0.0);
    const double half = static_cast<double>(bound) / 2.0;
    const auto wait = static_cast<std::int64_t>(std::floor(half + unit * (static_cast<double>(bound) - half)));
    return std::chrono::milliseconds{std::clamp<std::int64_t>(wait, bound / 2, bound)};
}

}  // namespace edgeverify::agent
