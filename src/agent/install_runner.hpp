// Runs one `edgeverify install` as a child process off the loop thread (uv_spawn of
// /proc/self/exe), keeps a bounded copy of its output, and kills it (SIGKILL to its process
// group, by PID) when it runs past the install timeout or past the shutdown grace period.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "agent_config.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify::agent {

struct InstallResult {
    std::int64_t exit_status = -1;
    int term_signal = 0;
    bool timed_out = false;  // killed by the install timeout
    bool killed = false;     // killed by kill_now() (shutdown)
    std::string stdout_text; // at most kMaxInstallOutputBytes
    std::string stderr_text; // at most kMaxInstallOutputBytes
    bool output_cut = false;
};

// The child's argument vector: install SOURCE --json --trust ... (docs/agent.md "Installs").
std::vector<std::string> install_arguments(const AgentConfig& config, const std::string& bundle_path);

class InstallRunner {
public:
    using Done = std::function<void(InstallResult)>;

    // Starts the child; `done` runs on the loop thread once it exited and its pipes closed.
    Status start(uv_loop_t* loop, const AgentConfig& config, const std::string& bundle_path, Done done);
    bool running() const { return running_; }
    int pid() const { return process_.pid; }
    // SIGKILL to the child's process group now (shutdown past its grace).
    void kill_now();

private:
    struct Stream {
        uv_pipe_t pipe{};
        std::string* sink = nullptr;
        InstallRunner* owner = nullptr;
        bool open = false;
    };
    static void on_exit(uv_process_t* process, int64_t exit_status, int term_signal);
    static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
    void kill_group();
    void close_handle(uv_handle_t* handle);
    void maybe_finish();

    uv_process_t process_{};
    uv_timer_t timeout_{};
    Stream out_;
    Stream err_;
    int open_handles_ = 0;
    bool exited_ = false;
    bool running_ = false;
    InstallResult result_;
    Done done_;
};

}  // namespace edgeverify::agent
