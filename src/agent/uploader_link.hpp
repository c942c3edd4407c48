// The daemon's only contact with the uploader (uploader.hpp): created and started when "server"
// is configured, told about new reports, stopped at shutdown; refused reports become alarms.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <vector>

#include "agent_config.hpp"
#include "edgeverify/report.hpp"
#include "edgeverify/state.hpp"

namespace edgeverify::agent {

class Uploader;

class UploaderLink {
public:
    UploaderLink();
    ~UploaderLink();
    // No "server" in the config: nothing is started and reports stay in the outbox.
    Status start(uv_loop_t* loop, const AgentConfig& config, const StateDirectory& state);
    void notify_enqueued();
    void stop(std::function<void()> stopped);  // `stopped` runs at once when nothing was started

private:
    std::unique_ptr<Uploader> uploader_;
};

// "report-refused" alarms for the reports the server refused for good (outbox/refused/).
std::vector<DeviceReport::Alarm> refused_report_alarms(const StateDirectory& state);

}  // namespace edgeverify::agent
