// The device identity: an ECDSA P-256 key in the state directory (device.key, PKCS#8 PEM, 0600),
// created once and never replaced, and the id and fingerprint derived from its public key.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "edgeverify/report.hpp"

namespace edgeverify {
namespace {

constexpr std::size_t kDeviceIdHexDigits = 20;

Error errno_error(int error, const std::string& what) {
    const Errc code = (error == EACCES || error == EPERM) ? Errc::permission_denied
                      : error == ENOENT                   ? Errc::not_found
                                                          : Errc::io_error;
    return make_error(code, what + ": " + std::strerror(error));
}

Expected<DeviceIdentity> identity_from_pem(std::string_view pem, const std::string& path) {
    auto key = parse_private_key_pem(pem, path);
    if (!key) return key.take_error();
    if (key->type() != KeyType::ecdsa_p256) {
        return make_error(Errc::unsupported_key, path + ": the device key must be ECDSA P-256, found " +
                                                     std::string(key_type_name(key->type())));
    }
    auto public_key = key->public_key();
    if (!public_key) return public_key.take_error();
    DeviceIdentity identity;
    identity.public_key_pem = key->public_key_pem();
    identity.fingerprint = digest_of(DigestAlgorithm::sha256, public_key->spki_der()).str();
    identity.device_id =
        "ev-" + identity.fingerprint.substr(std::string_view("sha256:").size(), kDeviceIdHexDigits);
    identity.key = std::move(*key);
    return identity;
}

// Reads the key file through one descriptor (no symlink followed), so the permission check and
// the bytes read are about the same file.
Expected<std::string> read_private_key_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return make_error(Errc::not_found, path + ": no device key; run 'edgeverify device init'");
        }
        if (errno == ELOOP) return make_error(Errc::permission_denied, path + ": is a symlink: refused");
        return errno_error(errno, "cannot open device key " + path);
    }
    struct stat status {};
    std::string bytes;
    Status result;
    if (::fstat(fd, &status) != 0) {
        result = errno_error(errno, "cannot stat device key " + path);
    } else if (!S_ISREG(status.st_mode)) {
        result = make_error(Errc::permission_denied, path + ": the device key is not a regular file");
    } else if ((status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
        result = make_error(Errc::permission_denied,
                            path + ": the device key is accessible to group or others (mode " + mode +
                                "); it must be 0600 ('chmod 600 " + path + "' if it was never exposed)");
    } else if (static_cast<std::size_t>(status.st_size) > kMaxDeviceKeyBytes) {
        result = make_error(Errc::limit_exceeded, path + ": larger than kMaxDeviceKeyBytes (" +
                                                      std::to_string(kMaxDeviceKeyBytes) + ")");
    } else {
        char buffer[4096];
        while (bytes.size() <= kMaxDeviceKeyBytes) {
            const ssize_t got = ::read(fd, buffer, sizeof buffer);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) {
                result = errno_error(errno, "cannot read device key " + path);
                break;
            }
            if (got == 0) break;
            bytes.append(buffer, static_cast<std::size_t>(got));
        }
        if (result && bytes.size() > kMaxDeviceKeyBytes) {
            result = make_error(Errc::limit_exceeded, path + ": larger than kMaxDeviceKeyBytes");
        }
    }
    ::close(fd);
    if (!result) return result.take_error();
    return bytes;
}

}  // namespace

Expected<DeviceIdentity> load_device_identity(const StateDirectory& state) {
    const std::string path = state.device_key();
    auto pem = read_private_key_file(path);
    if (!pem) return pem.take_error();
    return identity_from_pem(*pem, path);
}

Expected<DeviceIdentity> init_device_identity(const StateDirectory& state) {
    if (auto ready = prepare_state_directory(state); !ready) return ready.take_error();
    const std::string path = state.device_key();
    struct stat status {};
    if (::lstat(path.c_str(), &status) == 0) return load_device_identity(state);
    if (errno != ENOENT) return errno_error(errno, "cannot stat device key " + path);

    auto key = generate_ecdsa_p256_key();
    if (!key) return key.take_error();
    // Written durably under a private name, then linked into place: link(2) fails when the key
    // appeared meanwhile (another init), so an existing key is never replaced.
    const std::string staged = path + ".new-" + std::to_string(::getpid());
    if (auto written = write_file_durably(staged, key->pkcs8_pem(), 0600); !written)
        return written.take_error();
    const int linked = ::link(staged.c_str(), path.c_str());
    const int link_error = errno;
    if (auto removed = remove_file_durably(staged); !removed) return removed.take_error();
    if (linked != 0 && link_error != EEXIST)
        return errno_error(link_error, "cannot create device key " + path);
    return load_device_identity(state);
}

}  // namespace edgeverify
