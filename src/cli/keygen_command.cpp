// `edgeverify keygen --out PREFIX`: an ECDSA P-256 signing key pair, PREFIX.key (PKCS#8 PEM,
// created with mode 0600, never overwritten) and PREFIX.pub (SPKI PEM).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.hpp"
#include "edgeverify/crypto.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kKeygenHelp =
    "usage: edgeverify keygen --out PREFIX\n"
    "\n"
    "Generates an ECDSA P-256 key pair for 'edgeverify sign' (cosign's default key type):\n"
    "PREFIX.key, the private key (unencrypted PKCS#8 PEM, mode 0600), and PREFIX.pub, the public\n"
    "key (SPKI PEM) to put in a trust store's keys/. Existing files are never overwritten.\n"
    "\n"
    "options:\n"
    "  --out PREFIX   where to write PREFIX.key and PREFIX.pub\n"
    "  -h, --help     this help\n"
    "\n"
    "exit status: 0 written, 2 usage error (a file already exists), 3 cannot write\n";

Error file_error(const std::string& path, const std::string& what, int error) {
    if (error == EEXIST) {
        return make_error(
            Errc::usage,
            path + ": already exists; refusing to overwrite it (remove it or choose another --out)");
    }
    const Errc code = error == EACCES || error == EPERM ? Errc::permission_denied
                      : error == ENOENT                 ? Errc::not_found
                                                        : Errc::io_error;
    return make_error(code, path + ": " + what + ": " + std::strerror(error));
}

// Creates `path` exclusively with `mode` and writes `bytes`, fsynced. On failure the file is removed.
Status create_exclusive(const std::string& path, const std::string& bytes, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return file_error(path, "cannot create", errno);
    std::size_t done = 0;
    int error = 0;
    while (done < bytes.size()) {
        const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) {
            error = errno;
            break;
        }
        done += static_cast<std::size_t>(wrote);
    }
    if (error == 0 && ::fchmod(fd, mode) != 0) error = errno;  // whatever the umask said
    if (error == 0 && ::fsync(fd) != 0) error = errno;
    ::close(fd);
    if (error != 0) {
        ::unlink(path.c_str());
        return file_error(path, "write error", error);
    }
    return {};
}

}  // namespace

int run_keygen(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--help", "-h"}, {"--out"}};
    auto parsed = parse_options(args, spec, "keygen");
    if (!parsed) return report_error(parsed.error());
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kKeygenHelp, stdout);
        return 0;
    }
    if (!parsed->positional.empty()) {
        return report_error(make_error(
            Errc::usage, "keygen takes no SOURCE; unexpected '" + parsed->positional.front() + "'"));
    }
    const auto prefix = parsed->value("--out");
    if (!prefix || prefix->empty()) {
        return report_error(
            make_error(Errc::usage, "keygen needs --out PREFIX (see 'edgeverify keygen --help')"));
    }
    const std::string key_path = *prefix + ".key";
    const std::string pub_path = *prefix + ".pub";
    struct stat st {};
    if (::lstat(pub_path.c_str(), &st) == 0) return report_error(file_error(pub_path, "", EEXIST));

    auto key = generate_ecdsa_p256_key();
    if (!key) return report_error(key.error());
    if (auto status = create_exclusive(key_path, key->pkcs8_pem(), 0600); !status) {
        return report_error(status.error());
    }
    if (auto status = create_exclusive(pub_path, key->public_key_pem(), 0644); !status) {
        ::unlink(key_path.c_str());
        return report_error(status.error());
    }
    std::printf("wrote %s (private, mode 0600) and %s (public)\n", key_path.c_str(), pub_path.c_str());
    return 0;
}

}  // namespace edgeverify::cli
