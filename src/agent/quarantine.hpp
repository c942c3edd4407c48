// Quarantine and staging housekeeping of the agent (docs/agent.md "Quarantine and staging"):
// moving a refused inbox entry aside with its reason, pruning quarantine to its bounds, and
// removing the staging directories that crashed or killed installs left behind.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/state.hpp"

namespace edgeverify::agent {

// Moves inbox/<name> to quarantine/<UTC stamp>-agent-<name>/<name> and writes reason.txt beside
// it ("<error-code>: <message>\n", the same shape `install` writes). Returns the directory.
Expected<std::string> quarantine_inbox_entry(const StateDirectory& state, const std::string& name,
                                             const std::string& reason);

struct PruneResult {
    std::vector<std::string> removed;  // entry names, oldest first
    std::size_t kept_entries = 0;
    std::uint64_t kept_bytes = 0;
};

// Removes the oldest quarantine entries (by modification time, then name) until at most
// max_entries remain and their files total at most max_bytes. An entry alone over max_bytes is
// removed too. Symlinks are never followed; an entry of more than kMaxQuarantineWalkFiles files
// counts as over max_bytes.
Expected<PruneResult> prune_quarantine(const StateDirectory& state, std::size_t max_entries,
                                       std::uint64_t max_bytes);

// Removes staging/<stamp>-<pid>-<name> directories whose install process is gone (pid not
// alive); a directory of a live process (a manual `edgeverify install`) is left alone.
std::vector<std::string> remove_stale_staging(const StateDirectory& state);

}  // namespace edgeverify::agent
