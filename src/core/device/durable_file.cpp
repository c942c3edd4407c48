// Crash-safe file writes and symlink-safe reads for the state directory (state.hpp): a file
// there holds its old content or its new content after a power cut, never a mix.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "edgeverify/state.hpp"

namespace edgeverify {
namespace {

Error errno_error(int err, const std::string& what) {
    Errc code = Errc::io_error;
    if (err == ENOENT || err == ENOTDIR) code = Errc::not_found;
    if (err == EACCES || err == EPERM || err == EROFS) code = Errc::permission_denied;
    return make_error(code, what + ": " + std::strerror(err));
}

// Closes a descriptor on every path out of a function.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    // close() reports deferred write errors (NFS, quota); it is checked on the write path.
    int close_checked() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

Status fsync_directory(const std::string& directory) {
    FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return errno_error(errno, "cannot open directory " + directory + " to sync it");
    if (::fsync(fd.get()) != 0) return errno_error(errno, "cannot sync directory " + directory);
    return {};
}

std::string temporary_name(const std::string& path) {
    // Reseeded when the process id changes: a forked child must not retry the temporary names a
    // killed sibling (with the same inherited state) left behind.
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    static thread_local pid_t seeded_for = ::getpid();
    if (const pid_t pid = ::getpid(); pid != seeded_for) {
        generator.seed(std::random_device{}());
        seeded_for = pid;
    }
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string suffix;
    for (int i = 0; i < 12; ++i) suffix += kAlphabet[generator() % (sizeof(kAlphabet) - 1)];
    const std::string directory = directory_of(path);
    const std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    return directory + "/." + base + ".tmp-" + suffix;
}

Status write_all(int fd, std::string_view bytes, const std::string& what) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno_error(errno, "cannot write " + what);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// Attempts at a fresh temporary name before giving up (O_EXCL collisions are only possible when
// another writer races on the same file).
constexpr int kTemporaryNameAttempts = 8;

}  // namespace

Status write_file_durably(const std::string& path, std::string_view bytes, mode_t mode) {
    const std::string directory = directory_of(path);
    struct stat dir_status {};
    if (::stat(directory.c_str(), &dir_status) != 0) {
        return errno_error(errno, "cannot write " + path + ": directory " + directory);
    }
    if (!S_ISDIR(dir_status.st_mode)) {
        return make_error(Errc::not_found, "cannot write " + path + ": " + directory + " is not a directory");
    }
    std::string temporary;
    int raw_fd = -1;
    for (int attempt = 0; attempt < kTemporaryNameAttempts && raw_fd < 0; ++attempt) {
        temporary = temporary_name(path);
        raw_fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (raw_fd < 0 && errno != EEXIST) return errno_error(errno, "cannot create " + temporary);
    }
    if (raw_fd < 0) return make_error(Errc::io_error, "cannot create a temporary file next to " + path);
    FileDescriptor fd(raw_fd);
    const auto abandon = [&](Error error) {
        ::unlink(temporary.c_str());
        return error;
    };
    // The umask may have narrowed the mode; the caller's mode is the contract.
    if (::fchmod(fd.get(), mode) != 0) return abandon(errno_error(errno, "cannot set the mode of " + temporary));
    if (auto written = write_all(fd.get(), bytes, temporary); !written) return abandon(written.take_error());
    if (::fsync(fd.get()) != 0) return abandon(errno_error(errno, "cannot sync " + temporary));
    if (fd.close_checked() != 0) return abandon(errno_error(errno, "cannot close " + temporary));
    // rename() replaces a symlink at `path` itself; it never writes through it.
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        return abandon(errno_error(errno, "cannot rename " + temporary + " to " + path));
    }
    return fsync_directory(directory);
}

Expected<std::optional<std::string>> read_state_file(const std::string& path, std::size_t max_bytes) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::optional<std::string>{};
        if (errno == ELOOP) return make_error(Errc::unsafe_path, path + " is a symlink: state files are never followed");
        return errno_error(errno, "cannot open " + path);
    }
    struct stat status {};
    if (::fstat(fd.get(), &status) != 0) return errno_error(errno, "cannot stat " + path);
    if (!S_ISREG(status.st_mode)) return make_error(Errc::unsafe_path, path + " is not a regular file");
    if (static_cast<std::uint64_t>(status.st_size) > max_bytes) {
        return make_error(Errc::limit_exceeded, path + " is " + std::to_string(status.st_size) +
                                                    " bytes, over the limit of " + std::to_string(max_bytes));
    }
    std::string content;
    // One byte more than expected, so that growth past the limit is seen.
    content.resize(std::min(static_cast<std::size_t>(status.st_size), max_bytes) + 1);
    std::size_t used = 0;
    for (;;) {
        if (used == content.size()) {
            if (used > max_bytes) break;
            content.resize(std::min(content.size() * 2, max_bytes + 1));
        }
        const ssize_t n = ::read(fd.get(), content.data() + used, content.size() - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno_error(errno, "cannot read " + path);
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    // The file may have grown after fstat.
    if (used > max_bytes) {
        return make_error(Errc::limit_exceeded, path + " is over the limit of " + std::to_string(max_bytes) + " bytes");
    }
    content.resize(used);
    return std::optional<std::string>{std::move(content)};
}

Status remove_file_durably(const std::string& path) {
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return {};
        return errno_error(errno, "cannot remove " + path);
    }
    return fsync_directory(directory_of(path));
}

}  // namespace edgeverify
