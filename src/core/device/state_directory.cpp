// Where the state directory is (EDGEVERIFY_STATE_DIR) and making sure it exists, private to the
// agent (mode 0700, not a symlink, not writable by group or others).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "edgeverify/state.hpp"

namespace edgeverify {
namespace {

constexpr mode_t kStateDirectoryMode = 0700;

// Creates `path` (mode 0700) when missing, then checks what is there without following a symlink.
Status ensure_private_directory(const std::string& path) {
    if (::mkdir(path.c_str(), kStateDirectoryMode) != 0 && errno != EEXIST) {
        const int err = errno;
        const Errc code = (err == EACCES || err == EPERM || err == EROFS) ? Errc::permission_denied
                          : err == ENOENT                                    ? Errc::not_found
                                                                             : Errc::io_error;
        return make_error(code, "cannot create state directory " + path + ": " + std::strerror(err));
    }
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
        return make_error(Errc::io_error, "cannot stat state directory " + path + ": " + std::strerror(errno));
    }
    if (S_ISLNK(status.st_mode)) {
        return make_error(Errc::permission_denied, "state directory " + path + " is a symlink: refused");
    }
    if (!S_ISDIR(status.st_mode)) {
        return make_error(Errc::permission_denied, "state directory " + path + " is not a directory");
    }
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
        return make_error(Errc::permission_denied, "state directory " + path + " is writable by group or others (mode " +
                                                       mode + "): the state must not be shared");
    }
    return {};
}

}  // namespace

StateDirectory state_directory_from_env() {
    const char* value = std::getenv("EDGEVERIFY_STATE_DIR");
    if (value != nullptr && *value != '\0') {
        std::string root = value;
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        return StateDirectory{root};
    }
    return StateDirectory{std::string(kDefaultStateDir)};
}

Status prepare_state_directory(const StateDirectory& state) {
    if (state.root.empty()) return make_error(Errc::config, "the state directory path is empty");
    const std::string verdicts_parent = state.root + "/verdicts";
    for (const std::string& path : {state.root, verdicts_parent, state.verdicts(), state.outbox(),
                                    state.staging(), state.quarantine(), state.inbox()}) {
        if (auto ready = ensure_private_directory(path); !ready) return ready;
    }
    return {};
}

}  // namespace edgeverify
