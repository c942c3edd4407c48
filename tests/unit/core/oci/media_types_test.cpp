// Media types: kind, compression and origin of every known type.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/oci.hpp"

using namespace edgeverify;

TEST_SUITE("oci") {
    TEST_CASE("oci media types: each known type is classified") {
        struct Row {
            std::string_view media_type;
            DocumentKind kind;
            Compression compression;
            bool docker;
        };
        const std::vector<Row> rows = {
            {media_type::kOciIndex, DocumentKind::index, Compression::none, false},
            {media_type::kOciManifest, DocumentKind::manifest, Compression::none, false},
            {media_type::kOciConfig, DocumentKind::config, Compression::none, false},
            {media_type::kOciLayerTar, DocumentKind::layer, Compression::none, false},
            {media_type::kOciLayerGzip, DocumentKind::layer, Compression::gzip, false},
            {media_type::kOciLayerZstd, DocumentKind::layer, Compression::zstd, false},
            {media_type::kOciLayerNondistributableTar, DocumentKind::layer, Compression::none, false},
            {media_type::kOciLayerNondistributableGzip, DocumentKind::layer, Compression::gzip, false},
            {media_type::kOciLayerNondistributableZstd, DocumentKind::layer, Compression::zstd, false},
            {media_type::kDockerManifestList, DocumentKind::index, Compression::none, true},
            {media_type::kDockerManifest, DocumentKind::manifest, Compression::none, true},
            {media_type::kDockerConfig, DocumentKind::config, Compression::none, true},
            {media_type::kDockerLayerGzip, DocumentKind::layer, Compression::gzip, true},
            {media_type::kDockerLayerZstd, DocumentKind::layer, Compression::zstd, true},
            {media_type::kDockerLayerForeignGzip, DocumentKind::layer, Compression::gzip, true},
            {media_type::kDockerSchema1, DocumentKind::manifest, Compression::none, true},
            {media_type::kDockerSchema1Signed, DocumentKind::manifest, Compression::none, true},
        };
        for (const Row& row : rows) {
            CAPTURE(std::string(row.media_type));
            const MediaTypeInfo info = classify_media_type(row.media_type);
            CHECK(info.kind == row.kind);
            CHECK(info.compression == row.compression);
            CHECK(info.docker == row.docker);
        }
    }

    TEST_CASE("oci media types: unknown, empty and near-miss types are other") {
        for (std::string_view unknown : {"", "application/vnd.oci.empty.v1+json", "application/tar+gzip",
                                         "application/vnd.cncf.helm.config.v1+json",
                                         "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
                                         "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON"}) {
            CAPTURE(std::string(unknown));
            const MediaTypeInfo info = classify_media_type(unknown);
            CHECK(info.kind == DocumentKind::other);
            CHECK(info.compression == Compression::none);
        }
    }

    TEST_CASE("oci media types: compression names") {
        CHECK(compression_name(Compression::none) == "none");
        CHECK(compression_name(Compression::gzip) == "gzip");
        CHECK(compression_name(Compression::zstd) == "zstd");
    }
}
