// A directory source, read lazily: an OCI image layout or a containers-image `dir:` copy. A file
// is streamed the first time it is asked for (only what integrity asks for is read, so
// kMaxKeptDocumentBytes, a bound on archive passes, does not apply).
// Paths are resolved component by component under the layout's directory descriptor without
// following symbolic links, so a blob cannot point outside the layout.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "blob_scanner.hpp"
#include "sources.hpp"

namespace edgeverify::reader {

namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1) : fd_(fd) {}
    ~FileDescriptor() { reset(); }
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

constexpr std::string_view kNoFollowNote = " (refused: blobs are opened without following links)";

class LayoutSource final : public BlobSource {
public:
    LayoutSource(SourceKind kind, int directory_fd, std::string root, const ScanOptions& options)
        : kind_(kind),
          directory_(directory_fd),
          root_(std::move(root)),
          options_(options),
          progress_(options.progress, 0) {}

    SourceKind kind() const override { return kind_; }

    Expected<const BlobRecord*> file(std::string_view path) override {
        auto normalized = normalize_source_path(path);
        if (!normalized) return normalized.take_error();
        if (auto found = records_.find(*normalized); found != records_.end()) return &found->second;

        auto fd = open_regular_file(*normalized);
        if (!fd) return fd.take_error();
        auto record = scan_fd(fd->get(), *normalized, algorithm_for_path(*normalized), options_,
                              [this](std::size_t length) {
                                  bytes_read_ += length;
                                  progress_.advance(length);
                              });
        if (!record) return record.take_error();
        auto [inserted, unused] = records_.emplace(*normalized, std::move(*record));
        return &inserted->second;
    }

    Expected<std::uint64_t> file_size(std::string_view path) override {
        auto normalized = normalize_source_path(path);
        if (!normalized) return normalized.take_error();
        if (auto found = records_.find(*normalized); found != records_.end()) return found->second.size;
        auto fd = open_regular_file(*normalized);
        if (!fd) return fd.take_error();
        struct stat info {};
        if (fstat(fd->get(), &info) != 0) {
            return make_error(Errc::io_error, *normalized + ": cannot stat: " + std::strerror(errno));
        }
        return static_cast<std::uint64_t>(info.st_size);
    }

    bool has_file(std::string_view path) override {
        auto normalized = normalize_source_path(path);
        if (!normalized) return false;
        if (records_.contains(*normalized)) return true;
        return open_regular_file(*normalized).has_value();
    }

    Expected<std::vector<std::string>> list_files(std::string_view prefix) override {
        auto normalized = normalize_source_path(prefix);
        if (!normalized) return normalized.take_error();
        auto directory = open_directory(*normalized);
        if (!directory) {
            if (directory.error().code == Errc::blob_missing) return std::vector<std::string>{};
            return directory.take_error();
        }
        DIR* stream = ::fdopendir(directory->get());
        if (stream == nullptr) {
            return make_error(Errc::io_error, *normalized + ": cannot list: " + std::strerror(errno));
        }
        directory->release();  // closedir closes it
        std::vector<std::string> paths;
        Status status;
        while (const dirent* entry = ::readdir(stream)) {
            const std::string name = entry->d_name;
            if (name == "." || name == "..") continue;
            struct stat info {};
            if (fstatat(::dirfd(stream), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISREG(info.st_mode))
                continue;
            if (paths.size() == limits::kMaxArchiveEntries) {
                status = make_error(Errc::limit_exceeded, *normalized + ": more than " +
                                                              std::to_string(limits::kMaxArchiveEntries) +
                                                              " files, kMaxArchiveEntries");
                break;
            }
            paths.push_back(*normalized + "/" + name);
        }
        ::closedir(stream);
        if (!status) return status.take_error();
        std::sort(paths.begin(), paths.end());
        return paths;
    }

    std::uint64_t bytes_read() const override { return bytes_read_; }

private:
    // Opens a directory of the layout, every component with O_NOFOLLOW.
    Expected<FileDescriptor> open_directory(const std::string& path) const {
        FileDescriptor current;
        int parent = directory_.get();
        std::size_t start = 0;
        for (;;) {
            const auto slash = path.find('/', start);
            const std::string component = path.substr(start, slash - start);
            FileDescriptor next(
                ::openat(parent, component.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY));
            if (next.get() < 0) return open_error(path, component, false, errno, parent);
            current = std::move(next);
            parent = current.get();
            if (slash == std::string::npos) return current;
            start = slash + 1;
        }
    }

    Error open_error(const std::string& path, const std::string& component, bool last, int error,
                     int parent_fd) const {
        if (error == ELOOP || error == ENOTDIR) {
            struct stat info {};
            if (fstatat(parent_fd, component.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISLNK(info.st_mode)) {
                const std::string what = last ? "" : " directory " + component;
                return make_error(Errc::unsafe_path,
                                  path + ":" + what + " is a symbolic link" + std::string(kNoFollowNote));
            }
        }
        switch (error) {
            case ENOENT:
            case ENOTDIR:
                return make_error(Errc::blob_missing,
                                  path + ": no such file in the " + what_am_i() + " " + root_);
            case EACCES:
            case EPERM:
                return make_error(Errc::permission_denied, path + ": permission denied");
            default:
                return make_error(Errc::io_error, path + ": cannot open: " + std::strerror(error));
        }
    }

    std::string what_am_i() const { return kind_ == SourceKind::containers_dir ? "dir: copy" : "layout"; }

    // Walks `path` from the layout directory: every directory with O_NOFOLLOW, then the file
    // itself, which must be a regular file (O_NONBLOCK so that a FIFO cannot stall the open).
    Expected<FileDescriptor> open_regular_file(const std::string& path) const {
        FileDescriptor current;
        int parent = directory_.get();
        std::size_t start = 0;
        for (;;) {
            const auto slash = path.find('/', start);
            const std::string component = path.substr(start, slash - start);
            const bool last = slash == std::string::npos;
            const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
            FileDescriptor next(::openat(parent, component.c_str(), flags));
            if (next.get() < 0) return open_error(path, component, last, errno, parent);
            current = std::move(next);
            parent = current.get();
            if (last) break;
            start = slash + 1;
        }
        struct stat info {};
        if (fstat(current.get(), &info) != 0) {
            return make_error(Errc::io_error, path + ": cannot stat: " + std::strerror(errno));
        }
        if (!S_ISREG(info.st_mode)) {
            return make_error(
                Errc::unsafe_path,
                path + ": not a regular file" + std::string(S_ISDIR(info.st_mode) ? " (a directory)" : ""));
        }
        const int flags = fcntl(current.get(), F_GETFL);
        if (flags >= 0) fcntl(current.get(), F_SETFL, flags & ~O_NONBLOCK);
        return current;
    }

    SourceKind kind_;
    FileDescriptor directory_;
    std::string root_;
    ScanOptions options_;
    ProgressReporter progress_;
    std::map<std::string, BlobRecord, std::less<>> records_;
    std::uint64_t bytes_read_ = 0;
};

}  // namespace

std::unique_ptr<BlobSource> make_directory_source(SourceKind kind, int directory_fd, std::string root,
                                                  const ScanOptions& options) {
    return std::make_unique<LayoutSource>(kind, directory_fd, std::move(root), options);
}

}  // namespace edgeverify::reader
