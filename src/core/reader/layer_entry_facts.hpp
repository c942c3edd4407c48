// One layer tar entry -> LayerFacts: counts, findings (setuid, devices, escaping links, whiteouts...)
// and the presence of files later rules look for (etc/passwd, package databases).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/layer_scan.hpp"

namespace edgeverify::tar {

struct EntryView {
    unsigned char type;     // tar typeflag: '0' file, '1' hard link, '2' symlink, '5' directory...
    std::string_view name;  // normalized by normalize_entry_path
    std::string_view link;  // link target as in the archive
    std::int64_t mode;
    std::int64_t dev_major;
    std::int64_t dev_minor;
};

// Strips leading "./", collapses "//" and drops a trailing "/"; the archive root becomes ".".
void normalize_entry_path(std::string& path);

// Records the entry's counts and findings; an entry at one of `watched_paths` is a watched_path finding.
void record_entry_facts(const EntryView& entry, LayerFacts& facts,
                        const std::vector<std::string>& watched_paths = {});

}  // namespace edgeverify::tar
