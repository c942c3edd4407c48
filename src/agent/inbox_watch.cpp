// Inbox scan and inotify watch (inbox_watch.hpp).
#include "inbox_watch.hpp"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "edgeverify/limits.hpp"

namespace edgeverify::agent {
namespace fs = std::filesystem;
namespace {

std::int64_t mtime_ns(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

void add(EntryFingerprint& f, const struct stat& st) {
    f.bytes += static_cast<std::uint64_t>(st.st_size);
    f.files += 1;
    f.newest_mtime_ns = std::max(f.newest_mtime_ns, mtime_ns(st));
}

EntryFingerprint fingerprint_directory(const std::string& path, const struct stat& top) {
    EntryFingerprint f;
    add(f, top);
    std::error_code ec;
    fs::recursive_directory_iterator it(path, fs::directory_options::none, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0) continue;
        add(f, st);
        // A tree too large to fingerprint is never stable by scan: it needs its marker.
        if (f.files > limits::kMaxInboxFingerprintFiles) {
            f.oversized = true;
            return f;
        }
    }
    return f;
}

}  // namespace

Expected<InboxScan> scan_inbox(const std::string& inbox) {
    InboxScan scan;
    std::error_code ec;
    fs::directory_iterator it(inbox, ec);
    if (ec) return make_error(Errc::io_error, "cannot list the inbox " + inbox + ": " + ec.message());
    std::size_t names = 0;
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        if (++names > limits::kMaxInboxEntries) {
            return make_error(Errc::limit_exceeded, "the inbox " + inbox + " holds more than kMaxInboxEntries (" +
                                                        std::to_string(limits::kMaxInboxEntries) + ") names");
        }
        const std::string name = it->path().filename().string();
        if (auto bundle = bundle_of_marker(name)) {
            scan.markers.push_back(*bundle);
            continue;
        }
        if (!is_bundle_name(name)) continue;
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0) continue;  // gone since the listing
        if (S_ISREG(st.st_mode)) {
            EntryFingerprint f;
            add(f, st);
            scan.bundles[name] = f;
        } else if (S_ISDIR(st.st_mode)) {
            scan.bundles[name] = fingerprint_directory(it->path().string(), st);
        } else {
            scan.unusable.push_back(name);
        }
    }
    if (ec) return make_error(Errc::io_error, "cannot list the inbox " + inbox + ": " + ec.message());
    return scan;
}

Status InboxWatcher::start(uv_loop_t* loop, const std::string& inbox, Callback on_entry,
                           OverflowCallback on_overflow) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) return make_error(Errc::io_error, std::string("inotify_init1: ") + std::strerror(errno));
    const uint32_t mask = IN_MOVED_TO | IN_CREATE | IN_CLOSE_WRITE | IN_ONLYDIR;
    if (::inotify_add_watch(fd_, inbox.c_str(), mask) < 0) {
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        return make_error(Errc::io_error, "cannot watch " + inbox + ": " + std::strerror(err));
    }
    on_entry_ = std::move(on_entry);
    on_overflow_ = std::move(on_overflow);
    if (int rc = uv_poll_init(loop, &poll_, fd_); rc != 0) {
        ::close(fd_);
        fd_ = -1;
        return make_error(Errc::io_error, std::string("uv_poll_init: ") + uv_strerror(rc));
    }
    poll_.data = this;
    open_ = true;
    uv_poll_start(&poll_, UV_READABLE, &InboxWatcher::on_readable);
    return {};
}

void InboxWatcher::on_readable(uv_poll_t* handle, int status, int) {
    auto* self = static_cast<InboxWatcher*>(handle->data);
    if (status < 0) {
        self->on_overflow_();  // rescan: the periodic scan is the safety net anyway
        return;
    }
    self->drain();
}

void InboxWatcher::drain() {
    alignas(struct inotify_event) char buffer[16 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n <= 0) return;  // EAGAIN: drained
        for (ssize_t offset = 0; offset + static_cast<ssize_t>(sizeof(struct inotify_event)) <= n;) {
            const auto* event = reinterpret_cast<const struct inotify_event*>(buffer + offset);
            offset += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
            if (event->mask & IN_Q_OVERFLOW) {
                on_overflow_();
                continue;
            }
            if (event->len == 0) continue;
            const std::string name(event->name, ::strnlen(event->name, event->len));
            if (auto bundle = bundle_of_marker(name)) {
                on_entry_(*bundle, Arrival::written_in_place, true);
                continue;
            }
            on_entry_(name, (event->mask & IN_MOVED_TO) ? Arrival::renamed : Arrival::written_in_place, false);
        }
    }
}

void InboxWatcher::close() {
    if (!open_) return;
    open_ = false;
    uv_poll_stop(&poll_);
    uv_close(reinterpret_cast<uv_handle_t*>(&poll_), [](uv_handle_t* handle) {
        auto* self = static_cast<InboxWatcher*>(handle->data);
        ::close(self->fd_);
        self->fd_ = -1;
    });
}

}  // namespace edgeverify::agent
