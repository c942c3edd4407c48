// Runs a client program (ctr) as a child process without a shell: an argv vector, stdin from
// /dev/null, stdout and stderr captured up to a bound, a deadline after which the child's process
// group is killed, and its exit status as a value.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify {

// Output kept per stream by default (ctr images ls of a busy k8s.io namespace fits easily);
// bytes beyond the bound are read and dropped so the child never blocks on a full pipe.
inline constexpr std::size_t kMaxChildOutputBytes = 4 * 1024 * 1024;

struct ProcessResult {
    int exit_code = -1;           // the child's exit status; -1 when it was killed by a signal
    int signal = 0;               // the signal that ended it, else 0
    bool timed_out = false;       // killed (SIGKILL to its process group) at the deadline
    bool stdout_truncated = false;
    bool stderr_truncated = false;
    std::string out;
    std::string err;

    bool succeeded() const { return exit_code == 0 && !timed_out; }
};

// argv[0] is looked up in PATH when it has no '/'. Errors: usage for an empty argv; not_found when
// the program cannot be found or executed; io_error when pipes or the spawn fail. A child that
// runs and fails is not an error: the result says how it ended.
Expected<ProcessResult> run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                    std::size_t max_output_bytes = kMaxChildOutputBytes);

// "exit 3", "killed by signal 9", "timed out after 300 s": for messages.
std::string describe_process_end(const ProcessResult& result, std::chrono::milliseconds timeout);

}  // namespace edgeverify
