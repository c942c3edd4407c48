// Which findings a later layer deletes with a whiteout (image_facts.hpp): the entry is then not
// in the container's filesystem, so least-privilege findings about it do not count.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/image_facts.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify {
namespace {

// "./a//b/" and "/a/b" -> "a/b"; the root is "".
std::string relative_path(std::string_view path) {
    std::string out;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t end = path.find('/', i);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view part = path.substr(i, end - i);
        if (!part.empty() && part != ".") {
            if (!out.empty()) out += '/';
            out += part;
        }
        i = end + 1;
    }
    return out;
}

bool is_under(const std::string& path, const std::string& dir) {
    if (dir.empty()) return !path.empty();
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

struct Deletion {
    std::size_t layer = 0;
    std::string path;       // .wh.<name>: the deleted path; opaque: its directory
    bool opaque = false;    // hides what is under `path`, not `path` itself
};

std::vector<Deletion> recorded_deletions(const std::vector<ImageFinding>& findings) {
    std::vector<Deletion> out;
    for (const ImageFinding& f : findings) {
        if (f.kind != FindingKind::whiteout && f.kind != FindingKind::opaque_whiteout) continue;
        const std::string whiteout = relative_path(f.path);
        const std::size_t slash = whiteout.rfind('/');
        const std::string dir = slash == std::string::npos ? "" : whiteout.substr(0, slash);
        const std::string base = slash == std::string::npos ? whiteout : whiteout.substr(slash + 1);
        if (f.kind == FindingKind::opaque_whiteout) {
            out.push_back({f.layer_index, dir, true});
        } else if (base.size() > 4) {
            out.push_back({f.layer_index, dir.empty() ? base.substr(4) : dir + "/" + base.substr(4), false});
        }
    }
    return out;
}

// Findings about the extracted filesystem's content. Escaping and absolute paths are about the
// extraction itself (they act while the lower layer is unpacked), so a whiteout never clears them.
bool about_content(FindingKind kind) {
    switch (kind) {
        case FindingKind::setuid:
        case FindingKind::setgid:
        case FindingKind::world_writable:
        case FindingKind::device_node:
        case FindingKind::watched_path:
            return true;
        default:
            return false;
    }
}

}  // namespace

void apply_recorded_whiteouts(std::vector<ImageFinding>& findings) {
    const std::vector<Deletion> deletions = recorded_deletions(findings);
    if (deletions.empty()) return;
    // Every finding is compared with every deletion: bound the bytes compared, and past the bound
    // apply nothing (the findings stand, fail closed) rather than spend unbounded time on a
    // hostile image.
    std::uint64_t deleted_bytes = 0;
    for (const Deletion& d : deletions) deleted_bytes += d.path.size() + 1;
    if (deleted_bytes * findings.size() > limits::kMaxWhiteoutMatchBytes) return;
    for (ImageFinding& f : findings) {
        if (!about_content(f.kind)) continue;
        const std::string path = relative_path(f.path);
        for (const Deletion& d : deletions) {
            if (d.layer <= f.layer_index) continue;
            const bool deleted = d.opaque ? is_under(path, d.path) : (path == d.path || is_under(path, d.path));
            if (deleted && (!f.deleted_by_layer || d.layer < *f.deleted_by_layer)) f.deleted_by_layer = d.layer;
        }
    }
}

}  // namespace edgeverify
