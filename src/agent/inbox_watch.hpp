// The inbox on disk: a bounded scan (names, fingerprints, markers) and an inotify watch polled
// by the libuv loop (uv_poll_t), which tells a rename into the inbox from an in-place write.
#pragma once

#include <uv.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "edgeverify/error.hpp"
#include "inbox.hpp"

namespace edgeverify::agent {

struct InboxScan {
    std::map<std::string, EntryFingerprint> bundles;  // regular files and directories
    std::vector<std::string> markers;                 // bundle names that have a .ready marker
    std::vector<std::string> unusable;                // bundle names that are neither (symlink, fifo...)
};

// Lists `inbox` (kMaxInboxEntries names at most; more -> limit_exceeded). A directory's
// fingerprint covers its files kMaxInboxFingerprintFiles deep at most, without following links.
Expected<InboxScan> scan_inbox(const std::string& inbox);

class InboxWatcher {
public:
    // name of the entry, its arrival, or an overflow (name empty): rescan everything.
    using Callback = std::function<void(const std::string& name, Arrival arrival, bool is_marker)>;
    using OverflowCallback = std::function<void()>;

    Status start(uv_loop_t* loop, const std::string& inbox, Callback on_entry, OverflowCallback on_overflow);
    void close();  // closes the poll handle and the inotify descriptor

private:
    static void on_readable(uv_poll_t* handle, int status, int events);
    void drain();

    uv_poll_t poll_{};
    int fd_ = -1;
    bool open_ = false;
    Callback on_entry_;
    OverflowCallback on_overflow_;
};

}  // namespace edgeverify::agent
