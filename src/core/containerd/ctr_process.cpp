// A child process with bounded output and a deadline (ctr_process.hpp): the program looked up in
// PATH, posix_spawn in its own process group, two pipes drained with poll(), SIGKILL to the group
// at the deadline.
#include "core/containerd/ctr_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace edgeverify {
namespace {

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    ~Pipe() {
        if (read_end >= 0) ::close(read_end);
        if (write_end >= 0) ::close(write_end);
    }
};

Status open_pipe(Pipe& p) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return make_error(Errc::io_error, std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    p.read_end = fds[0];
    p.write_end = fds[1];
    return {};
}

// Appends what is readable; false at end of file or on error.
bool drain(int fd, std::string& into, std::size_t bound, bool& truncated) {
    char buffer[16384];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;
    const std::size_t room = into.size() < bound ? bound - into.size() : 0;
    const std::size_t kept = static_cast<std::size_t>(n) < room ? static_cast<std::size_t>(n) : room;
    into.append(buffer, kept);
    if (kept < static_cast<std::size_t>(n)) truncated = true;
    return true;
}

// The file posix_spawnp would execute for `program`: itself when it names a path, else the first
// executable regular file of that name in PATH (unset: confstr's default). Empty when there is
// none. Looked up here because POSIX lets posix_spawn report an exec failure as a child that
// exits 127 instead of an error (it does under qemu-user, whose vfork is a fork, and in some
// C libraries): a missing program must be not_found whatever the C library does.
std::string resolve_program(const std::string& program) {
    const auto executable = [](const std::string& path) {
        struct stat st {};
        return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
    };
    if (program.find('/') != std::string::npos) return executable(program) ? program : std::string();
    std::string search;
    if (const char* path = std::getenv("PATH")) {
        search = path;
    } else {
        search.resize(::confstr(_CS_PATH, nullptr, 0));
        if (!search.empty()) ::confstr(_CS_PATH, search.data(), search.size());
        if (!search.empty()) search.pop_back();  // confstr counts the terminating NUL
    }
    std::size_t begin = 0;
    for (;;) {
        const std::size_t end = search.find(':', begin);
        std::string dir = search.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        if (dir.empty()) dir = ".";  // an empty PATH element is the current directory
        const std::string candidate = dir + "/" + program;
        if (executable(candidate)) return candidate;
        if (end == std::string::npos) return {};
        begin = end + 1;
    }
}

}  // namespace

Expected<ProcessResult> run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                    std::size_t max_output_bytes) {
    if (argv.empty() || argv.front().empty()) return make_error(Errc::usage, "no program to run");
    const std::string program = resolve_program(argv.front());
    if (program.empty()) {
        return make_error(Errc::not_found, "cannot run " + argv.front() + ": " + std::strerror(ENOENT));
    }
    Pipe out, err;
    if (auto s = open_pipe(out); !s) return s.take_error();
    if (auto s = open_pipe(err); !s) return s.take_error();

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
    posix_spawn_file_actions_adddup2(&actions, err.write_end, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group, so a timeout kills whatever the child started too.
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);

    std::vector<char*> raw;
    raw.reserve(argv.size() + 1);
    for (const auto& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
    raw.push_back(nullptr);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, &attributes, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) {
        return make_error(spawned == ENOENT || spawned == EACCES ? Errc::not_found : Errc::io_error,
                          "cannot run " + argv.front() + ": " + std::strerror(spawned));
    }
    ::close(out.write_end);
    out.write_end = -1;
    ::close(err.write_end);
    err.write_end = -1;

    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool out_open = true, err_open = true;
    while (out_open || err_open) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        pollfd fds[2] = {{out_open ? out.read_end : -1, POLLIN, 0}, {err_open ? err.read_end : -1, POLLIN, 0}};
        const int ready = ::poll(fds, 2, static_cast<int>(left.count() > 1000 ? 1000 : left.count()));
        if (ready < 0 && errno != EINTR) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            return make_error(Errc::io_error, std::string("poll failed: ") + std::strerror(errno));
        }
        if (ready <= 0) continue;
        if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            out_open = drain(out.read_end, result.out, max_output_bytes, result.stdout_truncated);
        if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
            err_open = drain(err.read_end, result.err, max_output_bytes, result.stderr_truncated);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return make_error(Errc::io_error, std::string("waitpid failed: ") + std::strerror(errno));
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    return result;
}

std::string describe_process_end(const ProcessResult& result, std::chrono::milliseconds timeout) {
    if (result.timed_out) return "timed out after " + std::to_string(timeout.count() / 1000) + " s (killed)";
    if (result.signal != 0) return "killed by signal " + std::to_string(result.signal);
    return "exit " + std::to_string(result.exit_code);
}

}  // namespace edgeverify
