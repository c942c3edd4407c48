// What each known OCI and Docker media type means: document kind, layer compression, origin.
#include <array>

#include "edgeverify/oci.hpp"

namespace edgeverify {

namespace {

struct KnownMediaType {
    std::string_view name;
    MediaTypeInfo info;
};

// Docker schema 1 counts as a manifest so that reaching one is refused by the manifest parser
// (Errc::schema1_unsupported) instead of being skipped as an unknown type.
constexpr std::array kKnownMediaTypes = {
    KnownMediaType{media_type::kOciIndex, {DocumentKind::index, Compression::none, false}},
    KnownMediaType{media_type::kOciManifest, {DocumentKind::manifest, Compression::none, false}},
    KnownMediaType{media_type::kOciConfig, {DocumentKind::config, Compression::none, false}},
    KnownMediaType{media_type::kOciLayerTar, {DocumentKind::layer, Compression::none, false}},
    KnownMediaType{media_type::kOciLayerGzip, {DocumentKind::layer, Compression::gzip, false}},
    KnownMediaType{media_type::kOciLayerZstd, {DocumentKind::layer, Compression::zstd, false}},
    KnownMediaType{media_type::kOciLayerNondistributableTar, {DocumentKind::layer, Compression::none, false}},
    KnownMediaType{media_type::kOciLayerNondistributableGzip,
                   {DocumentKind::layer, Compression::gzip, false}},
    KnownMediaType{media_type::kOciLayerNondistributableZstd,
                   {DocumentKind::layer, Compression::zstd, false}},
    KnownMediaType{media_type::kDockerManifestList, {DocumentKind::index, Compression::none, true}},
    KnownMediaType{media_type::kDockerManifest, {DocumentKind::manifest, Compression::none, true}},
    KnownMediaType{media_type::kDockerConfig, {DocumentKind::config, Compression::none, true}},
    KnownMediaType{media_type::kDockerLayerGzip, {DocumentKind::layer, Compression::gzip, true}},
    KnownMediaType{media_type::kDockerLayerZstd, {DocumentKind::layer, Compression::zstd, true}},
    KnownMediaType{media_type::kDockerLayerForeignGzip, {DocumentKind::layer, Compression::gzip, true}},
    // Uncompressed Docker layer, written by some tools (moby's image/tarexport, buildkit).
    KnownMediaType{"application/vnd.docker.image.rootfs.diff.tar",
                   {DocumentKind::layer, Compression::none, true}},
    KnownMediaType{media_type::kDockerSchema1, {DocumentKind::manifest, Compression::none, true}},
    KnownMediaType{media_type::kDockerSchema1Signed, {DocumentKind::manifest, Compression::none, true}},
};

}  // namespace

std::string_view compression_name(Compression compression) {
    switch (compression) {
        case Compression::none:
            return "none";
        case Compression::gzip:
            return "gzip";
        case Compression::zstd:
            return "zstd";
    }
    return "unknown";
}

MediaTypeInfo classify_media_type(std::string_view media_type) {
    for (const KnownMediaType& known : kKnownMediaTypes) {
        if (known.name == media_type) return known.info;
    }
    return MediaTypeInfo{};
}

}  // namespace edgeverify
