// Private pieces shared by the two LayoutWriter implementations (layout directory, oci-archive):
// file-system helpers that never follow symlinks and write through a temporary name.
#pragma once

#include <unistd.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/layout_writer.hpp"

struct archive;
struct archive_entry;

namespace edgeverify::reader {

// An owned file descriptor.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            if (fd_ >= 0) ::close(fd_);
            fd_ = other.release();
        }
        return *this;
    }
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

// errno as an Error: ENOENT not_found, EACCES/EPERM permission_denied, ELOOP unsafe_path,
// anything else io_error.
Error errno_error(const std::string& what, int error);

// Opens (optionally creating) directory `name` in `parent` without following a symlink.
Expected<Fd> open_dir_at(int parent, const std::string& name, const std::string& shown, bool create);

// A regular file `name` in `dir` (never through a symlink), or nullopt when absent.
// Larger than max_bytes -> limit_exceeded.
Expected<std::optional<std::string>> read_regular_at(int dir, const std::string& name,
                                                     const std::string& shown, std::size_t max_bytes);

// A new, exclusively created temporary file ".edgeverify-tmp-..." in `dir`.
struct TempFile {
    Fd fd;
    std::string name;
};
Expected<TempFile> create_temp_at(int dir, const std::string& shown);

// Writes all of `bytes` to `fd`.
Status write_all(int fd, std::string_view bytes, const std::string& shown);

// fsyncs `temp`, renames it over `name` in `dir` and fsyncs `dir`; unlinks it on failure.
Status install_temp_at(int dir, TempFile& temp, const std::string& name, const std::string& shown);

// Writes `bytes` to `name` in `dir` atomically (temporary file, fsync, rename, fsync of dir).
Status write_atomically_at(int dir, const std::string& name, std::string_view bytes,
                           const std::string& shown);

// Reads the tar at `fd` from its start, calling `visit(name, entry, archive)` for each entry with
// its name normalized (the visitor may read the entry's data). A compressed archive -> usage;
// a bad entry name -> unsafe_path; more than kMaxArchiveEntries -> limit_exceeded.
using TarEntryVisitor = std::function<Status(const std::string&, struct archive_entry*, struct archive*)>;
Status for_each_tar_entry(int fd, const std::string& shown, const TarEntryVisitor& visit);
// Up to `limit` bytes of the current entry's data; more -> nullopt.
Expected<std::optional<std::string>> read_entry_data(struct archive* in, std::size_t limit,
                                                     const std::string& shown);

std::unique_ptr<LayoutWriter> make_directory_writer(Fd root, std::string shown_root);
Expected<std::unique_ptr<LayoutWriter>> open_archive_writer(const std::string& path,
                                                            std::optional<SourceKind> forced_kind);

}  // namespace edgeverify::reader
