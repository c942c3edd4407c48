// File-system helpers of the layout writers: directories and files opened relative to the
// layout without following symlinks, and writes through a fsynced temporary name and rename.
#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "layout_writer_impl.hpp"

namespace edgeverify::reader {

Error errno_error(const std::string& what, int error) {
    if (error == ELOOP) {
        return make_error(Errc::unsafe_path,
                          what + ": is a symbolic link; nothing is read or written through one");
    }
    const Errc code = error == ENOENT                       ? Errc::not_found
                      : (error == EACCES || error == EPERM) ? Errc::permission_denied
                                                            : Errc::io_error;
    return make_error(code, what + ": " + std::strerror(error));
}

Expected<Fd> open_dir_at(int parent, const std::string& name, const std::string& shown, bool create) {
    if (create && ::mkdirat(parent, name.c_str(), 0755) != 0 && errno != EEXIST) {
        return errno_error(shown + ": cannot create directory", errno);
    }
    const int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        struct stat st {};
        if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
            return make_error(Errc::unsafe_path,
                              shown + ": is a symbolic link; nothing is read or written through one");
        }
        return errno_error(shown + ": cannot open directory", error);
    }
    return Fd(fd);
}

Expected<std::optional<std::string>> read_regular_at(int dir, const std::string& name,
                                                     const std::string& shown, std::size_t max_bytes) {
    Fd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::optional<std::string>{};
        return errno_error(shown + ": cannot open", errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error(shown + ": cannot stat", errno);
    if (!S_ISREG(st.st_mode)) return make_error(Errc::unsafe_path, shown + ": not a regular file");
    const auto too_large = [&] {
        return make_error(Errc::limit_exceeded,
                          shown + ": larger than " + std::to_string(max_bytes) + " bytes");
    };
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) return too_large();
    std::string bytes;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return errno_error(shown + ": read error", errno);
        if (got == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(got));
        if (bytes.size() > max_bytes) return too_large();
    }
    return std::optional<std::string>(std::move(bytes));
}

Expected<TempFile> create_temp_at(int dir, const std::string& shown) {
    static std::atomic<unsigned> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::string name = ".edgeverify-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(now) + "-" +
                           std::to_string(counter++);
        const int fd =
            ::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0) return TempFile{Fd(fd), std::move(name)};
        if (errno != EEXIST) return errno_error(shown + ": cannot create a temporary file", errno);
    }
    return make_error(Errc::io_error, shown + ": cannot find a free temporary name");
}

Status write_all(int fd, std::string_view bytes, const std::string& shown) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) return errno_error(shown + ": write error", errno);
        done += static_cast<std::size_t>(wrote);
    }
    return {};
}

Status install_temp_at(int dir, TempFile& temp, const std::string& name, const std::string& shown) {
    const auto fail = [&](const std::string& what) {
        const int error = errno;
        ::unlinkat(dir, temp.name.c_str(), 0);
        return errno_error(shown + ": " + what, error);
    };
    if (::fsync(temp.fd.get()) != 0) return fail("fsync failed");
    if (::close(temp.fd.release()) != 0) return fail("close failed");
    if (::renameat(dir, temp.name.c_str(), dir, name.c_str()) != 0) return fail("cannot rename into place");
    if (::fsync(dir) != 0) return errno_error(shown + ": fsync of the directory failed", errno);
    return {};
}

Status write_atomically_at(int dir, const std::string& name, std::string_view bytes,
                           const std::string& shown) {
    auto temp = create_temp_at(dir, shown);
    if (!temp) return temp.take_error();
    if (auto status = write_all(temp->fd.get(), bytes, shown); !status) {
        ::unlinkat(dir, temp->name.c_str(), 0);
        return status;
    }
    return install_temp_at(dir, *temp, name, shown);
}

}  // namespace edgeverify::reader
