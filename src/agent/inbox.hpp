// The inbox protocol (docs/agent.md "Inbox"): which entries of $stateDir/inbox are complete
// bundles. Pure bookkeeping, no I/O: the watcher and the scanner report what they saw, the
// daemon asks for the next bundle to install.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeverify::agent {

inline constexpr std::string_view kReadyMarkerSuffix = ".ready";

// How an entry came to the agent's attention.
enum class Arrival {
    renamed,          // IN_MOVED_TO: complete at once
    written_in_place, // IN_CREATE / IN_CLOSE_WRITE under its final name: waits for its marker
    found_by_scan,    // present at start or found by a rescan: complete once unchanged for a scan
};

// What a scan saw of an entry: size and newest mtime over its files (bounded walk).
struct EntryFingerprint {
    std::uint64_t bytes = 0;
    std::int64_t newest_mtime_ns = 0;
    std::uint64_t files = 0;
    bool oversized = false;  // over kMaxInboxFingerprintFiles: never stable, needs its marker
    bool operator==(const EntryFingerprint&) const = default;
};

// Names the agent never treats as bundles: empty, "." / "..", hidden (in progress), markers.
bool is_bundle_name(std::string_view name);
// "app.tar.ready" -> "app.tar"; nullopt for a name that is not a marker of a bundle name.
std::optional<std::string> bundle_of_marker(std::string_view name);

class InboxTracker {
public:
    using Clock = std::chrono::steady_clock;

    void saw_event(const std::string& name, Arrival arrival, Clock::time_point now);
    void saw_marker(const std::string& bundle);
    // One rescan's view: every bundle name present with its fingerprint, and the markers.
    void saw_scan(const std::map<std::string, EntryFingerprint>& bundles, const std::vector<std::string>& markers,
                  Clock::time_point now);
    void forget(const std::string& name);  // installed, quarantined or vanished

    bool is_complete(const std::string& name) const;
    // A failed attempt outside the bundle's fault: not before `retry_at`.
    void defer(const std::string& name, Clock::time_point retry_at);
    // The oldest-seen complete bundle whose retry time has come.
    std::optional<std::string> next_ready(Clock::time_point now) const;
    // The earliest retry time among complete bundles that are deferred, for a timer.
    std::optional<Clock::time_point> next_retry() const;
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        Arrival arrival = Arrival::found_by_scan;
        bool marked = false;
        bool stable = false;  // found_by_scan and unchanged between two scans
        std::optional<EntryFingerprint> fingerprint;
        Clock::time_point first_seen{};
        std::uint64_t order = 0;
        std::optional<Clock::time_point> retry_at;
    };
    Entry& entry(const std::string& name, Clock::time_point now);
    std::map<std::string, Entry> entries_;
    std::uint64_t next_order_ = 0;
};

}  // namespace edgeverify::agent
