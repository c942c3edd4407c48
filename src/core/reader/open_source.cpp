// The front door: checks the SOURCE path, picks the source kind and opens it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sources.hpp"

namespace edgeverify {

namespace {

Error unreadable(const std::string& path, int error) {
    switch (error) {
        case ENOENT:
            return make_error(Errc::not_found, "source " + path + ": no such file or directory");
        case ENOTDIR:
            return make_error(Errc::not_found,
                              "source " + path + ": a component of the path is not a directory");
        case EACCES:
        case EPERM:
            return make_error(Errc::permission_denied, "source " + path + ": permission denied");
        default:
            return make_error(Errc::io_error, "source " + path + ": " + std::strerror(error));
    }
}

bool has_entry(int directory_fd, const char* name) {
    struct stat info {};
    return fstatat(directory_fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0;
}

// A containers-image dir: copy has manifest.json and no OCI layout files; anything else is taken
// for a layout (whose own checks then say what is missing).
SourceKind detect_directory_kind(int directory_fd) {
    if (has_entry(directory_fd, "manifest.json") && !has_entry(directory_fd, "index.json") &&
        !has_entry(directory_fd, "oci-layout")) {
        return SourceKind::containers_dir;
    }
    return SourceKind::oci_layout;
}

}  // namespace

Expected<std::unique_ptr<BlobSource>> open_source(const SourceSpec& spec, const ScanOptions& options) {
    if (spec.path.empty()) return make_error(Errc::usage, "source path is empty");
    const std::string& path = spec.path;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return unreadable(path, errno);

    if (S_ISDIR(info.st_mode)) {
        if (spec.forced_kind && *spec.forced_kind != SourceKind::oci_layout &&
            *spec.forced_kind != SourceKind::containers_dir) {
            return make_error(Errc::usage, "source " + path + " is a directory, but " +
                                               std::string(source_kind_name(*spec.forced_kind)) +
                                               ": names an archive file (use oci:" + path +
                                               " or dir:" + path + ")");
        }
        const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return unreadable(path, errno);
        const SourceKind kind = spec.forced_kind.value_or(detect_directory_kind(fd));
        return reader::make_directory_source(kind, fd, path, options);
    }

    if (!S_ISREG(info.st_mode)) {
        return make_error(Errc::usage, "source " + path + " is neither a directory nor a regular file");
    }
    if (spec.forced_kind == SourceKind::oci_layout || spec.forced_kind == SourceKind::containers_dir) {
        return make_error(Errc::usage, "source " + path + " is a file, but " +
                                           std::string(source_kind_name(*spec.forced_kind)) +
                                           ": names a directory (use oci-archive: or docker-archive:)");
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return unreadable(path, errno);
    auto source = reader::read_archive_source(fd, path, static_cast<std::uint64_t>(info.st_size),
                                              spec.forced_kind, options);
    ::close(fd);
    return source;
}

}  // namespace edgeverify
