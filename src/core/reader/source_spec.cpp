// SOURCE arguments: a plain path, or skopeo-style "transport:path[:reference]" forcing the kind.
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "edgeverify/source.hpp"
#include "sources.hpp"

namespace edgeverify {

std::string_view source_kind_name(SourceKind kind) {
    switch (kind) {
        case SourceKind::oci_layout:
            return "oci";
        case SourceKind::oci_archive:
            return "oci-archive";
        case SourceKind::docker_archive:
            return "docker-archive";
        case SourceKind::containers_dir:
            return "dir";
    }
    return "unknown";
}

Expected<SourceSpec> parse_source_argument(std::string_view argument) {
    if (argument.empty())
        return make_error(Errc::usage, "source argument is empty: name a directory or an archive");

    constexpr std::array<std::pair<std::string_view, SourceKind>, 4> kTransports{{
        {"oci:", SourceKind::oci_layout},
        {"oci-archive:", SourceKind::oci_archive},
        {"docker-archive:", SourceKind::docker_archive},
        {"dir:", SourceKind::containers_dir},
    }};

    SourceSpec spec;
    for (const auto& [prefix, kind] : kTransports) {
        if (!argument.starts_with(prefix)) continue;
        spec.forced_kind = kind;
        // The path runs up to the first ':'; everything after it is the reference, which may
        // itself hold ':' (registry port, tag).
        std::string_view rest = argument.substr(prefix.size());
        const auto colon = rest.find(':');
        spec.path = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos && kind == SourceKind::containers_dir) {
            return make_error(Errc::usage, "source " + std::string(argument) +
                                               ": a dir: copy holds one image and takes no name after ':'");
        }
        if (colon != std::string_view::npos) {
            spec.image_name = std::string(rest.substr(colon + 1));
            if (spec.image_name.empty()) {
                return make_error(Errc::usage,
                                  "source " + std::string(argument) +
                                      ": empty image name after ':' (drop the ':' or name the image)");
            }
        }
        if (spec.path.empty()) {
            return make_error(Errc::usage, "source " + std::string(argument) + ": empty path after '" +
                                               std::string(prefix) + "'");
        }
        return spec;
    }

    spec.path = std::string(argument);
    return spec;
}

}  // namespace edgeverify

namespace edgeverify::reader {

Expected<std::string> normalize_source_path(std::string_view path) {
    if (path.starts_with('/')) {
        return make_error(Errc::unsafe_path, std::string(path) + ": absolute path");
    }
    const std::string original(path);
    std::string normalized;
    while (!path.empty()) {
        const auto slash = path.find('/');
        const std::string_view component = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        if (component.empty() || component == ".") continue;
        if (component == "..") {
            return make_error(Errc::unsafe_path, original + ": path with a '..' component");
        }
        if (!normalized.empty()) normalized += '/';
        normalized += component;
    }
    if (normalized.empty()) return make_error(Errc::unsafe_path, "empty path");
    return normalized;
}

}  // namespace edgeverify::reader
