// ServerMetrics (src/server/metrics.cpp): counts from several threads, and the exposition text
// in Prometheus format 0.0.4 with the metric names of docs/server-api.md.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "server/metrics.hpp"

using namespace edgeverify::server;

namespace {

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

}  // namespace

TEST_CASE("metrics: counters, histogram buckets and gauges render as Prometheus text") {
    ServerMetrics metrics;
    metrics.count_request("operator", 200, 0.003);
    metrics.count_request("operator", 200, 0.2);
    metrics.count_request("operator", 404, 12.0);
    metrics.count_request("no-such-route", 500, 0.0005);
    metrics.count_report("stored");
    metrics.count_report("stored");
    metrics.count_report("replay-conflict");
    metrics.count_report("made-up");  // an unknown code is a server bug: counted as internal
    metrics.set_open_connections(4);
    FleetSummary fleet;
    fleet.pending = 1;
    fleet.active = 40;
    fleet.revoked = 2;
    fleet.silent = 3;
    fleet.compliant = 36;
    fleet.rejections_last_24h = 5;
    const std::string text = metrics.render(fleet, "0.1.0");
    INFO(text);
    CHECK(text.starts_with("# HELP edgeverify_server_requests_total HTTP requests answered, by route and status.\n"
                           "# TYPE edgeverify_server_requests_total counter\n"
                           "edgeverify_server_requests_total{route=\"operator\",status=\"200\"} 2\n"
                           "edgeverify_server_requests_total{route=\"operator\",status=\"404\"} 1\n"
                           "edgeverify_server_requests_total{route=\"other\",status=\"500\"} 1\n"
                           "# HELP edgeverify_server_request_duration_seconds"));
    for (const char* line : {
             "# TYPE edgeverify_server_request_duration_seconds histogram",
             "edgeverify_server_request_duration_seconds_bucket{route=\"operator\",le=\"0.001\"} 0",
             "edgeverify_server_request_duration_seconds_bucket{route=\"operator\",le=\"0.0025\"} 0",
             "edgeverify_server_request_duration_seconds_bucket{route=\"operator\",le=\"0.005\"} 1",
             "edgeverify_server_request_duration_seconds_bucket{route=\"operator\",le=\"0.25\"} 2",
             "edgeverify_server_request_duration_seconds_bucket{route=\"operator\",le=\"10\"} 2",
             "edgeverify_server_request_duration_seconds_bucket{route=\"operator\",le=\"+Inf\"} 3",
             "edgeverify_server_request_duration_seconds_sum{route=\"operator\"} 12.203",
             "edgeverify_server_request_duration_seconds_count{route=\"operator\"} 3",
             "edgeverify_server_request_duration_seconds_bucket{route=\"other\",le=\"0.001\"} 1",
             "edgeverify_server_request_duration_seconds_count{route=\"reports\"} 0",
             "# TYPE edgeverify_server_reports_total counter",
             "edgeverify_server_reports_total{result=\"stored\"} 2",
             "edgeverify_server_reports_total{result=\"replay-conflict\"} 1",
             "edgeverify_server_reports_total{result=\"internal\"} 1",
             "edgeverify_server_reports_total{result=\"too-large\"} 0",
             "# TYPE edgeverify_server_connections gauge",
             "edgeverify_server_connections 4",
             "# TYPE edgeverify_server_devices gauge",
             "edgeverify_server_devices{status=\"pending\"} 1",
             "edgeverify_server_devices{status=\"active\"} 40",
             "edgeverify_server_devices{status=\"revoked\"} 2",
             "edgeverify_server_devices_silent 3",
             "edgeverify_server_devices_compliant 36",
             "edgeverify_server_rejections_last_24h 5",
             "# TYPE edgeverify_server_build_info gauge",
             "edgeverify_server_build_info{version=\"0.1.0\"} 1",
         })
        CHECK_MESSAGE(has_line(text, line), line);
    CHECK(text.find("made-up") == std::string::npos);
    CHECK(text.ends_with("edgeverify_server_build_info{version=\"0.1.0\"} 1\n"));
}

TEST_CASE("metrics: without a fleet summary the fleet gauges are left out; label values are escaped") {
    ServerMetrics metrics;
    const std::string text = metrics.render(std::nullopt, "1.0 \"beta\"\\\nx");
    CHECK(text.find("edgeverify_server_devices") == std::string::npos);
    CHECK(text.find("edgeverify_server_requests_total{") == std::string::npos);
    CHECK(has_line(text, "edgeverify_server_build_info{version=\"1.0 \\\"beta\\\"\\\\\\nx\"} 1"));
    CHECK(has_line(text, "edgeverify_server_connections 0"));
}

TEST_CASE("metrics: counts from several threads are all kept") {
    ServerMetrics metrics;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&metrics] {
            for (int i = 0; i < 1000; ++i) {
                metrics.count_request("reports", 200, 0.01);
                metrics.count_report("duplicate");
            }
        });
    for (auto& t : threads) t.join();
    const std::string text = metrics.render(std::nullopt, "x");
    CHECK(has_line(text, "edgeverify_server_requests_total{route=\"reports\",status=\"200\"} 4000"));
    CHECK(has_line(text, "edgeverify_server_reports_total{result=\"duplicate\"} 4000"));
    CHECK(has_line(text, "edgeverify_server_request_duration_seconds_bucket{route=\"reports\",le=\"0.01\"} 4000"));
}
