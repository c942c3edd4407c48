// Wiring of the uploader into the daemon (uploader_link.hpp): the only place the daemon calls
// Uploader (uploader.hpp).
#include "uploader_link.hpp"

#include "event_log.hpp"
#include "uploader.hpp"

namespace edgeverify::agent {

UploaderLink::UploaderLink() = default;
UploaderLink::~UploaderLink() = default;

Status UploaderLink::start(uv_loop_t* loop, const AgentConfig& config, const StateDirectory& state) {
    if (!config.server) {
        log_event(LogLevel::info, "uploader", "disabled", {{"reason", "no server in agent.json"}});
        return {};
    }
    auto created = Uploader::create(loop, *config.server, state);
    if (!created) return created.take_error();
    uploader_ = std::move(*created);
    uploader_->start();
    return {};
}

void UploaderLink::notify_enqueued() {
    if (uploader_) uploader_->notify_enqueued();
}

void UploaderLink::stop(std::function<void()> stopped) {
    if (!uploader_) {
        stopped();
        return;
    }
    uploader_->stop(std::move(stopped));
}

std::vector<DeviceReport::Alarm> refused_report_alarms(const StateDirectory& state) {
    std::vector<DeviceReport::Alarm> alarms;
    auto refused = list_refused_reports(state);
    if (!refused) {
        alarms.push_back({"report-refused", "cannot list outbox/refused: " + refused.error().message, std::nullopt});
        return alarms;
    }
    for (const auto& r : *refused) {
        alarms.push_back({"report-refused",
                          "report " + std::to_string(r.sequence) + " refused by the server (" + std::to_string(r.status) +
                              " " + r.code + "): " + r.message,
                          std::nullopt});
    }
    return alarms;
}

}  // namespace edgeverify::agent
