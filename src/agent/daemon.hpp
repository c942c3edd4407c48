// The agent daemon (docs/agent.md): one libuv loop with the inbox watch and rescans, one install
// child at a time, reconciliation and device reports on the thread pool between installs,
// signals for a clean stop, and the uploader.
#pragma once

#include <uv.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent_config.hpp"
#include "edgeverify/report.hpp"
#include "edgeverify/state.hpp"
#include "inbox.hpp"
#include "inbox_watch.hpp"
#include "install_runner.hpp"
#include "reconcile.hpp"
#include "uploader_link.hpp"

namespace edgeverify::agent {

class Daemon {
public:
    explicit Daemon(AgentConfig config);
    // Runs until SIGTERM/SIGINT. 0 after a clean stop; 3 when the state directory cannot be
    // prepared; 2 when the uploader's configuration is refused.
    int run();

private:
    struct Job {
        uv_work_t work{};
        Daemon* daemon = nullptr;
        bool with_report = false;
        std::vector<DeviceReport::Alarm> carried;  // alarms waiting for this report
        Reconciliation result;
        std::optional<std::uint64_t> sequence;
        std::optional<Error> report_error;
        std::optional<Error> audit_error;  // the report was queued, marking its floor audit failed
    };

    void start_timers();
    void rescan();
    void on_inbox_event(const std::string& name, Arrival arrival, bool is_marker);
    void kick();
    void start_install(const std::string& name);
    void on_install_done(const std::string& name, InstallResult result);
    void finish_bundle(const std::string& name);
    void retry_later(const std::string& name, const std::string& why);
    void quarantine_entry(const std::string& name, const std::string& reason);
    void prune_quarantine_now();
    void start_job();
    void on_job_done(Job& job);
    void begin_shutdown(int signal);
    void maybe_finish_shutdown();
    void arm_retry_timer();

    AgentConfig config_;
    StateDirectory state_;
    uv_loop_t loop_{};
    uv_signal_t sigterm_{};
    uv_signal_t sigint_{};
    uv_timer_t scan_timer_{};
    uv_timer_t reconcile_timer_{};
    uv_timer_t report_timer_{};
    uv_timer_t retry_timer_{};
    uv_timer_t grace_timer_{};
    InboxWatcher watcher_;
    InboxTracker tracker_;
    InstallRunner runner_;
    UploaderLink uploader_;
    std::map<std::string, std::chrono::seconds> backoff_;
    std::optional<Job> job_;
    bool job_running_ = false;
    bool reconcile_due_ = true;
    bool report_due_ = true;
    bool install_turn_ = false;  // after a job, a ready bundle goes before the next job
    std::vector<DeviceReport::Alarm> pending_alarms_;
    std::set<std::string> logged_alarms_;
    std::string last_trust_digest_;
    bool stopping_ = false;
    bool uploader_stopped_ = false;
    bool closing_ = false;
};

}  // namespace edgeverify::agent
