// Counters of edgeverify-server and their Prometheus text exposition (metrics.hpp).
#include "server/metrics.hpp"

#include <array>
#include <cstdint>
#include <charconv>
#include <map>
#include <mutex>
#include <utility>

namespace edgeverify::server {
namespace {

constexpr std::array<std::string_view, 7> kRoutes = {"reports", "enroll",    "operator", "metrics",
                                                     "healthz", "dashboard", "other"};
constexpr std::array<std::string_view, 10> kReportResults = {
    "stored",         "duplicate",     "malformed",      "signature-invalid", "device-revoked",
    "replay-conflict", "device-unknown", "device-pending", "internal",          "too-large"};
// Upper bounds of the request duration buckets, seconds (+Inf is implied).
constexpr std::array<double, 13> kDurationBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                     0.25,  0.5,    1,     2.5,  5,     10};

std::size_t route_index(std::string_view route) {
    for (std::size_t i = 0; i < kRoutes.size(); ++i)
        if (kRoutes[i] == route) return i;
    return kRoutes.size() - 1;  // "other"
}

std::string number(double value) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc{} ? std::string(buffer, end) : std::string("NaN");
}

// A label value in the exposition format: backslash, double quote and line feed escaped.
std::string escaped(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::string_view value) {
    out.append(name);
    if (!labels.empty()) out.append("{").append(labels).append("}");
    out.append(" ").append(value).append("\n");
}

struct Histogram {
    std::array<std::uint64_t, kDurationBuckets.size()> buckets{};  // cumulative when rendered
    std::uint64_t count = 0;
    double sum = 0;
};

}  // namespace

struct ServerMetrics::State {
    mutable std::mutex mutex;
    std::map<std::pair<std::size_t, int>, std::uint64_t> requests;  // (route index, status) -> count
    std::array<Histogram, kRoutes.size()> durations{};
    std::array<std::uint64_t, kReportResults.size()> reports{};
    std::size_t connections = 0;
};

ServerMetrics::ServerMetrics() : state_(std::make_unique<State>()) {}
ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::count_request(std::string_view route, int status, double seconds) {
    const std::size_t r = route_index(route);
    std::lock_guard lock(state_->mutex);
    ++state_->requests[{r, status}];
    Histogram& h = state_->durations[r];
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i)
        if (seconds <= kDurationBuckets[i]) {
            ++h.buckets[i];
            break;
        }
    ++h.count;
    h.sum += seconds;
}

void ServerMetrics::count_report(std::string_view result) {
    std::size_t index = 8;  // a code this list does not know is a server bug: "internal"
    for (std::size_t i = 0; i < kReportResults.size(); ++i)
        if (kReportResults[i] == result) index = i;
    std::lock_guard lock(state_->mutex);
    ++state_->reports[index];
}

void ServerMetrics::set_open_connections(std::size_t count) {
    std::lock_guard lock(state_->mutex);
    state_->connections = count;
}

std::string ServerMetrics::render(const std::optional<FleetSummary>& fleet, std::string_view version) const {
    std::string out;
    std::lock_guard lock(state_->mutex);
    header(out, "edgeverify_server_requests_total", "HTTP requests answered, by route and status.", "counter");
    for (const auto& [key, count] : state_->requests)
        sample(out, "edgeverify_server_requests_total",
               "route=\"" + std::string(kRoutes[key.first]) + "\",status=\"" + std::to_string(key.second) + "\"",
               std::to_string(count));
    header(out, "edgeverify_server_request_duration_seconds", "Time to answer a request, by route.", "histogram");
    for (std::size_t r = 0; r < kRoutes.size(); ++r) {
        const Histogram& h = state_->durations[r];
        const std::string route = "route=\"" + std::string(kRoutes[r]) + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
            cumulative += h.buckets[i];
            sample(out, "edgeverify_server_request_duration_seconds_bucket",
                   route + ",le=\"" + number(kDurationBuckets[i]) + "\"", std::to_string(cumulative));
        }
        sample(out, "edgeverify_server_request_duration_seconds_bucket", route + ",le=\"+Inf\"",
               std::to_string(h.count));
        sample(out, "edgeverify_server_request_duration_seconds_sum", route, number(h.sum));
        sample(out, "edgeverify_server_request_duration_seconds_count", route, std::to_string(h.count));
    }
    header(out, "edgeverify_server_reports_total", "Uploaded report items, by result code.", "counter");
    for (std::size_t i = 0; i < kReportResults.size(); ++i)
        sample(out, "edgeverify_server_reports_total", "result=\"" + std::string(kReportResults[i]) + "\"",
               std::to_string(state_->reports[i]));
    header(out, "edgeverify_server_connections", "Open connections.", "gauge");
    sample(out, "edgeverify_server_connections", "", std::to_string(state_->connections));
    if (fleet) {
        header(out, "edgeverify_server_devices", "Enrolled devices, by status.", "gauge");
        sample(out, "edgeverify_server_devices", "status=\"pending\"", std::to_string(fleet->pending));
        sample(out, "edgeverify_server_devices", "status=\"active\"", std::to_string(fleet->active));
        sample(out, "edgeverify_server_devices", "status=\"revoked\"", std::to_string(fleet->revoked));
        header(out, "edgeverify_server_devices_silent", "Active devices not seen for silentAfterSeconds.", "gauge");
        sample(out, "edgeverify_server_devices_silent", "", std::to_string(fleet->silent));
        header(out, "edgeverify_server_devices_compliant",
               "Active devices whose newest device report has no alarm and only admitted images.", "gauge");
        sample(out, "edgeverify_server_devices_compliant", "", std::to_string(fleet->compliant));
        header(out, "edgeverify_server_rejections_last_24h",
               "Verification reports of images not admitted in the last 24 hours.", "gauge");
        sample(out, "edgeverify_server_rejections_last_24h", "", std::to_string(fleet->rejections_last_24h));
    }
    header(out, "edgeverify_server_build_info", "The running edgeverify-server.", "gauge");
    sample(out, "edgeverify_server_build_info", "version=\"" + escaped(version) + "\"", "1");
    return out;
}

}  // namespace edgeverify::server
