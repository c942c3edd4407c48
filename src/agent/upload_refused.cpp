// outbox/refused/: reports the server refused for good, each beside the server's reason, moved
// there in an order that never leaves a report without a durable name, and listed for alarms.
#include "upload_refused.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"

namespace edgeverify::agent {
namespace {

constexpr std::size_t kSequenceDigits = 20;
constexpr std::string_view kReportSuffix = ".json";
constexpr std::string_view kReasonSuffix = ".reason.json";

std::string sequence_name(std::uint64_t sequence) {
    char digits[kSequenceDigits + 1];
    std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(sequence));
    return digits;
}

std::string report_path(const StateDirectory& state, std::uint64_t sequence) {
    return refused_directory(state) + "/" + sequence_name(sequence) + std::string(kReportSuffix);
}

std::string reason_path(const StateDirectory& state, std::uint64_t sequence) {
    return refused_directory(state) + "/" + sequence_name(sequence) + std::string(kReasonSuffix);
}

Error errno_error(int error, const std::string& what) {
    const Errc code = error == ENOENT                                           ? Errc::not_found
                      : (error == EACCES || error == EPERM || error == ELOOP) ? Errc::permission_denied
                                                                                : Errc::io_error;
    return make_error(code, what + ": " + std::strerror(error));
}

Status fsync_directory(const std::string& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno_error(errno, "cannot open " + directory + " to sync it");
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) return errno_error(error, "cannot sync " + directory);
    return {};
}

// refused/ exists, is a real directory of ours and nobody else can write to it.
Status ensure_refused_directory(const StateDirectory& state) {
    const std::string directory = refused_directory(state);
    if (::mkdir(directory.c_str(), 0700) == 0) return fsync_directory(state.outbox());
    if (errno != EEXIST) return errno_error(errno, "cannot create " + directory);
    struct stat status {};
    if (::lstat(directory.c_str(), &status) != 0) return errno_error(errno, "cannot inspect " + directory);
    if (!S_ISDIR(status.st_mode) || (status.st_mode & 022) != 0 || status.st_uid != ::geteuid()) {
        return make_error(Errc::permission_denied,
                          directory + " is not a private directory of this user (a symlink, another "
                                      "file type, or writable by others): refused reports are not moved there");
    }
    return {};
}

std::optional<std::uint64_t> refused_report_sequence(std::string_view name) {
    if (name.size() != kSequenceDigits + kReportSuffix.size() || !name.ends_with(kReportSuffix)) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const char c : name.substr(0, kSequenceDigits)) {
        if (c < '0' || c > '9') return std::nullopt;
        const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
        if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

// The reason file of a listed report; a missing or malformed one still lists it as "unknown".
RefusedReport read_reason(const StateDirectory& state, std::uint64_t sequence) {
    RefusedReport report;
    report.sequence = sequence;
    report.code = "unknown";
    const std::string path = reason_path(state, sequence);
    auto bytes = read_state_file(path, limits::kMaxRefusedReasonFileBytes);
    if (!bytes || !bytes->has_value()) {
        report.message = bytes ? path + " is missing" : bytes.error().message;
        return report;
    }
    auto json = parse_json_strict(**bytes, path);
    const auto member = [&](const char* key) {
        return json && json->is_object() && json->contains(key) ? &json->at(key) : nullptr;
    };
    const Json* status = member("status");
    const Json* code = member("code");
    const Json* message = member("message");
    if (!json || !json->is_object() || !status || !status->is_number_integer() || !code ||
        !code->is_string() || code->get_ref<const std::string&>().empty() || (message && !message->is_string())) {
        report.message = path + " is malformed" + (json ? std::string() : ": " + json.error().message);
        return report;
    }
    const auto value = status->get<std::int64_t>();
    report.status = value >= 0 && value <= 999 ? static_cast<int>(value) : 0;
    report.code = code->get<std::string>();
    if (message) report.message = message->get<std::string>();
    return report;
}

}  // namespace

std::string refused_directory(const StateDirectory& state) { return state.outbox() + "/refused"; }

bool already_refused(const StateDirectory& state, std::uint64_t sequence, std::string_view envelope) {
    auto bytes = read_state_file(report_path(state, sequence), kMaxReportBytes);
    return bytes && bytes->has_value() && **bytes == envelope;
}

Status finish_refusal(const StateDirectory& state, std::uint64_t sequence) {
    return Outbox(state).acknowledge(sequence);
}

Status move_to_refused(const StateDirectory& state, const RefusedReport& reason, std::string_view time) {
    if (auto ready = ensure_refused_directory(state); !ready) return ready;
    const std::string source = Outbox(state).path_for(reason.sequence);
    const std::string target = report_path(state, reason.sequence);
    const Json document = {{"status", reason.status},
                           {"code", reason.code},
                           {"message", reason.message},
                           {"time", std::string(time)}};
    const std::string text = document.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
    if (auto written = write_file_durably(reason_path(state, reason.sequence), text, 0600); !written) {
        return written;
    }
    if (::link(source.c_str(), target.c_str()) != 0) {
        const int error = errno;
        if (error != EEXIST) return errno_error(error, "cannot link " + source + " to " + target);
        auto envelope = read_state_file(source, kMaxReportBytes);
        if (!envelope) return envelope.take_error();
        if (!envelope->has_value()) return make_error(Errc::not_found, source + " vanished");
        if (!already_refused(state, reason.sequence, **envelope)) {
            return make_error(Errc::io_error, target + " already holds a different report; " + source +
                                                  " stays in the outbox (nothing is overwritten)");
        }
    }
    if (auto synced = fsync_directory(refused_directory(state)); !synced) return synced;
    return finish_refusal(state, reason.sequence);
}

Expected<std::vector<RefusedReport>> list_refused_reports(const StateDirectory& state) {
    const std::string directory = refused_directory(state);
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::vector<RefusedReport>{};
        if (errno == ENOTDIR || errno == ELOOP) {
            return make_error(Errc::permission_denied, directory + " is a symlink or not a directory: not read");
        }
        return errno_error(errno, "cannot read " + directory);
    }
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
        const int error = errno;
        ::close(fd);
        return errno_error(error, "cannot read " + directory);
    }
    // The oldest kMaxOutboxReports, kept in bounded memory however many files there are.
    std::set<std::uint64_t> sequences;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
        const auto sequence = refused_report_sequence(entry->d_name);
        if (!sequence) continue;  // reasons, temporary files, anything else
        sequences.insert(*sequence);
        if (sequences.size() > kMaxOutboxReports) sequences.erase(std::prev(sequences.end()));
    }
    const int error = errno;
    ::closedir(dir);
    if (error != 0) return errno_error(error, "cannot read " + directory);
    std::vector<RefusedReport> reports;
    reports.reserve(sequences.size());
    for (const std::uint64_t sequence : sequences) reports.push_back(read_reason(state, sequence));
    return reports;
}

}  // namespace edgeverify::agent
