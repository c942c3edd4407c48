// One install child at a time (install_runner.hpp). The child runs in its own session so that a
// kill reaches the ctr processes it started as well.
#include "install_runner.hpp"

#include <signal.h>

#include <cstdlib>
#include <cstring>

#include "edgeverify/limits.hpp"

extern char** environ;

namespace edgeverify::agent {

std::vector<std::string> install_arguments(const AgentConfig& config, const std::string& bundle_path) {
    std::vector<std::string> args{"/proc/self/exe", "install", bundle_path, "--json",
                                  "--trust", config.trust_dir,
                                  "--containerd-address", config.containerd_address,
                                  "--namespace", config.containerd_namespace,
                                  "--ctr", config.ctr};
    if (!config.platform.empty()) {
        args.push_back("--platform");
        args.push_back(config.platform);
    }
    if (!config.unpack) args.push_back("--no-unpack");
    return args;
}

Status InstallRunner::start(uv_loop_t* loop, const AgentConfig& config, const std::string& bundle_path, Done done) {
    result_ = InstallResult{};
    exited_ = false;
    done_ = std::move(done);
    const std::vector<std::string> args = install_arguments(config, bundle_path);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    // The environment of the agent, with EDGEVERIFY_STATE_DIR set to the configured state.
    std::vector<std::string> env_strings{"EDGEVERIFY_STATE_DIR=" + config.state_dir};
    for (char** e = environ; e && *e; ++e) {
        if (std::strncmp(*e, "EDGEVERIFY_STATE_DIR=", 21) != 0) env_strings.emplace_back(*e);
    }
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    uv_pipe_init(loop, &out_.pipe, 0);
    uv_pipe_init(loop, &err_.pipe, 0);
    out_.sink = &result_.stdout_text;
    err_.sink = &result_.stderr_text;
    out_.owner = err_.owner = this;
    out_.open = err_.open = true;
    out_.pipe.data = &out_;
    err_.pipe.data = &err_;
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
    stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(&out_.pipe);
    stdio[2].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
    stdio[2].data.stream = reinterpret_cast<uv_stream_t*>(&err_.pipe);
    uv_process_options_t options{};
    options.file = "/proc/self/exe";
    options.args = argv.data();
    options.env = envp.data();
    options.exit_cb = &InstallRunner::on_exit;
    options.stdio_count = 3;
    options.stdio = stdio;
    options.flags = UV_PROCESS_DETACHED;  // setsid(): its own process group, killed as one
    process_.data = this;
    open_handles_ = 2;
    if (int rc = uv_spawn(loop, &process_, &options); rc != 0) {
        out_.open = err_.open = false;
        uv_close(reinterpret_cast<uv_handle_t*>(&out_.pipe), nullptr);
        uv_close(reinterpret_cast<uv_handle_t*>(&err_.pipe), nullptr);
        uv_close(reinterpret_cast<uv_handle_t*>(&process_), nullptr);
        open_handles_ = 0;
        return make_error(Errc::io_error, std::string("cannot start the install child: ") + uv_strerror(rc));
    }
    running_ = true;
    open_handles_ = 4;  // two pipes, the process, the timer
    const auto alloc = [](uv_handle_t*, size_t, uv_buf_t* buf) {
        static thread_local char buffer[64 * 1024];
        *buf = uv_buf_init(buffer, sizeof buffer);
    };
    uv_read_start(reinterpret_cast<uv_stream_t*>(&out_.pipe), alloc, &InstallRunner::on_read);
    uv_read_start(reinterpret_cast<uv_stream_t*>(&err_.pipe), alloc, &InstallRunner::on_read);
    uv_timer_init(loop, &timeout_);
    timeout_.data = this;
    uv_timer_start(&timeout_, [](uv_timer_t* t) {
        auto* self = static_cast<InstallRunner*>(t->data);
        self->result_.timed_out = true;
        self->kill_group();
    }, static_cast<uint64_t>(config.install_timeout.count()) * 1000, 0);
    return {};
}

void InstallRunner::kill_group() {
    if (!running_ || exited_ || process_.pid <= 0) return;
    // The child called setsid(): its process group id is its pid.
    if (::kill(-process_.pid, SIGKILL) != 0) ::kill(process_.pid, SIGKILL);
}

void InstallRunner::kill_now() {
    if (!running_ || exited_) return;
    result_.killed = true;
    kill_group();
}

void InstallRunner::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto* s = static_cast<Stream*>(stream->data);
    if (nread > 0) {
        const std::size_t room = limits::kMaxInstallOutputBytes - std::min(s->sink->size(), limits::kMaxInstallOutputBytes);
        const std::size_t take = std::min(room, static_cast<std::size_t>(nread));
        s->sink->append(buf->base, take);
        if (take < static_cast<std::size_t>(nread)) s->owner->result_.output_cut = true;
        return;
    }
    if (nread < 0) {  // EOF or error: the child closed its end
        s->open = false;
        s->owner->close_handle(reinterpret_cast<uv_handle_t*>(stream));
    }
}

void InstallRunner::on_exit(uv_process_t* process, int64_t exit_status, int term_signal) {
    auto* self = static_cast<InstallRunner*>(process->data);
    self->exited_ = true;
    self->result_.exit_status = exit_status;
    self->result_.term_signal = term_signal;
    // Grandchildren (ctr) may hold the pipes open after a kill: reap the whole group's output.
    if (term_signal != 0) self->kill_group();
    uv_timer_stop(&self->timeout_);
    self->close_handle(reinterpret_cast<uv_handle_t*>(&self->timeout_));
    self->close_handle(reinterpret_cast<uv_handle_t*>(process));
    if (term_signal != 0) {
        // A killed child's descendants may keep the pipes open: stop waiting for EOF.
        for (Stream* s : {&self->out_, &self->err_}) {
            if (s->open) {
                s->open = false;
                self->close_handle(reinterpret_cast<uv_handle_t*>(&s->pipe));
            }
        }
    }
}

void InstallRunner::close_handle(uv_handle_t* handle) {
    if (uv_is_closing(handle)) return;
    uv_close(handle, [](uv_handle_t* h) {
        InstallRunner* self = nullptr;
        if (h->type == UV_NAMED_PIPE) self = static_cast<Stream*>(h->data)->owner;
        else self = static_cast<InstallRunner*>(h->data);
        --self->open_handles_;
        self->maybe_finish();
    });
}

void InstallRunner::maybe_finish() {
    if (open_handles_ > 0 || !running_) return;
    running_ = false;
    Done done = std::move(done_);
    done_ = nullptr;
    if (done) done(std::move(result_));
}

}  // namespace edgeverify::agent
