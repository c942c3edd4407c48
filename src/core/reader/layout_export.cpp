// export_layout_as_oci_archive (layout_export.hpp): a pax tar of a layout directory written with
// libarchive, every file opened with O_NOFOLLOW and copied in chunks.
#include "edgeverify/layout_export.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "edgeverify/limits.hpp"

namespace edgeverify {
namespace {

struct WriteCloser {
    void operator()(struct archive* a) const { archive_write_free(a); }
};
using WriteArchive = std::unique_ptr<struct archive, WriteCloser>;

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

Error io(const std::string& what, int err) { return make_error(Errc::io_error, what + ": " + std::strerror(err)); }

Status add_file(struct archive* out, const std::string& root, const std::string& name) {
    const std::string path = root + "/" + name;
    Fd in{::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
    if (in.fd < 0) {
        if (errno == ELOOP) return make_error(Errc::unsafe_path, path + " is a symlink; it is not exported");
        return io("cannot open " + path, errno);
    }
    struct stat st {};
    if (::fstat(in.fd, &st) != 0) return io("cannot stat " + path, errno);
    if (!S_ISREG(st.st_mode)) return make_error(Errc::unsafe_path, path + " is not a regular file");
    std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                              &archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), st.st_size);
    if (archive_write_header(out, entry.get()) != ARCHIVE_OK) {
        return make_error(Errc::io_error, "cannot write tar header for " + name + ": " + archive_error_string(out));
    }
    std::vector<char> buffer(1 << 16);
    off_t copied = 0;
    for (;;) {
        const ssize_t n = ::read(in.fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io("cannot read " + path, errno);
        if (n == 0) break;
        if (archive_write_data(out, buffer.data(), static_cast<size_t>(n)) != n) {
            return make_error(Errc::io_error, "cannot write " + name + " into the archive: " + archive_error_string(out));
        }
        copied += n;
    }
    if (copied != st.st_size) return make_error(Errc::io_error, path + " changed size while it was exported");
    return {};
}

// Names of the entries of `dir` (no "." or ".."), sorted.
Expected<std::vector<std::string>> list_directory(const std::string& dir) {
    struct DirCloser {
        void operator()(DIR* d) const { ::closedir(d); }
    };
    std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
    if (!d) return io("cannot list " + dir, errno);
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d.get())) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (names.size() >= limits::kMaxArchiveEntries) {
            return make_error(Errc::limit_exceeded, dir + ": more than " + std::to_string(limits::kMaxArchiveEntries) +
                                                        " entries, kMaxArchiveEntries");
        }
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

Status export_layout_as_oci_archive(const std::string& layout_dir, const std::string& archive_path) {
    Fd target{::open(archive_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
    if (target.fd < 0) return io("cannot create " + archive_path, errno);
    WriteArchive out(archive_write_new());
    archive_write_set_format_pax_restricted(out.get());
    archive_write_add_filter_none(out.get());
    if (archive_write_open_fd(out.get(), target.fd) != ARCHIVE_OK) {
        return make_error(Errc::io_error, "cannot start " + archive_path + ": " + archive_error_string(out.get()));
    }
    for (const char* name : {"oci-layout", "index.json"}) {
        if (auto s = add_file(out.get(), layout_dir, name); !s) return s;
    }
    auto algorithms = list_directory(layout_dir + "/blobs");
    if (!algorithms) return algorithms.take_error();
    for (const auto& algorithm : *algorithms) {
        auto blobs = list_directory(layout_dir + "/blobs/" + algorithm);
        if (!blobs) return blobs.take_error();
        for (const auto& blob : *blobs) {
            if (auto s = add_file(out.get(), layout_dir, "blobs/" + algorithm + "/" + blob); !s) return s;
        }
    }
    if (archive_write_close(out.get()) != ARCHIVE_OK) {
        return make_error(Errc::io_error, "cannot finish " + archive_path + ": " + archive_error_string(out.get()));
    }
    if (::fsync(target.fd) != 0) return io("cannot fsync " + archive_path, errno);
    return {};
}

}  // namespace edgeverify
