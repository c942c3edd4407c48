// Wiring of the uploader into the daemon (uploader_link.hpp). Until src/agent/uploader.cpp is
// committed this stays a stand-in that starts nothing: reports wait in the outbox.
#include "uploader_link.hpp"

#include "event_log.hpp"
#include "uploader.hpp"

namespace edgeverify::agent {

UploaderLink::UploaderLink() = default;
UploaderLink::~UploaderLink() = default;

Status UploaderLink::start(uv_loop_t*, const AgentConfig& config, const StateDirectory&) {
    log_event(LogLevel::warning, "uploader", "disabled",
              {{"reason", config.server ? "the uploader is not built yet" : "no server in agent.json"}});
    return {};
}

void UploaderLink::notify_enqueued() {}

void UploaderLink::stop(std::function<void()> stopped) { stopped(); }

std::vector<DeviceReport::Alarm> refused_report_alarms(const StateDirectory&) { return {}; }

}  // namespace edgeverify::agent
