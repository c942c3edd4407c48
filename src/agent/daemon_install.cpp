// The daemon's installs (daemon.hpp): one bundle at a time through an `edgeverify install`
// child; installed -> the inbox entry goes, refused -> quarantine, anything outside the bundle's
// fault (containerd down, a full disk, a bad trust store, a timeout) -> retried with backoff.
#include <sys/stat.h>

#include <filesystem>

#include "daemon.hpp"
#include "edgeverify/json.hpp"
#include "event_log.hpp"
#include "quarantine.hpp"

namespace edgeverify::agent {
namespace {

constexpr std::string_view kComponent = "install";

struct ChildAnswer {
    std::string code = "unknown";
    std::string message;
    std::string quarantine;  // where install itself moved its refused staged copy
    std::string images;      // "reference@digest" list for the log
    std::string reports;     // outbox sequence numbers
};

ChildAnswer read_answer(const InstallResult& result) {
    ChildAnswer a;
    auto json = parse_json_strict(result.stdout_text, "install --json output");
    if (!json || !json->is_object()) {
        a.message = result.output_cut ? "install output over kMaxInstallOutputBytes" : "install printed no JSON answer";
        if (!result.stderr_text.empty()) a.message += ": " + result.stderr_text.substr(0, 512);
        return a;
    }
    const Json& d = *json;
    if (d.contains("error") && d["error"].is_object()) {
        a.code = d["error"].value("code", "unknown");
        a.message = d["error"].value("message", "");
    }
    if (d.contains("quarantine") && d["quarantine"].is_string()) a.quarantine = d["quarantine"].get<std::string>();
    if (d.contains("images") && d["images"].is_array()) {
        for (const auto& image : d["images"]) {
            if (!image.is_object()) continue;
            if (!a.images.empty()) a.images += ",";
            a.images += image.value("reference", "?") + "@" + image.value("digest", "?");
        }
    }
    if (d.contains("reports")) a.reports = d["reports"].dump();
    return a;
}

}  // namespace

void Daemon::start_install(const std::string& name) {
    const std::string path = state_.inbox() + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        tracker_.forget(name);  // gone since it was seen
        kick();
        return;
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        quarantine_entry(name, "unsafe-path: inbox entry " + name + " is not a regular file or a directory");
        kick();
        return;
    }
    if (S_ISDIR(st.st_mode) && ::access((path + "/index.json").c_str(), F_OK) != 0) {
        quarantine_entry(name, "usage: inbox entry " + name + " is a directory without index.json, not an OCI layout");
        kick();
        return;
    }
    log_event(LogLevel::info, kComponent, "started", {{"bundle", name}});
    auto started = runner_.start(&loop_, config_, path,
                                 [this, name](InstallResult result) { on_install_done(name, std::move(result)); });
    if (!started) {
        retry_later(name, started.error().message);
        kick();
    }
}

void Daemon::on_install_done(const std::string& name, InstallResult result) {
    const ChildAnswer answer = read_answer(result);
    if (result.killed || result.timed_out) {
        for (const auto& left : remove_stale_staging(state_)) {
            log_event(LogLevel::info, "staging", "removed-leftover", {{"entry", left}});
        }
    }
    if (result.killed) {
        log_event(LogLevel::warning, kComponent, "killed", {{"bundle", name}, {"kept", "in the inbox"}});
    } else if (result.timed_out) {
        retry_later(name, "install ran past install.timeoutSeconds (" + std::to_string(config_.install_timeout.count()) +
                              " s) and was killed");
    } else if (result.term_signal == 0 && result.exit_status == 0) {
        log_event(LogLevel::info, kComponent, "installed",
                  {{"bundle", name}, {"images", answer.images}, {"reports", answer.reports}});
        finish_bundle(name);
    } else if (result.term_signal == 0 && result.exit_status == 1) {
        if (!answer.quarantine.empty()) {
            // install moved the refused bytes it verified to quarantine with reason.txt already.
            log_event(LogLevel::warning, kComponent, "refused",
                      {{"bundle", name}, {"code", answer.code}, {"message", answer.message},
                       {"quarantine", answer.quarantine}});
            finish_bundle(name);
        } else {
            log_event(LogLevel::warning, kComponent, "refused",
                      {{"bundle", name}, {"code", answer.code}, {"message", answer.message}});
            quarantine_entry(name, answer.code + ": " + answer.message);
        }
        prune_quarantine_now();
    } else if (result.term_signal == 0 && result.exit_status == 2 && answer.code == "usage") {
        // Every argument but the bundle is the agent's own, validated at start: a usage error
        // is about the bundle (not a layout, no full reference name), which no retry mends.
        log_event(LogLevel::warning, kComponent, "refused",
                  {{"bundle", name}, {"code", answer.code}, {"message", answer.message}});
        quarantine_entry(name, answer.code + ": " + answer.message);
    } else {
        const std::string how = result.term_signal != 0 ? "signal " + std::to_string(result.term_signal)
                                                        : "exit " + std::to_string(result.exit_status);
        retry_later(name, how + ": " + answer.code + ": " + answer.message);
    }
    uploader_.notify_enqueued();  // install queues a report for every installation and refusal
    if (stopping_) {
        maybe_finish_shutdown();
        return;
    }
    kick();
}

// The bundle is done with: its inbox entry and marker go, its backoff is forgotten.
void Daemon::finish_bundle(const std::string& name) {
    std::error_code ec;
    std::filesystem::remove_all(state_.inbox() + "/" + name, ec);
    if (ec) log_event(LogLevel::error, "inbox", "remove-failed", {{"bundle", name}, {"error", ec.message()}});
    std::filesystem::remove(state_.inbox() + "/" + name + std::string(kReadyMarkerSuffix), ec);
    tracker_.forget(name);
    backoff_.erase(name);
}

void Daemon::retry_later(const std::string& name, const std::string& why) {
    auto& delay = backoff_[name];
    delay = delay.count() == 0 ? config_.install_retry_initial : std::min(delay * 2, config_.install_retry_max);
    tracker_.defer(name, std::chrono::steady_clock::now() + delay);
    log_event(LogLevel::warning, kComponent, "failed-will-retry",
              {{"bundle", name}, {"retry-in-seconds", std::to_string(delay.count())}, {"error", why}});
}

void Daemon::quarantine_entry(const std::string& name, const std::string& reason) {
    auto moved = quarantine_inbox_entry(state_, name, reason);
    if (!moved) {
        log_event(LogLevel::error, "quarantine", "move-failed", {{"bundle", name}, {"error", moved.error().message}});
        retry_later(name, moved.error().message);
        return;
    }
    log_event(LogLevel::warning, "quarantine", "quarantined", {{"bundle", name}, {"reason", reason}, {"path", *moved}});
    std::error_code ec;
    std::filesystem::remove(state_.inbox() + "/" + name + std::string(kReadyMarkerSuffix), ec);
    tracker_.forget(name);
    backoff_.erase(name);
    prune_quarantine_now();
}

void Daemon::prune_quarantine_now() {
    auto pruned = prune_quarantine(state_, config_.quarantine_max_entries, config_.quarantine_max_bytes);
    if (!pruned) {
        log_event(LogLevel::error, "quarantine", "prune-failed", {{"error", pruned.error().message}});
        return;
    }
    for (const auto& entry : pruned->removed) log_event(LogLevel::info, "quarantine", "pruned", {{"entry", entry}});
}

}  // namespace edgeverify::agent
