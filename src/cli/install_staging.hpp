// The staging and quarantine directories of `edgeverify install` (docs/install.md): a private copy
// of the source that is then verified and handed over, and where a refused copy is kept.
#pragma once

#include <string>

#include "edgeverify/clock.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/source.hpp"
#include "edgeverify/state.hpp"

namespace edgeverify::cli {

struct StagedSource {
    std::string directory;  // staging/<timestamp>-<pid>-<name>/, mode 0700
    std::string name;       // the source's file name, for quarantine
    SourceSpec spec;        // the same SOURCE argument, pointing into the copy
    bool is_layout = false; // copied as a layout directory (else one archive file)
};

// Copies SOURCE into a fresh directory under state.staging(): an archive as one regular file
// (staged/<name>), a layout directory as its oci-layout, index.json and blobs/<alg>/<hex>
// (staged/layout/). Symlinks are never followed: one in the source -> Errc::unsafe_path. A
// containers-image dir: copy -> usage (install takes OCI layouts and archives).
Expected<StagedSource> stage_source(const StateDirectory& state, const SourceSpec& source);

// Moves the staged copy to quarantine/<timestamp>-<name>/ with reason.txt holding `reason`.
// Returns the quarantine directory.
Expected<std::string> quarantine_staged(const StateDirectory& state, const StagedSource& staged,
                                        const std::string& reason);

// Removes a directory tree without following symlinks; absent is fine.
void remove_tree(const std::string& path);

}  // namespace edgeverify::cli
