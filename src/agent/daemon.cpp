// The daemon's loop: start-up housekeeping, signals, timers, the work queue (one install or one
// reconciliation at a time) and the clean stop (daemon.hpp). Installs: daemon_install.cpp.
#include "daemon.hpp"

#include <signal.h>

#include "device_reporter.hpp"
#include "edgeverify/rules.hpp"
#include "event_log.hpp"
#include "quarantine.hpp"

namespace edgeverify::agent {
namespace {

constexpr std::string_view kComponent = "agent";

uint64_t ms(std::chrono::seconds s) { return static_cast<uint64_t>(s.count()) * 1000; }

std::string alarm_key(const DeviceReport::Alarm& a) {
    return a.kind + " " + (a.digest ? a.digest->str() : a.message);
}

}  // namespace

Daemon::Daemon(AgentConfig config) : config_(std::move(config)), state_{config_.state_dir} {}

int Daemon::run() {
    if (auto s = prepare_state_directory(state_); !s) {
        log_event(LogLevel::error, kComponent, "state-directory-unusable", {{"error", s.error().message}});
        return 3;
    }
    ::signal(SIGPIPE, SIG_IGN);
    uv_loop_init(&loop_);
    log_event(LogLevel::info, kComponent, "starting",
              {{"version", EDGEVERIFY_VERSION}, {"stateDir", config_.state_dir}, {"trustDir", config_.trust_dir}});
    for (const auto& name : remove_stale_staging(state_)) {
        log_event(LogLevel::warning, "staging", "removed-leftover", {{"entry", name}});
    }
    prune_quarantine_now();
    if (auto s = uploader_.start(&loop_, config_, state_); !s) {
        log_event(LogLevel::error, "uploader", "config-refused", {{"error", s.error().message}});
        uv_loop_close(&loop_);
        return 2;
    }
    uv_signal_init(&loop_, &sigterm_);
    uv_signal_init(&loop_, &sigint_);
    sigterm_.data = sigint_.data = this;
    const auto on_signal = [](uv_signal_t* h, int signum) { static_cast<Daemon*>(h->data)->begin_shutdown(signum); };
    uv_signal_start(&sigterm_, on_signal, SIGTERM);
    uv_signal_start(&sigint_, on_signal, SIGINT);
    if (auto s = watcher_.start(&loop_, state_.inbox(),
                                [this](const std::string& n, Arrival a, bool m) { on_inbox_event(n, a, m); },
                                [this] { rescan(); });
        !s) {
        log_event(LogLevel::warning, "inbox", "no-watch", {{"error", s.error().message}, {"fallback", "rescans only"}});
    }
    start_timers();
    rescan();
    kick();
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
    log_event(LogLevel::info, kComponent, "stopped");
    return 0;
}

void Daemon::start_timers() {
    for (uv_timer_t* t : {&scan_timer_, &reconcile_timer_, &report_timer_, &retry_timer_, &grace_timer_}) {
        uv_timer_init(&loop_, t);
        t->data = this;
    }
    uv_timer_start(&scan_timer_, [](uv_timer_t* t) { static_cast<Daemon*>(t->data)->rescan(); },
                   ms(config_.inbox_scan_interval), ms(config_.inbox_scan_interval));
    uv_timer_start(&reconcile_timer_, [](uv_timer_t* t) {
        auto* d = static_cast<Daemon*>(t->data);
        d->reconcile_due_ = true;
        d->kick();
    }, ms(config_.reconcile_interval), ms(config_.reconcile_interval));
    uv_timer_start(&report_timer_, [](uv_timer_t* t) {
        auto* d = static_cast<Daemon*>(t->data);
        d->report_due_ = true;
        d->kick();
    }, ms(config_.device_report_interval), ms(config_.device_report_interval));
}

void Daemon::rescan() {
    if (stopping_) return;
    auto scan = scan_inbox(state_.inbox());
    if (!scan) {
        log_event(LogLevel::error, "inbox", "scan-failed", {{"error", scan.error().message}});
        return;
    }
    tracker_.saw_scan(scan->bundles, scan->markers, std::chrono::steady_clock::now());
    for (const auto& name : scan->unusable) {
        quarantine_entry(name, "unsafe-path: inbox entry " + name + " is not a regular file or a directory");
    }
    kick();
}

void Daemon::on_inbox_event(const std::string& name, Arrival arrival, bool is_marker) {
    if (stopping_) return;
    if (is_marker) {
        tracker_.saw_marker(name);
        if (!tracker_.is_complete(name)) rescan();  // the bundle was not seen yet
    } else {
        tracker_.saw_event(name, arrival, std::chrono::steady_clock::now());
    }
    kick();
}

void Daemon::kick() {
    if (stopping_ || runner_.running() || job_running_) return;
    // Jobs and installs take turns: a reconciliation that is slow (ctr waiting out its dial
    // timeout while containerd is down) must not starve the inbox, nor the reverse.
    auto ready = tracker_.next_ready(std::chrono::steady_clock::now());
    if ((reconcile_due_ || report_due_) && !(install_turn_ && ready)) {
        install_turn_ = true;
        start_job();
        return;
    }
    if (ready) {
        install_turn_ = false;
        start_install(*ready);
        return;
    }
    arm_retry_timer();
}

void Daemon::arm_retry_timer() {
    auto next = tracker_.next_retry();
    if (!next) return;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - std::chrono::steady_clock::now());
    uv_timer_start(&retry_timer_, [](uv_timer_t* t) { static_cast<Daemon*>(t->data)->kick(); },
                   static_cast<uint64_t>(std::max<std::int64_t>(wait.count(), 0)) + 10, 0);
}

// Reconciliation (and the device report when due) on the thread pool: ctr and fsync block.
void Daemon::start_job() {
    job_.emplace(Job{});  // not emplace(): clang finds Job not default-constructible here
    job_->daemon = this;
    job_->with_report = report_due_;
    job_->carried = pending_alarms_;
    job_->work.data = &*job_;
    reconcile_due_ = report_due_ = false;
    job_running_ = true;
    uv_queue_work(&loop_, &job_->work, [](uv_work_t* w) {
        Job& job = *static_cast<Job*>(w->data);
        const AgentConfig& config = job.daemon->config_;
        job.result = reconcile(config);
        if (!job.with_report) return;
        StateDirectory state{config.state_dir};
        std::vector<DeviceReport::Alarm> extra = job.carried;
        merge_alarms(extra, refused_report_alarms(state));
        const FloorAuditAlarms audit = floor_audit_alarms(state);
        merge_alarms(extra, audit.alarms);
        auto sequence = queue_device_report(state, make_device_report(job.result, extra));
        if (!sequence) {
            job.report_error = sequence.error();
            return;
        }
        job.sequence = *sequence;
        // Only now that the report carrying them is durable in the outbox.
        if (audit.end_offset && !audit.alarms.empty()) {
            if (auto marked = mark_floor_audit_reported(state, *audit.end_offset); !marked) job.audit_error = marked.error();
        }
    }, [](uv_work_t* w, int) {
        Job& job = *static_cast<Job*>(w->data);
        job.daemon->on_job_done(job);
    });
}

void Daemon::on_job_done(Job& job) {
    job_running_ = false;
    const Reconciliation& r = job.result;
    if (r.trust_store_digest != last_trust_digest_) {
        if (!last_trust_digest_.empty()) {
            std::size_t unverified = 0;
            for (const auto& image : r.images) unverified += image.verdict == "unverified";
            log_event(LogLevel::warning, "reconcile", "trust-store-changed",
                      {{"old", last_trust_digest_}, {"new", r.trust_store_digest},
                       {"unverified", std::to_string(unverified)}});
        }
        last_trust_digest_ = r.trust_store_digest;
    }
    for (const auto& alarm : r.alarms) {
        if (!logged_alarms_.insert(alarm_key(alarm)).second) continue;  // logged when first seen
        log_event(LogLevel::warning, "reconcile", alarm.kind,
                  {{"digest", alarm.digest ? alarm.digest->str() : std::string("-")}, {"message", alarm.message}});
    }
    if (!job.with_report) {
        merge_alarms(pending_alarms_, r.alarms);  // kept for the next device report
    } else if (job.sequence) {
        pending_alarms_.clear();
        logged_alarms_.clear();  // a new report period: still-present alarms are logged again
        for (const auto& alarm : r.alarms) logged_alarms_.insert(alarm_key(alarm));
        log_event(LogLevel::info, "report", "device-report-queued",
                  {{"sequence", std::to_string(*job.sequence)}, {"images", std::to_string(r.images.size())},
                   {"alarms", std::to_string(r.alarms.size() + job.carried.size())}});
        if (job.audit_error) {
            log_event(LogLevel::error, "report", "floor-audit-mark-failed",
                      {{"error", job.audit_error->message}, {"effect", "the lowerings are reported again"}});
        }
        uploader_.notify_enqueued();
    } else {
        merge_alarms(pending_alarms_, r.alarms);
        log_event(LogLevel::error, "report", "device-report-failed", {{"error", job.report_error->message}});
    }
    job_.reset();
    if (stopping_) {
        maybe_finish_shutdown();
        return;
    }
    kick();
}

void Daemon::begin_shutdown(int signum) {
    if (stopping_) {  // a second signal: no more grace
        runner_.kill_now();
        return;
    }
    stopping_ = true;
    log_event(LogLevel::info, kComponent, "stopping",
              {{"signal", signum == SIGTERM ? "SIGTERM" : "SIGINT"},
               {"install-running", runner_.running() ? "yes" : "no"}});
    for (uv_timer_t* t : {&scan_timer_, &reconcile_timer_, &report_timer_, &retry_timer_}) uv_timer_stop(t);
    watcher_.close();
    if (runner_.running()) {
        uv_timer_start(&grace_timer_, [](uv_timer_t* t) {
            auto* d = static_cast<Daemon*>(t->data);
            log_event(LogLevel::warning, kComponent, "install-killed-at-shutdown", {{"pid", std::to_string(d->runner_.pid())}});
            d->runner_.kill_now();
        }, ms(config_.shutdown_grace), 0);
    }
    maybe_finish_shutdown();
}

void Daemon::maybe_finish_shutdown() {
    if (!stopping_ || runner_.running() || job_running_ || closing_) return;
    closing_ = true;
    uv_timer_stop(&grace_timer_);
    uploader_.stop([this] {
        // Every handle left is ours: close them all so uv_run returns.
        uv_walk(&loop_, [](uv_handle_t* h, void*) {
            if (!uv_is_closing(h)) uv_close(h, nullptr);
        }, nullptr);
    });
}

}  // namespace edgeverify::agent
