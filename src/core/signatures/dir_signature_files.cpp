// The signature-N files of a containers-image dir: copy (FORMATS.md A.10): read in order from
// signature-1 until the first missing number, each opened without following symbolic links.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "edgeverify/limits.hpp"
#include "edgeverify/signatures.hpp"

namespace edgeverify {
namespace {

// Closes a descriptor on every path out.
struct ScopedFd {
    int fd = -1;
    ~ScopedFd() {
        if (fd >= 0) ::close(fd);
    }
};

Error open_error(const std::string& where, int error) {
    switch (error) {
        case ELOOP:
            return make_error(Errc::unsafe_path, where +
                                                     ": a symbolic link (refused: signature files are opened "
                                                     "without following links)");
        case EACCES:
        case EPERM:
            return make_error(Errc::permission_denied, where + ": permission denied");
        default:
            return make_error(Errc::io_error, where + ": cannot open: " + std::strerror(error));
    }
}

// The bytes of one signature file, at most kMaxJsonDocumentBytes.
Expected<std::string> read_signature_file(int fd, const std::string& where) {
    struct stat info {};
    if (fstat(fd, &info) != 0)
        return make_error(Errc::io_error, where + ": cannot stat: " + std::strerror(errno));
    if (!S_ISREG(info.st_mode)) return make_error(Errc::unsafe_path, where + ": not a regular file");
    if (static_cast<std::uint64_t>(info.st_size) > limits::kMaxJsonDocumentBytes) {
        return make_error(Errc::json_too_large, where + ": " + std::to_string(info.st_size) +
                                                    " bytes exceeds kMaxJsonDocumentBytes (" +
                                                    std::to_string(limits::kMaxJsonDocumentBytes) + ")");
    }
    const int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    std::string bytes;
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return make_error(Errc::io_error, where + ": cannot read: " + std::strerror(errno));
        if (got == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(got));
        if (bytes.size() > limits::kMaxJsonDocumentBytes) {
            return make_error(Errc::json_too_large, where + ": grew past kMaxJsonDocumentBytes while read");
        }
    }
    return bytes;
}

}  // namespace

Expected<std::vector<SignatureCandidate>> find_dir_signature_files(const std::string& dir) {
    ScopedFd directory{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (directory.fd < 0) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR)
            return make_error(Errc::not_found, dir + ": no such directory");
        return open_error(dir, error);
    }
    std::vector<SignatureCandidate> candidates;
    for (std::size_t n = 1;; ++n) {
        const std::string name = "signature-" + std::to_string(n);
        ScopedFd file{::openat(directory.fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)};
        if (file.fd < 0) {
            if (errno == ENOENT) break;
            return open_error(dir + "/" + name, errno);
        }
        if (n > limits::kMaxSignaturesPerImage) {
            return make_error(Errc::limit_exceeded, dir + ": more than kMaxSignaturesPerImage (" +
                                                        std::to_string(limits::kMaxSignaturesPerImage) +
                                                        ") signature files");
        }
        auto bytes = read_signature_file(file.fd, dir + "/" + name);
        if (!bytes) return bytes.take_error();
        auto candidate = parse_containers_signature_file(*bytes, name);
        if (!candidate) {
            // One file that is not a sigstore signature is refused on its own, not the image.
            SignatureCandidate unreadable;
            unreadable.origin = name;
            unreadable.unreadable =
                std::string(errc_name(candidate.error().code)) + ": " + candidate.error().message;
            candidates.push_back(std::move(unreadable));
            continue;
        }
        candidates.push_back(std::move(*candidate));
    }
    return candidates;
}

}  // namespace edgeverify
