// Test layouts holding a real image and a real Sigstore bundle referrer: the skopeo-sigstore
// probe image (oci-archive, manifest sha256:83e6b48d...) extracted into a temporary directory,
// plus the @sigstore/oci referrer manifest, referrers-tag index and bundle from the sigstore-js
// vectors, arranged as listed, tag-indexed or unlisted. Vectors are read in place.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "edgeverify/json.hpp"
#include "unit/core/reader/reader_test_support.hpp"

namespace edgeverify::test {

inline const std::string kProbeImageDigest =
    "sha256:83e6b48d626e810769ca2571db8fdf7e4a76c2162a87060e8efcb6771a2d97c4";
inline const std::string kProbeReferrerDigest =
    "sha256:9b91eac9d948aca78b9d9dd1d0a928b1efc9d74d9e1088546c4ca91801491d8f";
inline const std::string kBundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

inline std::filesystem::path shared_vectors() {
    if (const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS")) return env;
    return std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors";
}

inline std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Extracts the regular files of a tar into `dir` (the test's own input, read with libarchive).
inline void extract_tar(const std::filesystem::path& tar, const std::string& dir) {
    struct archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_filter_all(a);
    if (archive_read_open_filename(a, tar.c_str(), 64 * 1024) != ARCHIVE_OK) {
        archive_read_free(a);
        throw std::runtime_error("cannot open " + tar.string());
    }
    struct archive_entry* entry = nullptr;
    while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
        if (archive_entry_filetype(entry) != AE_IFREG) continue;
        std::string bytes(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
        if (!bytes.empty()) archive_read_data(a, bytes.data(), bytes.size());
        write_file(dir + "/" + archive_entry_pathname(entry), bytes);
    }
    archive_read_free(a);
}

class ProbeLayout {
public:
    ProbeLayout() {
        extract_tar(shared_vectors() / "skopeo-sigstore" / "image-oci-archive.tar", dir_.path());
    }

    const std::string& path() const { return dir_.path(); }
    std::string blob_file(const std::string& digest) const {
        return dir_ / ("blobs/sha256/" + digest.substr(7));
    }

    std::string add_blob(const std::string& bytes) {
        const std::string hex = sha256_hex(bytes);
        write_file(dir_ / ("blobs/sha256/" + hex), bytes);
        return "sha256:" + hex;
    }

    void add_index_entry(const Json& descriptor) {
        Json index = Json::parse(read_bytes(dir_ / "index.json"));
        index["manifests"].push_back(descriptor);
        write_file(dir_ / "index.json", index.dump());
    }

    // The referrer manifest, its empty config and its bundle, unlisted (as cosign save leaves them).
    void add_referrer_blobs() {
        add_blob("{}");
        add_blob(read_bytes(shared_vectors() / "sigstore-js" / "bundle-keyless-dsse.sigstore.json"));
        add_blob(referrer_manifest());
    }

    // The referrer listed in index.json without a ref name.
    void list_referrer() {
        add_referrer_blobs();
        add_index_entry(Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                             {"digest", kProbeReferrerDigest},
                             {"size", referrer_manifest().size()},
                             {"artifactType", kBundleMediaType}});
    }

    // The referrers-tag index `sha256-<hex>` listed in index.json, as @sigstore/oci pushes it.
    void tag_referrers() {
        add_referrer_blobs();
        const std::string index =
            read_bytes(shared_vectors() / "sigstore-js" / "oci-referrers" / "referrers-tag-index.json");
        add_index_entry(
            Json{{"mediaType", "application/vnd.oci.image.index.v1+json"},
                 {"digest", add_blob(index)},
                 {"size", index.size()},
                 {"annotations",
                  {{"org.opencontainers.image.ref.name", "sha256-" + kProbeImageDigest.substr(7)}}}});
    }

    static std::string referrer_manifest() {
        return read_bytes(shared_vectors() / "sigstore-js" / "oci-referrers" / "attestation-manifest.json");
    }
    static std::string bundle() {
        return read_bytes(shared_vectors() / "sigstore-js" / "bundle-keyless-dsse.sigstore.json");
    }

private:
    TempDir dir_;
};

}  // namespace edgeverify::test
