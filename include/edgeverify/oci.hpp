// The OCI and Docker image model: descriptors, manifests, indexes, image configs, platforms,
// and docker-archive manifest.json. Parsing is strict; errors carry a JSON path.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify {

namespace media_type {
inline constexpr std::string_view kOciLayoutHeader = "application/vnd.oci.layout.header.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kOciLayerNondistributableTar =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr std::string_view kOciLayerNondistributableGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr std::string_view kOciLayerNondistributableZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
inline constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view kDockerLayerZstd = "application/vnd.docker.image.rootfs.diff.tar.zstd";
inline constexpr std::string_view kDockerLayerForeignGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
inline constexpr std::string_view kDockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerSchema1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
}  // namespace media_type

namespace annotation {
inline constexpr std::string_view kRefName = "org.opencontainers.image.ref.name";
inline constexpr std::string_view kContainerdName = "io.containerd.image.name";
}  // namespace annotation

enum class Compression { none, gzip, zstd };
std::string_view compression_name(Compression compression);

enum class DocumentKind { manifest, index, config, layer, other };

// How a media type is understood: kind of document and, for layers, the compression.
struct MediaTypeInfo {
    DocumentKind kind = DocumentKind::other;
    Compression compression = Compression::none;
    bool docker = false;
};
MediaTypeInfo classify_media_type(std::string_view media_type);

struct Platform {
    std::string os;
    std::string architecture;
    std::string variant;
    std::string os_version;
    std::vector<std::string> os_features;

    std::string str() const;  // "os/arch[/variant]"
};

// Parses "os/arch[/variant]" as given to --platform; normalizes aliases (x86_64 -> amd64,
// aarch64 -> arm64, arm64/v8 -> arm64).
Expected<Platform> parse_platform(std::string_view text);
// The platform this binary was built for (linux/amd64, linux/arm64, linux/arm/v7, ...).
Platform host_platform();

struct Descriptor {
    std::string media_type;
    Digest digest;
    std::int64_t size = 0;
    std::vector<std::string> urls;
    std::map<std::string, std::string> annotations;
    std::optional<std::string> data;  // decoded `data` field, when present
    std::optional<std::string> artifact_type;
    std::optional<Platform> platform;
};

// The value of one annotation of a descriptor, or "" when absent.
std::string annotation_of(const Descriptor& descriptor, std::string_view key);

struct ImageManifest {
    int schema_version = 2;
    std::string media_type;  // as written; empty when the document omits it
    bool docker = false;     // Docker v2 schema 2
    std::optional<std::string> artifact_type;
    Descriptor config;
    std::vector<Descriptor> layers;
    std::optional<Descriptor> subject;
    std::map<std::string, std::string> annotations;
};

struct ImageIndex {
    int schema_version = 2;
    std::string media_type;
    bool docker = false;  // Docker manifest list
    std::optional<std::string> artifact_type;
    std::vector<Descriptor> manifests;
    std::optional<Descriptor> subject;
    std::map<std::string, std::string> annotations;
};

struct ImageConfig {
    std::string architecture;
    std::string os;
    std::string variant;
    std::string created;  // RFC 3339 as written, empty if absent
    std::string user;     // config.User
    std::map<std::string, std::string> labels;
    std::string rootfs_type;
    std::vector<Digest> diff_ids;
};

// `where` names the document in errors. The manifest and index parsers refuse Docker schema 1
// (Errc::schema1_unsupported), a schemaVersion other than 2, and a mediaType field that
// contradicts the document kind (Errc::media_type_mismatch).
Expected<ImageManifest> parse_image_manifest(std::string_view bytes, std::string_view where);
Expected<ImageIndex> parse_image_index(std::string_view bytes, std::string_view where);
Expected<ImageConfig> parse_image_config(std::string_view bytes, std::string_view where);

// Decides from the content whether a document is a manifest or an index (for sources that
// do not say, such as a bare file): mediaType when present, else structure.
Expected<DocumentKind> sniff_document_kind(std::string_view bytes, std::string_view where);

// Chooses from an index the entry to run on `wanted`: the first entry with the same os,
// architecture and variant; else the first with the same os and architecture and no variant.
// Entries without a platform are not candidates. std::nullopt when nothing matches.
std::optional<std::size_t> select_platform(const ImageIndex& index, const Platform& wanted);

// One image of a docker-archive manifest.json.
struct DockerArchiveImage {
    std::string config_path;
    std::vector<std::string> repo_tags;
    std::vector<std::string> layer_paths;
};
// Parses manifest.json: a non-empty JSON array of {Config, RepoTags, Layers, ...}.
Expected<std::vector<DockerArchiveImage>> parse_docker_archive_manifest(std::string_view bytes,
                                                                        std::string_view where);

}  // namespace edgeverify
