// Quarantine moves and bounds, stale staging cleanup (quarantine.hpp).
#include "quarantine.hpp"

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "edgeverify/clock.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::agent {
namespace fs = std::filesystem;
namespace {

// A file-name-safe form of an inbox name for the quarantine directory's name.
std::string safe_name(const std::string& name) {
    std::string out = name.substr(0, 128);
    for (char& c : out) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
    }
    return out;
}

struct Entry {
    std::string name;
    std::int64_t mtime_ns = 0;
    std::uint64_t bytes = 0;
};

std::uint64_t tree_bytes(const fs::path& path) {
    struct stat top {};
    if (::lstat(path.c_str(), &top) != 0) return 0;
    if (!S_ISDIR(top.st_mode)) return static_cast<std::uint64_t>(top.st_size);
    std::uint64_t bytes = 0;
    std::uint64_t files = 0;
    std::error_code ec;
    fs::recursive_directory_iterator it(path, fs::directory_options::none, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (++files > limits::kMaxQuarantineWalkFiles) return UINT64_MAX;
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) bytes += static_cast<std::uint64_t>(st.st_size);
    }
    return bytes;
}

}  // namespace

Expected<std::string> quarantine_inbox_entry(const StateDirectory& state, const std::string& name,
                                             const std::string& reason) {
    const std::string dir = state.quarantine() + "/" + compact_utc_now() + "-agent-" + safe_name(name);
    std::error_code ec;
    if (!fs::create_directory(dir, ec) || ec) {
        return make_error(Errc::io_error, "cannot create " + dir + ": " + (ec ? ec.message() : "it exists"));
    }
    ::chmod(dir.c_str(), 0700);
    const std::string from = state.inbox() + "/" + name;
    if (::rename(from.c_str(), (dir + "/" + safe_name(name)).c_str()) != 0) {
        const int err = errno;
        fs::remove(dir, ec);
        return make_error(Errc::io_error, "cannot move " + from + " into " + dir + ": " + std::strerror(err));
    }
    if (auto s = write_file_durably(dir + "/reason.txt", reason + "\n", 0600); !s) return s.take_error();
    return dir;
}

Expected<PruneResult> prune_quarantine(const StateDirectory& state, std::size_t max_entries,
                                       std::uint64_t max_bytes) {
    std::vector<Entry> entries;
    std::error_code ec;
    fs::directory_iterator it(state.quarantine(), ec);
    if (ec) return make_error(Errc::io_error, "cannot list " + state.quarantine() + ": " + ec.message());
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0) continue;
        Entry e;
        e.name = it->path().filename().string();
        e.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
        e.bytes = tree_bytes(it->path());
        entries.push_back(std::move(e));
    }
    if (ec) return make_error(Errc::io_error, "cannot list " + state.quarantine() + ": " + ec.message());
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.mtime_ns != b.mtime_ns ? a.mtime_ns < b.mtime_ns : a.name < b.name;
    });
    // Keep the newest entries that fit both bounds; everything older goes.
    PruneResult result;
    std::size_t keep_from = entries.size();
    std::uint64_t kept = 0;
    while (keep_from > 0) {
        const Entry& candidate = entries[keep_from - 1];
        const std::size_t count = entries.size() - keep_from + 1;
        if (count > max_entries || candidate.bytes > max_bytes || kept + candidate.bytes > max_bytes) break;
        kept += candidate.bytes;
        --keep_from;
    }
    for (std::size_t i = 0; i < keep_from; ++i) {
        fs::remove_all(state.quarantine() + "/" + entries[i].name, ec);
        if (!ec) result.removed.push_back(entries[i].name);
    }
    result.kept_entries = entries.size() - keep_from;
    result.kept_bytes = kept;
    return result;
}

std::vector<std::string> remove_stale_staging(const StateDirectory& state) {
    std::vector<std::string> removed;
    std::error_code ec;
    fs::directory_iterator it(state.staging(), ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        // staging/<16-char stamp>-<pid>-<name> (install_staging.cpp).
        const auto first = name.find('-');
        const auto second = first == std::string::npos ? std::string::npos : name.find('-', first + 1);
        long pid = 0;
        if (second != std::string::npos) {
            const std::string digits = name.substr(first + 1, second - first - 1);
            if (!digits.empty() && digits.size() < 10 &&
                std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                pid = std::stol(digits);
            }
        }
        if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;  // still running
        std::error_code remove_ec;
        fs::remove_all(it->path(), remove_ec);
        if (!remove_ec) removed.push_back(name);
    }
    return removed;
}

}  // namespace edgeverify::agent
