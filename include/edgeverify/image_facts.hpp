// Facts about one image, read from what the single streaming pass recorded (never a second
// read): layers and sizes, user, created, labels and annotations, findings per layer, and the
// package inventory. `edgeverify inspect` prints them; the image rules judge them (docs/rules.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/integrity.hpp"
#include "edgeverify/json.hpp"

namespace edgeverify {

namespace annotation {
inline constexpr std::string_view kBaseDigest = "org.opencontainers.image.base.digest";
inline constexpr std::string_view kBaseName = "org.opencontainers.image.base.name";
inline constexpr std::string_view kVersion = "org.opencontainers.image.version";
}  // namespace annotation

struct LayerSummary {
    std::size_t index = 0;
    std::string digest;
    std::uint64_t compressed_bytes = 0;    // the blob as stored
    std::uint64_t uncompressed_bytes = 0;  // the tar stream
};

// A layer finding with the layer it came from.
struct ImageFinding {
    std::size_t layer_index = 0;
    std::string layer_digest;
    FindingKind kind = FindingKind::setuid;
    std::string path;
    std::string detail;
    // The index of a later layer whose whiteout deletes this path (or hides it under an opaque
    // directory), when one does; the entry is then not in the container's filesystem.
    std::optional<std::size_t> deleted_by_layer;
};

// An installed (binary) package and the source package it was built from: dpkg's `Source:`
// ("openssl" or "openssl (3.0.11-1)", the parenthesised version being the source version), apk's
// `o:` origin (whose version is the package's own). Without one, source and source_version equal
// name and version.
struct Package {
    std::string name;
    std::string version;
    std::string source;
    std::string source_version;
};

// Installed packages of the topmost layer that holds each database, and os-release.
struct PackageInventory {
    std::string database;  // "var/lib/dpkg/status", "lib/apk/db/installed" or "" when none
    std::string ecosystem;  // "dpkg", "apk" or ""
    std::vector<Package> packages;  // at most limits::kMaxPackagesPerImage
    std::uint64_t packages_not_listed = 0;
    bool database_truncated = false;  // the database was larger than what was captured
    std::map<std::string, std::string> os_release;  // ID, VERSION_ID, PRETTY_NAME...
};

struct ImageFacts {
    std::string manifest_digest;
    std::vector<LayerSummary> layers;
    std::uint64_t compressed_bytes = 0;
    std::uint64_t uncompressed_bytes = 0;
    std::string user;     // config.User, "" when unset (runs as root)
    std::string created;  // config.created as written
    std::map<std::string, std::string> labels;       // config labels
    std::map<std::string, std::string> annotations;  // manifest annotations
    std::string base_digest, base_name, version;     // annotation, else label of the same key
    std::vector<ImageFinding> findings;
    std::uint64_t findings_not_listed = 0;  // over limits::kMaxFindingsPerLayer in some layer
    PackageInventory packages;
};

ImageFacts collect_image_facts(const ImageResult& image);

// Sets deleted_by_layer on each finding that a whiteout of a higher layer deletes (OCI image
// spec, layer "Whiteouts": `.wh.<name>` deletes <name> and all below it, `.wh..wh..opq` hides
// every lower entry under its directory; a whiteout never applies to its own layer or above).
// Only recorded whiteouts count: a path overwritten by a later layer, or a whiteout past
// limits::kMaxFindingsPerLayer, leaves the finding standing (fail closed).
void apply_recorded_whiteouts(std::vector<ImageFinding>& findings);

// Parsers of the captured databases (strict about nothing: they list what they can read).
// dpkg status: paragraphs with Package, Version, optional Source and a Status ending in
// " installed"; a Source that is not "NAME" or "NAME (VERSION)" is ignored like any unreadable line.
// apk installed: records of P:name, V:version, optional o:origin lines separated by blank lines.
void parse_dpkg_status(std::string_view text, PackageInventory& into);
void parse_apk_installed(std::string_view text, PackageInventory& into);
std::map<std::string, std::string> parse_os_release(std::string_view text);

Json image_facts_to_json(const ImageFacts& facts);

}  // namespace edgeverify
