// The agent's state directory (DESIGN.md "On the device"): where verdicts, reports, the device
// key and staged images live, and the one way files are written there: durably and atomically.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify {

// Compiled-in defaults; a board profile may change them (boards/README.md).
#ifndef EDGEVERIFY_STATE_DIR_DEFAULT
#define EDGEVERIFY_STATE_DIR_DEFAULT "/var/lib/edgeverify"
#endif
#ifndef EDGEVERIFY_TRUST_DIR_DEFAULT
#define EDGEVERIFY_TRUST_DIR_DEFAULT "/etc/edgeverify/trust"
#endif
inline constexpr std::string_view kDefaultStateDir = EDGEVERIFY_STATE_DIR_DEFAULT;
inline constexpr std::string_view kDefaultTrustDir = EDGEVERIFY_TRUST_DIR_DEFAULT;

struct StateDirectory {
    std::string root;  // "/var/lib/edgeverify"

    std::string verdicts() const { return root + "/verdicts/sha256"; }
    std::string outbox() const { return root + "/outbox"; }
    std::string staging() const { return root + "/staging"; }
    std::string quarantine() const { return root + "/quarantine"; }
    std::string inbox() const { return root + "/inbox"; }
    std::string device_key() const { return root + "/device.key"; }
    std::string sequence_file() const { return root + "/sequence"; }
};

// EDGEVERIFY_STATE_DIR when set and non-empty, else kDefaultStateDir.
StateDirectory state_directory_from_env();

// Creates the root and every subdirectory above that is missing, mode 0700. A root or
// subdirectory that is a symlink, not a directory, or writable by group/others ->
// Errc::permission_denied naming it (the state must not be shared). io_error otherwise.
Status prepare_state_directory(const StateDirectory& state);

// Writes `bytes` to `path` so that after a crash or power cut the file holds either its old
// content or the new one, never a mix: a temporary file in the same directory (O_EXCL), write,
// fsync, rename over `path`, fsync of the directory. The file gets `mode`. The final component
// must not be a symlink (it is replaced, never followed). Errors: io_error (ENOSPC included,
// with the temporary file removed), permission_denied, not_found for a missing directory.
Status write_file_durably(const std::string& path, std::string_view bytes, mode_t mode = 0600);

// Reads a whole small file without following a symlink at the last component. nullopt when it
// does not exist; larger than max_bytes -> limit_exceeded.
Expected<std::optional<std::string>> read_state_file(const std::string& path, std::size_t max_bytes);

// Removes `path` and fsyncs its directory; absent is not an error.
Status remove_file_durably(const std::string& path);

}  // namespace edgeverify
