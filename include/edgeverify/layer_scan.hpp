// Facts about a layer's tar entries, gathered while the layer streams by (never a second
// read): what later policy rules judge (setuid files, device nodes, escaping links, ...).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify {

enum class FindingKind {
    setuid,               // regular file with the set-user-ID bit
    setgid,               // regular file with the set-group-ID bit
    world_writable,       // file, or directory without the sticky bit, writable by others
    device_node,          // character or block device
    fifo,                 // named pipe
    absolute_path,        // entry name starts with "/" (stripped by extractors, suspicious)
    escaping_path,        // entry name with ".." that leaves the root
    absolute_link,        // symlink whose target is absolute (resolved inside the container root)
    escaping_link,        // symlink or hard link whose target leaves the root through ".."
    whiteout,             // .wh.<name>: deletes a file of a lower layer
    opaque_whiteout,      // .wh..wh..opq: hides a lower directory's content
    watched_path,         // an entry at a path of LayerScanOptions::watched_paths (shells, package managers...)
};
std::string_view finding_kind_name(FindingKind kind);

struct LayerFinding {
    FindingKind kind;
    std::string path;    // entry name as in the tar (normalized: no leading "./")
    std::string detail;  // mode, link target, device numbers...
};

// A small file whose content later stages read (package databases, os-release), captured while
// the layer streams by: at most limits::kMaxCapturedFileBytes of it.
struct CapturedFile {
    std::string path;        // normalized, e.g. "var/lib/dpkg/status"
    std::uint64_t size = 0;  // size in the tar
    std::string content;     // the first bytes, up to the limit or the pass's remaining budget
    bool truncated = false;  // content is shorter than size
};

// What the scanner looks for beyond its fixed findings (image rules, docs/rules.md).
struct LayerScanOptions {
    // Paths (normalized, no leading "/") whose entries become `watched_path` findings: an exact
    // path, or a directory prefix ending in "/" (everything below it).
    std::vector<std::string> watched_paths;
    // Bytes of captured file content left for the whole pass (shared by every layer scanner of
    // it); null: limits::kMaxCapturedBytesPerPass for this scanner alone.
    std::shared_ptr<std::atomic<std::uint64_t>> capture_budget;
};
// The paths watched by default (shells, package managers, download tools): inspect lists them.
const std::vector<std::string>& default_watched_paths();
// The files whose content is captured: package databases and os-release.
bool is_captured_file_path(std::string_view normalized_path);

struct LayerFacts {
    std::uint64_t entries = 0;
    std::uint64_t regular_files = 0;
    std::uint64_t directories = 0;
    std::uint64_t symlinks = 0;
    std::uint64_t hardlinks = 0;
    std::uint64_t whiteouts = 0;
    std::vector<LayerFinding> findings;   // at most limits::kMaxFindingsPerLayer
    std::uint64_t findings_not_listed = 0;  // counted past the limit
    bool has_etc_passwd = false;
    std::vector<std::string> package_databases;  // e.g. "var/lib/dpkg/status", "lib/apk/db/installed"
    std::vector<CapturedFile> captured_files;    // is_captured_file_path() entries, in tar order
};

// Push parser for an uncompressed tar stream (ustar, GNU and PAX): feed it the bytes in any
// chunking; it validates headers (checksum, octal/base-256 numbers, sizes) and records facts.
// The first error sticks: later feeds return it again.
class LayerTarScanner {
public:
    explicit LayerTarScanner(LayerScanOptions options = {});
    ~LayerTarScanner();
    LayerTarScanner(const LayerTarScanner&) = delete;
    LayerTarScanner& operator=(const LayerTarScanner&) = delete;

    Status feed(const void* data, std::size_t length);
    // End of stream: fails unless the archive ended cleanly (end-of-archive blocks, or at
    // least a complete last entry, like GNU tar accepts).
    Status finish();
    const LayerFacts& facts() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Whether a 512-byte block looks like a tar header (valid checksum; ustar magic optional).
bool looks_like_tar_header(const void* block, std::size_t length);

}  // namespace edgeverify
