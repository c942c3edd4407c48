// Readers of the package databases and os-release captured during the pass. They never fail:
// a record they cannot read is skipped, and the inventory stays bounded (kMaxPackagesPerImage).
#include <optional>

#include "edgeverify/image_facts.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify {
namespace {

// Calls on_line(line) for each '\n'-separated line (a trailing '\r' dropped).
template <class OnLine>
void for_each_line(std::string_view text, OnLine&& on_line) {
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        on_line(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    on_line(std::string_view{});  // end of the last record
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// An empty source (none recorded) is the binary package itself; an empty source version is the
// binary's version.
void add_package(PackageInventory& into, std::string_view name, std::string_view version, std::string_view source,
                 std::string_view source_version) {
    if (name.empty()) return;
    if (into.packages.size() >= limits::kMaxPackagesPerImage) {
        ++into.packages_not_listed;
        return;
    }
    into.packages.push_back(Package{std::string(name), std::string(version),
                                    std::string(source.empty() ? name : source),
                                    std::string(source_version.empty() ? version : source_version)});
}

// dpkg's Source field of a binary package: "NAME" or "NAME (VERSION)" (Debian Policy 5.6.1).
struct SourceField {
    std::string_view name, version;  // version "" when not given
};
std::optional<SourceField> parse_dpkg_source(std::string_view value) {
    const std::size_t end = value.find_first_of(" \t(");
    const std::string_view name = value.substr(0, end);
    if (name.empty() || name.find(')') != std::string_view::npos) return std::nullopt;
    if (end == std::string_view::npos) return SourceField{name, {}};
    const std::string_view rest = trim(value.substr(end));
    if (rest.size() < 3 || rest.front() != '(' || rest.back() != ')') return std::nullopt;
    const std::string_view version = trim(rest.substr(1, rest.size() - 2));
    if (version.empty() || version.find_first_of("() \t") != std::string_view::npos) return std::nullopt;
    return SourceField{name, version};
}

}  // namespace

void parse_dpkg_status(std::string_view text, PackageInventory& into) {
    std::string_view name, version, status;
    SourceField source;
    for_each_line(text, [&](std::string_view line) {
        if (trim(line).empty()) {
            // Only "install ok installed" (and half-configured states) are on the disk; "not-installed"
            // and "config-files" are not.
            if (status.ends_with(" installed")) add_package(into, name, version, source.name, source.version);
            name = version = status = {};
            source = {};
            return;
        }
        if (line.front() == ' ' || line.front() == '\t') return;  // continuation of a multi-line field
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return;
        const std::string_view key = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (key == "Package") name = value;
        if (key == "Version") version = value;
        if (key == "Status") status = value;
        if (key == "Source") {
            // A malformed Source is skipped like any line that cannot be read: the package is still
            // listed, as its own source.
            if (auto parsed = parse_dpkg_source(value)) source = *parsed;
        }
    });
}

void parse_apk_installed(std::string_view text, PackageInventory& into) {
    std::string_view name, version, origin;
    for_each_line(text, [&](std::string_view line) {
        if (line.empty()) {
            add_package(into, name, version, origin, {});  // the origin's version is the package's own
            name = version = origin = {};
            return;
        }
        if (line.size() < 2 || line[1] != ':') return;
        if (line[0] == 'P') name = line.substr(2);
        if (line[0] == 'V') version = line.substr(2);
        if (line[0] == 'o') origin = line.substr(2);
    });
}

std::map<std::string, std::string> parse_os_release(std::string_view text) {
    std::map<std::string, std::string> out;
    for_each_line(text, [&](std::string_view line) {
        line = trim(line);
        if (line.empty() || line.front() == '#') return;
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos || eq == 0 || out.size() >= 64) return;
        std::string_view value = line.substr(eq + 1);
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        out[std::string(line.substr(0, eq))] = std::string(value.substr(0, 256));
    });
    return out;
}

}  // namespace edgeverify
