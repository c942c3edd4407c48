// The outbox: signed reports waiting for the server, one durable file per sequence number, and
// the persisted sequence counter that makes every report's number unique across crashes.
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "edgeverify/report.hpp"

namespace edgeverify {
namespace {

constexpr std::size_t kSequenceDigits = 20;  // UINT64_MAX has 20 decimal digits
constexpr std::string_view kReportSuffix = ".json";

// A held flock(2) on a directory, released when it goes out of scope.
class DirectoryLock {
public:
    explicit DirectoryLock(int fd) : fd_(fd) {}
    DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    DirectoryLock& operator=(DirectoryLock&&) = delete;
    DirectoryLock(const DirectoryLock&) = delete;
    ~DirectoryLock() {
        if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
    }
    bool held() const { return fd_ >= 0; }

private:
    int fd_;
};

// `operation` is LOCK_SH or LOCK_EX, possibly with LOCK_NB; a busy non-blocking lock is returned
// as a DirectoryLock that is not held.
Expected<DirectoryLock> lock_directory(const std::string& directory, int operation) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        const Errc code = error == ENOENT                       ? Errc::not_found
                          : (error == EACCES || error == EPERM) ? Errc::permission_denied
                                                                : Errc::io_error;
        return make_error(code, "cannot open " + directory + ": " + std::strerror(error));
    }
    while (::flock(fd, operation) != 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) return DirectoryLock(-1);
        return make_error(Errc::io_error, "cannot lock " + directory + ": " + std::strerror(error));
    }
    return DirectoryLock(fd);
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > kSequenceDigits) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// "<20 digits>.json" -> its sequence number.
std::optional<std::uint64_t> report_sequence(std::string_view name) {
    if (name.size() != kSequenceDigits + kReportSuffix.size() || !name.ends_with(kReportSuffix))
        return std::nullopt;
    const std::string_view digits = name.substr(0, kSequenceDigits);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return parse_decimal(digits);
}

// What write_file_durably leaves behind when a crash interrupts it: ".<name>.tmp-<suffix>".
bool is_leftover_temporary(std::string_view name) {
    return name.starts_with('.') && name.find(".tmp-") != std::string_view::npos;
}

struct OutboxScan {
    std::vector<Outbox::Pending> reports;
    std::vector<std::string> leftovers;  // full paths
    std::vector<std::string> strays;     // names
};

Expected<OutboxScan> scan_outbox(const std::string& directory) {
    DIR* dir = ::opendir(directory.c_str());
    if (dir == nullptr) {
        const int error = errno;
        return make_error(error == ENOENT ? Errc::not_found : Errc::io_error,
                          "cannot read the outbox " + directory + ": " + std::strerror(error));
    }
    OutboxScan scan;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        struct stat status {};
        if (::fstatat(::dirfd(dir), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0)
            continue;                           // gone meanwhile
        if (S_ISDIR(status.st_mode)) continue;  // refused/ and the like: not reports
        const auto sequence = report_sequence(name);
        if (sequence && S_ISREG(status.st_mode)) {
            scan.reports.push_back({*sequence, directory + "/" + name});
        } else if (is_leftover_temporary(name) && S_ISREG(status.st_mode)) {
            scan.leftovers.push_back(directory + "/" + name);
        } else {
            scan.strays.push_back(name);
        }
    }
    const int error = errno;
    ::closedir(dir);
    if (error != 0)
        return make_error(Errc::io_error,
                          "cannot read the outbox " + directory + ": " + std::strerror(error));
    std::sort(scan.reports.begin(), scan.reports.end(),
              [](const Outbox::Pending& a, const Outbox::Pending& b) { return a.sequence < b.sequence; });
    std::sort(scan.strays.begin(), scan.strays.end());
    return scan;
}

}  // namespace

std::string Outbox::path_for(std::uint64_t sequence) const {
    char name[kSequenceDigits + 1];
    std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(sequence));
    return state_.outbox() + "/" + name + std::string(kReportSuffix);
}

Expected<std::uint64_t> Outbox::next_sequence() {
    auto lock = lock_directory(state_.root, LOCK_EX);
    if (!lock) return lock.take_error();
    const std::string path = state_.sequence_file();
    auto stored_text = read_state_file(path, kMaxSequenceFileBytes);
    if (!stored_text) return stored_text.take_error();
    std::uint64_t stored = 0;
    if (stored_text->has_value()) {
        const std::string& text = **stored_text;
        const auto value = text.ends_with('\n')
                               ? parse_decimal(std::string_view(text).substr(0, text.size() - 1))
                               : std::nullopt;
        if (!value || (text.size() > 2 && text[0] == '0')) {
            return make_error(Errc::schema_violation,
                              path +
                                  ": not a sequence number (\"<decimal>\\n\"); refusing to reset it, which "
                                  "could reuse numbers the server has seen");
        }
        stored = *value;
    }
    auto scan = scan_outbox(state_.outbox());
    if (!scan) return scan.take_error();
    const std::uint64_t queued = scan->reports.empty() ? 0 : scan->reports.back().sequence;
    const std::uint64_t last = std::max(stored, queued);
    if (last == std::numeric_limits<std::uint64_t>::max()) {
        return make_error(Errc::limit_exceeded, path + ": the sequence number is exhausted");
    }
    const std::uint64_t next = last + 1;
    if (auto written = write_file_durably(path, std::to_string(next) + "\n", 0600); !written) {
        return written.take_error();
    }
    return next;
}

Status Outbox::enqueue(std::uint64_t sequence, std::string_view envelope) {
    if (sequence == 0) return make_error(Errc::usage, "outbox: sequence 0 is never issued");
    if (envelope.size() > kMaxReportBytes) {
        return make_error(Errc::limit_exceeded, "outbox: a report of " + std::to_string(envelope.size()) +
                                                    " bytes is over kMaxReportBytes (" +
                                                    std::to_string(kMaxReportBytes) + ")");
    }
    // Shared: enqueues may run side by side; pending() cleans temporary files only when no
    // enqueue holds the outbox.
    auto lock = lock_directory(state_.outbox(), LOCK_SH);
    if (!lock) return lock.take_error();
    auto scan = scan_outbox(state_.outbox());
    if (!scan) return scan.take_error();
    if (scan->reports.size() >= kMaxOutboxReports) {
        return make_error(Errc::limit_exceeded, "outbox " + state_.outbox() + " holds " +
                                                    std::to_string(scan->reports.size()) +
                                                    " reports (kMaxOutboxReports): report " +
                                                    std::to_string(sequence) + " is not queued");
    }
    const std::string path = path_for(sequence);
    struct stat status {};
    if (::lstat(path.c_str(), &status) == 0) {
        return make_error(Errc::usage, path + ": already queued; a sequence number is never reused");
    }
    return write_file_durably(path, envelope, 0600);
}

Expected<std::vector<Outbox::Pending>> Outbox::pending() const {
    auto lock = lock_directory(state_.outbox(), LOCK_EX | LOCK_NB);
    if (!lock) return lock.take_error();
    auto scan = scan_outbox(state_.outbox());
    if (!scan) return scan.take_error();
    if (lock->held()) {
        // A temporary file with no enqueue running is what a crash left: its report was never
        // queued (the caller saw no success), so removing it loses nothing.
        for (const auto& leftover : scan->leftovers) {
            if (auto removed = remove_file_durably(leftover); !removed) return removed.take_error();
        }
    }
    if (!scan->strays.empty()) {
        std::string names;
        for (const auto& name : scan->strays) names += (names.empty() ? "" : ", ") + name;
        return make_error(Errc::schema_violation,
                          "outbox " + state_.outbox() + " holds files that are not reports: " + names +
                              " (edgeverify never deletes what it did not write; move them away)");
    }
    return std::move(scan->reports);
}

Expected<std::string> Outbox::read(std::uint64_t sequence) const {
    const std::string path = path_for(sequence);
    auto bytes = read_state_file(path, kMaxReportBytes);
    if (!bytes) return bytes.take_error();
    if (!bytes->has_value()) return make_error(Errc::not_found, path + ": no such report in the outbox");
    return std::move(**bytes);
}

Status Outbox::acknowledge(std::uint64_t sequence) {
    return remove_file_durably(path_for(sequence));
}

}  // namespace edgeverify
