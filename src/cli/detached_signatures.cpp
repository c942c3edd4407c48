// Reads --signature/--payload/--bundle/--notation-signature files into signature candidates.
#include "detached_signatures.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/notation.hpp"

namespace edgeverify::cli {
namespace {

// Every detached file is a small document (a payload, a bundle, a base64 signature): the JSON
// document bound covers them all, and a file beyond it is refused by name, never read whole.
constexpr std::size_t kMaxDetachedFileBytes = limits::kMaxJsonDocumentBytes;

Error errno_error(int err, const std::string& flag, const std::string& path) {
    const Errc code = err == ENOENT || err == ENOTDIR ? Errc::not_found
                      : err == EACCES || err == EPERM ? Errc::permission_denied
                                                      : Errc::io_error;
    return make_error(code, flag + " " + path + ": " + std::strerror(err));
}

// The whole regular file at `path`, at most kMaxDetachedFileBytes.
Expected<std::string> read_detached_file(const std::string& flag, const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return errno_error(errno, flag, path);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return errno_error(errno, flag, path);
    if (!S_ISREG(st.st_mode)) return make_error(Errc::io_error, flag + " " + path + ": not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > kMaxDetachedFileBytes) {
        return make_error(Errc::limit_exceeded, flag + " " + path + ": " + std::to_string(st.st_size) +
                                                    " bytes, over kMaxJsonDocumentBytes (" +
                                                    std::to_string(kMaxDetachedFileBytes) + ")");
    }
    std::string content;
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno_error(errno, flag, path);
        }
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
        // The file may grow between fstat and read: the bound holds for what is read.
        if (content.size() > kMaxDetachedFileBytes) {
            return make_error(Errc::limit_exceeded, flag + " " + path + ": over kMaxJsonDocumentBytes (" +
                                                        std::to_string(kMaxDetachedFileBytes) + ")");
        }
    }
    return content;
}

// cosign writes signature files as base64 with a trailing newline; the text is trimmed.
std::string trim_whitespace(const std::string& text) {
    const char* space = " \t\r\n\v\f";
    const auto first = text.find_first_not_of(space);
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(space);
    return text.substr(first, last - first + 1);
}

}  // namespace

Expected<std::vector<SignatureCandidate>> read_detached_signatures(const DetachedSignatureFiles& files) {
    if (files.signature && !files.payload) {
        return make_error(Errc::usage, "--signature needs --payload FILE: the payload the signature is over");
    }
    if (files.payload && !files.signature && !files.bundle) {
        return make_error(Errc::usage, "--payload is what --signature or --bundle signs: give one of them");
    }
    std::optional<std::string> payload;
    if (files.payload) {
        auto read = read_detached_file("--payload", *files.payload);
        if (!read) return read.take_error();
        payload = std::move(*read);
    }
    std::vector<SignatureCandidate> candidates;
    if (files.signature) {
        auto text = read_detached_file("--signature", *files.signature);
        if (!text) return text.take_error();
        const std::string origin = "--signature " + *files.signature;
        auto raw = base64_decode(trim_whitespace(*text), origin);
        // The file is a signature that cannot be decoded, whatever the decoder calls it.
        if (!raw) return make_error(Errc::signature_invalid, raw.error().message);
        SignatureCandidate candidate;
        candidate.kind = CandidateKind::simple_signing;
        candidate.origin = origin;
        candidate.media_type = std::string(cosign::kSimpleSigningMediaType);
        candidate.payload = *payload;
        candidate.signature = std::move(*raw);
        candidates.push_back(std::move(candidate));
    }
    if (files.bundle) {
        auto json = read_detached_file("--bundle", *files.bundle);
        if (!json) return json.take_error();
        SignatureCandidate candidate;
        candidate.kind = CandidateKind::sigstore_bundle;
        candidate.origin = "--bundle " + *files.bundle;
        candidate.payload = std::move(*json);
        candidate.artifact = payload;
        candidates.push_back(std::move(candidate));
    }
    if (files.notation) {
        // Notation's blob-signature file names (FORMATS.md C.1) say which envelope format it is.
        const std::string& path = *files.notation;
        const std::string_view media_type = path.ends_with(".jws.sig")    ? kNotationJwsMediaType
                                            : path.ends_with(".cose.sig") ? kNotationCoseMediaType
                                                                          : std::string_view();
        if (media_type.empty()) {
            return make_error(Errc::usage,
                              "--notation-signature " + path +
                                  ": the file name must end in .jws.sig (JWS) or .cose.sig (COSE)");
        }
        auto envelope = read_detached_file("--notation-signature", path);
        if (!envelope) return envelope.take_error();
        SignatureCandidate candidate;
        candidate.kind = CandidateKind::notation;
        candidate.origin = "--notation-signature " + path;
        candidate.media_type = std::string(media_type);
        candidate.payload = std::move(*envelope);
        candidates.push_back(std::move(candidate));
    }
    return candidates;
}

}  // namespace edgeverify::cli
