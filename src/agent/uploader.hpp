// Sends the outbox to the fleet server (docs/reports.md "Upload protocol") on the agent's libuv
// loop: batches in sequence order, backoff with jitter, a batch halved on 413, a report deleted
// only after the server acknowledged it, a report refused for good moved to outbox/refused/.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent_config.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/state.hpp"

namespace edgeverify::agent {

// outbox/refused/<20-digit sequence>.json (the envelope, unchanged) beside
// <20-digit sequence>.reason.json ({"status", "code", "message", "time"} from the server).
struct RefusedReport {
    std::uint64_t sequence = 0;
    int status = 0;
    std::string code;
    std::string message;
};

class Uploader {
public:
    // The HTTP client is created here: a bad CA/certificate/key file is a config error at start.
    static Expected<std::unique_ptr<Uploader>> create(uv_loop_t* loop, UploaderConfig config,
                                                      StateDirectory state);
    virtual ~Uploader() = default;

    // Begins sending what the outbox holds; idempotent.
    virtual void start() = 0;
    // A report was queued: send soon (a backoff in progress is kept, never shortened).
    virtual void notify_enqueued() = 0;
    // Stops timers and any request in flight (its batch stays in the outbox: sent at least once,
    // stored exactly once by the server's (device, sequence) key); `stopped` runs on the loop
    // thread when every handle is closed.
    virtual void stop(std::function<void()> stopped) = 0;

    struct Stats {
        std::uint64_t acknowledged = 0;  // reports deleted after a 2xx item result
        std::uint64_t refused = 0;       // moved to refused/
        std::uint64_t failed_attempts = 0;
    };
    virtual Stats stats() const = 0;
};

// Reports refused for good, oldest first, for the next device report's alarms (bounded by
// kMaxOutboxReports). A reason file that is missing or malformed still lists the report
// (code "unknown").
Expected<std::vector<RefusedReport>> list_refused_reports(const StateDirectory& state);

}  // namespace edgeverify::agent
