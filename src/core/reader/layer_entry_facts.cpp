// Facts of one layer tar entry (see layer_entry_facts.hpp). Paths are judged lexically, as an
// extractor that resolves them inside the container root would see them.
#include "reader/layer_entry_facts.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>

#include "edgeverify/limits.hpp"

namespace edgeverify {

std::string_view finding_kind_name(FindingKind kind) {
    switch (kind) {
        case FindingKind::setuid:
            return "setuid";
        case FindingKind::setgid:
            return "setgid";
        case FindingKind::world_writable:
            return "world-writable";
        case FindingKind::device_node:
            return "device-node";
        case FindingKind::fifo:
            return "fifo";
        case FindingKind::absolute_path:
            return "absolute-path";
        case FindingKind::escaping_path:
            return "escaping-path";
        case FindingKind::absolute_link:
            return "absolute-link";
        case FindingKind::escaping_link:
            return "escaping-link";
        case FindingKind::whiteout:
            return "whiteout";
        case FindingKind::opaque_whiteout:
            return "opaque-whiteout";
        case FindingKind::watched_path:
            return "watched-path";
    }
    return "unknown";
}

const std::vector<std::string>& default_watched_paths() {
    static const std::vector<std::string> paths = {
        "bin/sh",       "bin/bash",          "bin/busybox",      "usr/bin/sh",   "usr/bin/bash",
        "usr/bin/apt",  "usr/bin/apt-get",   "usr/bin/dpkg",     "bin/dpkg",     "sbin/apk",
        "usr/bin/curl", "usr/bin/wget",      "usr/bin/sudo",     "usr/bin/ssh",  "usr/sbin/sshd"};
    return paths;
}

bool is_captured_file_path(std::string_view path) {
    return path == "var/lib/dpkg/status" || path == "lib/apk/db/installed" || path == "etc/os-release" ||
           path == "usr/lib/os-release";
}

namespace tar {
namespace {

constexpr std::array<std::string_view, 5> kPackageDatabases = {
    "var/lib/dpkg/status", "lib/apk/db/installed", "var/lib/rpm/Packages", "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite"};

// Depth reached by walking `path` from `depth` components below the root; nullopt when a ".."
// climbs above the root.
std::optional<std::int64_t> walk_depth(std::string_view path, std::int64_t depth) {
    while (!path.empty()) {
        const std::size_t slash = path.find('/');
        const std::string_view part = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (--depth < 0) return std::nullopt;
        } else {
            ++depth;
        }
    }
    return depth;
}

std::string octal_mode(std::int64_t mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

void add_finding(LayerFacts& facts, FindingKind kind, std::string_view path, std::string detail) {
    if (facts.findings.size() < limits::kMaxFindingsPerLayer) {
        facts.findings.push_back(LayerFinding{kind, std::string(path), std::move(detail)});
    } else {
        ++facts.findings_not_listed;
    }
}

// etc/passwd and package databases count when present as file content (regular or hard link).
void note_file_presence(std::string_view relative, LayerFacts& facts) {
    if (relative == "etc/passwd") facts.has_etc_passwd = true;
    for (std::string_view db : kPackageDatabases) {
        if (relative == db && std::find(facts.package_databases.begin(), facts.package_databases.end(), db) ==
                                  facts.package_databases.end()) {
            facts.package_databases.emplace_back(db);
        }
    }
}

bool is_absolute(std::string_view path) {
    return !path.empty() && path.front() == '/';
}

bool is_watched(std::string_view relative, const std::vector<std::string>& watched_paths) {
    for (const std::string& watched : watched_paths) {
        if (relative == watched) return true;
        if (!watched.empty() && watched.back() == '/' && relative.starts_with(watched)) return true;
        if (!watched.empty() && watched.back() == '/' && relative == std::string_view(watched).substr(0, watched.size() - 1))
            return true;
    }
    return false;
}

}  // namespace

void normalize_entry_path(std::string& s) {
    std::size_t w = 0;
    for (std::size_t r = 0; r < s.size(); ++r) {
        if (s[r] == '/' && w > 0 && s[w - 1] == '/') continue;
        s[w++] = s[r];
    }
    s.resize(w);
    std::size_t start = 0;
    while (s.size() - start >= 2 && s[start] == '.' && s[start + 1] == '/') start += 2;
    s.erase(0, start);
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    if (s.empty()) s = ".";
}

void record_entry_facts(const EntryView& e, LayerFacts& facts, const std::vector<std::string>& watched_paths) {
    const std::string_view name = e.name;
    // Extractors strip leading "/": judge the rest against the root.
    const std::string_view relative = name.substr(std::min(name.find_first_not_of('/'), name.size()));
    if (!watched_paths.empty() && is_watched(relative, watched_paths)) {
        add_finding(facts, FindingKind::watched_path, name,
                    e.type == '5' ? "directory" : e.type == '2' ? "symlink to " + std::string(e.link) : "present");
    }
    if (is_absolute(name)) add_finding(facts, FindingKind::absolute_path, name, {});
    if (!walk_depth(relative, 0)) add_finding(facts, FindingKind::escaping_path, name, {});

    const std::size_t slash = relative.rfind('/');
    const std::string_view base = slash == std::string_view::npos ? relative : relative.substr(slash + 1);
    if (base.starts_with(".wh.")) {
        ++facts.whiteouts;
        if (base == ".wh..wh..opq") {
            add_finding(facts, FindingKind::opaque_whiteout, name, {});
        } else {
            add_finding(facts, FindingKind::whiteout, name, "deletes " + std::string(base.substr(4)));
        }
        return;
    }

    const std::int64_t mode = e.mode;
    switch (e.type) {
        case '0':
        case '\0':
        case '7':
        case 'S':  // GNU sparse file
            ++facts.regular_files;
            if (mode & 04000) add_finding(facts, FindingKind::setuid, name, octal_mode(mode));
            if (mode & 02000) add_finding(facts, FindingKind::setgid, name, octal_mode(mode));
            if (mode & 02) add_finding(facts, FindingKind::world_writable, name, octal_mode(mode));
            note_file_presence(relative, facts);
            break;
        case '1':  // hard link: the target names an earlier entry, from the root
            ++facts.hardlinks;
            if (is_absolute(e.link)) {
                add_finding(facts, FindingKind::absolute_link, name, "hard link to " + std::string(e.link));
            } else if (!walk_depth(e.link, 0)) {
                add_finding(facts, FindingKind::escaping_link, name, "hard link to " + std::string(e.link));
            }
            note_file_presence(relative, facts);
            break;
        case '2': {  // symlink: the target resolves from the link's directory; its mode means nothing
            ++facts.symlinks;
            const std::string_view dir = slash == std::string_view::npos ? "" : relative.substr(0, slash);
            if (is_absolute(e.link)) {
                add_finding(facts, FindingKind::absolute_link, name, "symlink to " + std::string(e.link));
            } else if (!walk_depth(e.link, walk_depth(dir, 0).value_or(0))) {
                add_finding(facts, FindingKind::escaping_link, name, "symlink to " + std::string(e.link));
            }
            break;
        }
        case '3':
        case '4':
            add_finding(facts, FindingKind::device_node, name,
                        std::string(e.type == '3' ? "char " : "block ") + std::to_string(e.dev_major) + ":" +
                            std::to_string(e.dev_minor));
            break;
        case '5':
        case 'D':  // GNU dumpdir
            ++facts.directories;
            if ((mode & 02) && !(mode & 01000)) {
                add_finding(facts, FindingKind::world_writable, name, octal_mode(mode));
            }
            break;
        case '6':
            add_finding(facts, FindingKind::fifo, name, octal_mode(mode));
            break;
        default:
            break;  // vendor types: counted as entries only
    }
}

}  // namespace tar
}  // namespace edgeverify
