// Inbox completeness rules (inbox.hpp, docs/agent.md "Inbox").
#include "inbox.hpp"

namespace edgeverify::agent {

bool is_bundle_name(std::string_view name) {
    if (name.empty() || name.front() == '.') return false;
    return !(name.size() >= kReadyMarkerSuffix.size() && name.ends_with(kReadyMarkerSuffix));
}

std::optional<std::string> bundle_of_marker(std::string_view name) {
    if (name.empty() || name.front() == '.' || !name.ends_with(kReadyMarkerSuffix)) return std::nullopt;
    std::string bundle(name.substr(0, name.size() - kReadyMarkerSuffix.size()));
    if (!is_bundle_name(bundle)) return std::nullopt;
    return bundle;
}

InboxTracker::Entry& InboxTracker::entry(const std::string& name, Clock::time_point now) {
    auto [it, inserted] = entries_.try_emplace(name);
    if (inserted) {
        it->second.first_seen = now;
        it->second.order = next_order_++;
    }
    return it->second;
}

void InboxTracker::saw_event(const std::string& name, Arrival arrival, Clock::time_point now) {
    if (!is_bundle_name(name)) return;
    Entry& e = entry(name, now);
    // A rename makes an entry complete whatever was seen before; an in-place write after a
    // rename (a writer reusing the name) makes it wait for its marker again.
    e.arrival = arrival;
    e.stable = false;
    e.fingerprint.reset();
}

void InboxTracker::saw_marker(const std::string& bundle) {
    auto it = entries_.find(bundle);
    if (it != entries_.end()) it->second.marked = true;
}

void InboxTracker::saw_scan(const std::map<std::string, EntryFingerprint>& bundles,
                            const std::vector<std::string>& markers, Clock::time_point now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        it = bundles.count(it->first) ? std::next(it) : entries_.erase(it);  // vanished
    }
    for (const auto& [name, fingerprint] : bundles) {
        if (!is_bundle_name(name)) continue;
        Entry& e = entry(name, now);
        if (e.arrival == Arrival::found_by_scan) {
            e.stable = !fingerprint.oversized && e.fingerprint.has_value() && *e.fingerprint == fingerprint;
            e.fingerprint = fingerprint;
        }
        e.marked = false;
    }
    for (const auto& marker : markers) saw_marker(marker);
}

void InboxTracker::forget(const std::string& name) { entries_.erase(name); }

bool InboxTracker::is_complete(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) return false;
    const Entry& e = it->second;
    if (e.marked || e.arrival == Arrival::renamed) return true;
    return e.arrival == Arrival::found_by_scan && e.stable;
}

void InboxTracker::defer(const std::string& name, Clock::time_point retry_at) {
    auto it = entries_.find(name);
    if (it != entries_.end()) it->second.retry_at = retry_at;
}

std::optional<std::string> InboxTracker::next_ready(Clock::time_point now) const {
    const std::string* best = nullptr;
    std::uint64_t best_order = 0;
    for (const auto& [name, e] : entries_) {
        if (!is_complete(name) || (e.retry_at && *e.retry_at > now)) continue;
        if (!best || e.order < best_order) {
            best = &name;
            best_order = e.order;
        }
    }
    return best ? std::optional<std::string>(*best) : std::nullopt;
}

std::optional<InboxTracker::Clock::time_point> InboxTracker::next_retry() const {
    std::optional<Clock::time_point> earliest;
    for (const auto& [name, e] : entries_) {
        if (!e.retry_at || !is_complete(name)) continue;
        if (!earliest || *e.retry_at < *earliest) earliest = e.retry_at;
    }
    return earliest;
}

}  // namespace edgeverify::agent
