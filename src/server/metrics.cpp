#include "server/metrics.hpp"

#include <mutex>

namespace edgeverify::server {

struct ServerMetrics::State {
    std::mutex mutex;
};

ServerMetrics::ServerMetrics() : state_(std::make_unique<State>()) {}
ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::count_request(std::string_view /*route*/, int /*status*/, double /*seconds*/) {}
void ServerMetrics::count_report(std::string_view /*result*/) {}
void ServerMetrics::set_open_connections(std::size_t /*count*/) {}

std::string ServerMetrics::render(const std::optional<FleetSummary>& /*fleet*/, std::string_view /*version*/) const {
    return {};
}

}  // namespace edgeverify::server
