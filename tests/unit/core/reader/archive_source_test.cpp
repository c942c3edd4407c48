// oci-archive and docker-archive tars: any entry order, duplicates, unsafe entries, truncation,
// non-archives, kind detection.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "edgeverify/source.hpp"
#include "reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

struct SampleImage {
    std::string layer_tar = sample_layer_tar();
    std::string layer_gz = compress(layer_tar, Filter::gzip);
    std::string config = R"({"rootfs":{"type":"layers","diff_ids":[]}})";
    std::string manifest = R"({"schemaVersion":2})";
    std::string index = R"({"schemaVersion":2,"manifests":[]})";
    std::string blob(const std::string& bytes) const { return "blobs/sha256/" + sha256_hex(bytes); }
};

Expected<std::unique_ptr<BlobSource>> open_bytes(const TempDir& dir, const std::string& bytes,
                                                 std::optional<SourceKind> forced = std::nullopt,
                                                 ScanOptions options = {}) {
    write_file(dir / "image.tar", bytes);
    SourceSpec spec;
    spec.path = dir / "image.tar";
    spec.forced_kind = forced;
    return open_source(spec, options);
}

void check_error(const Expected<std::unique_ptr<BlobSource>>& result, Errc code, const std::string& text) {
    REQUIRE_FALSE(result.has_value());
    CHECK(errc_name(result.error().code) == errc_name(code));
    CHECK_MESSAGE(result.error().message.find(text) != std::string::npos, result.error().message);
}

}  // namespace

TEST_CASE("oci-archive: blobs in any order with index.json last") {
    TempDir dir;
    SampleImage image;
    const std::string tar = make_tar({{"blobs/", "", EntryType::directory},
                                      {"blobs/sha256/", "", EntryType::directory},
                                      {image.blob(image.layer_gz), image.layer_gz},
                                      {"./" + image.blob(image.config), image.config},
                                      {image.blob(image.manifest), image.manifest},
                                      {"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"},
                                      {"index.json", image.index}});
    std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
    ScanOptions options;
    options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.emplace_back(done, total); };
    auto source = open_bytes(dir, tar, std::nullopt, options);
    REQUIRE(source.has_value());
    CHECK((*source)->kind() == SourceKind::oci_archive);
    CHECK((*source)->bytes_read() == tar.size());
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back() == std::pair<std::uint64_t, std::uint64_t>(tar.size(), tar.size()));

    auto index = (*source)->file("index.json");
    REQUIRE(index.has_value());
    CHECK(*(*index)->content == image.index);
    auto config = (*source)->file(image.blob(image.config));
    REQUIRE(config.has_value());
    CHECK((*config)->digest.hex() == sha256_hex(image.config));
    auto layer = (*source)->file(image.blob(image.layer_gz));
    REQUIRE(layer.has_value());
    REQUIRE((*layer)->layer.has_value());
    CHECK((*layer)->layer->diff_id.hex() == sha256_hex(image.layer_tar));
    CHECK_FALSE((*layer)->content.has_value());

    auto missing = (*source)->file("blobs/sha256/0123");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::blob_missing);
    CHECK((*source)->has_file("./oci-layout"));
}

TEST_CASE("oci-archive: a gzip-compressed and a zstd-compressed archive read the same") {
    for (Filter filter : {Filter::gzip, Filter::zstd}) {
        TempDir dir;
        SampleImage image;
        const std::string tar =
            make_tar({{"index.json", image.index}, {image.blob(image.layer_gz), image.layer_gz}}, filter);
        auto source = open_bytes(dir, tar, SourceKind::oci_archive);
        REQUIRE(source.has_value());
        CHECK((*source)->kind() == SourceKind::oci_archive);
        CHECK((*source)->bytes_read() == tar.size());
        auto layer = (*source)->file(image.blob(image.layer_gz));
        REQUIRE(layer.has_value());
        CHECK((*layer)->layer->diff_id.hex() == sha256_hex(image.layer_tar));
    }
}

TEST_CASE("archive: the same path twice with the same content is accepted") {
    TempDir dir;
    SampleImage image;
    auto source = open_bytes(dir, make_tar({{"index.json", image.index},
                                            {image.blob(image.config), image.config},
                                            {image.blob(image.config), image.config}}));
    REQUIRE(source.has_value());
    CHECK((*source)->has_file(image.blob(image.config)));
}

TEST_CASE("archive: the same path twice with different content is archive_duplicate_entry") {
    TempDir dir;
    SampleImage image;
    check_error(open_bytes(dir, make_tar({{"index.json", image.index},
                                          {image.blob(image.config), image.config},
                                          {"./" + image.blob(image.config), "{\"evil\":true}"}})),
                Errc::archive_duplicate_entry, "appears twice with different content");
}

TEST_CASE("archive: entries with '..' or absolute names are unsafe_path") {
    SampleImage image;
    for (const char* name : {"../x", "blobs/../../x", "/abs/x"}) {
        CAPTURE(name);
        TempDir dir;
        check_error(open_bytes(dir, make_tar({{"index.json", image.index}, {name, "data"}})),
                    Errc::unsafe_path, name);
    }
}

TEST_CASE("archive: links leaving the archive and FIFOs are unsafe_path") {
    SampleImage image;
    struct Case {
        TarEntry entry;
        std::string text;
    };
    const std::vector<Case> cases = {
        {{"blobs/sha256/aa", "", EntryType::symlink, "/etc/passwd"},
         "entry blobs/sha256/aa is a symbolic link to /etc/passwd, outside the archive"},
        {{"blobs/sha256/ab", "", EntryType::symlink, "../../../etc/passwd"},
         "is a symbolic link to ../../../etc/passwd, outside the archive"},
        {{"blobs/sha256/bb", "", EntryType::hardlink, "../index.json"}, "is a hard link to ../index.json"},
        {{"blobs/sha256/cc", "", EntryType::fifo}, "is a named pipe"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        TempDir dir;
        check_error(open_bytes(dir, make_tar({{"index.json", image.index}, c.entry})), Errc::unsafe_path,
                    c.text);
    }
}

TEST_CASE("archive: links inside the archive are aliases of their target (skopeo's docker-archive)") {
    TempDir dir;
    SampleImage image;
    const std::string tar = make_tar({{"manifest.json", "[]"},
                                      {"abc.tar", image.layer_tar},
                                      {"0123/layer.tar", "", EntryType::symlink, "../abc.tar"},
                                      {"hard.tar", "", EntryType::hardlink, "abc.tar"}});
    auto source = open_bytes(dir, tar);
    REQUIRE(source.has_value());
    for (const char* alias : {"0123/layer.tar", "hard.tar"}) {
        CAPTURE(alias);
        auto record = (*source)->file(alias);
        REQUIRE(record.has_value());
        CHECK((*record)->path == "abc.tar");
        CHECK((*record)->digest.hex() == sha256_hex(image.layer_tar));
    }
}

TEST_CASE("archive: a dangling link is blob_missing and a link loop is unsafe_path when read") {
    TempDir dir;
    const std::string tar = make_tar({{"manifest.json", "[]"},
                                      {"dangling.tar", "", EntryType::symlink, "nowhere.tar"},
                                      {"a", "", EntryType::symlink, "b"},
                                      {"b", "", EntryType::symlink, "a"}});
    auto source = open_bytes(dir, tar);
    REQUIRE(source.has_value());
    auto dangling = (*source)->file("dangling.tar");
    REQUIRE_FALSE(dangling.has_value());
    CHECK(dangling.error().code == Errc::blob_missing);
    CHECK(dangling.error().message.find("a link to nowhere.tar, which is not in the archive") !=
          std::string::npos);
    auto loop = (*source)->file("a");
    REQUIRE_FALSE(loop.has_value());
    CHECK(loop.error().code == Errc::unsafe_path);
    CHECK(loop.error().message.find("kMaxLinkHops (a link loop?)") != std::string::npos);
}

TEST_CASE("archive: a cut-off archive is archive_truncated naming the entry") {
    TempDir dir;
    SampleImage image;
    const std::string big = pseudo_random_bytes(200000, 9);
    const std::string tar = make_tar({{"index.json", image.index}, {image.blob(big), big}});
    check_error(open_bytes(dir, tar.substr(0, 100000)), Errc::archive_truncated, image.blob(big));
    // Cut inside a header: truncated too.
    TempDir dir2;
    check_error(open_bytes(dir2, tar.substr(0, 1024 + 100)), Errc::archive_truncated,
                "truncated after entry index.json");
}

TEST_CASE("archive: a cut-off gzip-compressed archive is archive_truncated") {
    TempDir dir;
    SampleImage image;
    const std::string big = pseudo_random_bytes(200000, 9);
    const std::string tgz = make_tar({{"index.json", image.index}, {image.blob(big), big}}, Filter::gzip);
    check_error(open_bytes(dir, tgz.substr(0, tgz.size() / 2)), Errc::archive_truncated, image.blob(big));
}

TEST_CASE("archive: random bytes and empty files are archive_malformed") {
    TempDir dir;
    check_error(open_bytes(dir, pseudo_random_bytes(65536, 4)), Errc::archive_malformed, "not a tar archive");
    TempDir dir2;
    check_error(open_bytes(dir2, ""), Errc::archive_malformed, "empty file");
    TempDir dir3;
    check_error(open_bytes(dir3, std::string(10240, '\0')), Errc::archive_malformed,
                "neither index.json nor manifest.json");
}

TEST_CASE("archive: an archive file over 2 GiB is opened and read (64-bit file offsets on 32-bit boards)") {
    // On 32-bit ARM without _FILE_OFFSET_BITS=64, stat() of a file over 2 GiB fails (EOVERFLOW)
    // and such an image was unreadable. A tar without an image, then a hole up to 2 GiB + 4 KiB.
    TempDir dir;
    write_file(dir / "image.tar", make_tar({{"hello.txt", "hi"}}));
    std::filesystem::resize_file(dir / "image.tar", (std::uintmax_t{1} << 31) + 4096);
    SourceSpec spec;
    spec.path = dir / "image.tar";
    check_error(open_source(spec, {}), Errc::archive_malformed,
                "neither index.json nor manifest.json: not an image archive");
}

TEST_CASE("archive: a tar without index.json or manifest.json is not an image archive") {
    TempDir dir;
    check_error(open_bytes(dir, make_tar({{"hello.txt", "hi"}})), Errc::archive_malformed,
                "neither index.json nor manifest.json: not an image archive");
}

TEST_CASE("docker-archive: manifest.json makes a docker-archive, also next to index.json") {
    SampleImage image;
    const std::string manifest_json =
        R"([{"Config":"c.json","RepoTags":["app:1"],"Layers":["l/layer.tar"]}])";
    {
        TempDir dir;
        auto source = open_bytes(dir, make_tar({{"l/layer.tar", image.layer_tar},
                                                {"c.json", image.config},
                                                {"manifest.json", manifest_json}}));
        REQUIRE(source.has_value());
        CHECK((*source)->kind() == SourceKind::docker_archive);
        auto layer = (*source)->file("l/layer.tar");
        REQUIRE(layer.has_value());
        REQUIRE((*layer)->layer.has_value());
        CHECK((*layer)->layer->diff_id.hex() == sha256_hex(image.layer_tar));
    }
    {
        TempDir dir;  // Docker >= 25: OCI-shaped plus manifest.json
        auto source = open_bytes(
            dir,
            make_tar({{"oci-layout", "{}"}, {"index.json", image.index}, {"manifest.json", manifest_json}}));
        REQUIRE(source.has_value());
        CHECK((*source)->kind() == SourceKind::docker_archive);
    }
}

TEST_CASE("archive: a forced kind that the content contradicts is archive_malformed") {
    SampleImage image;
    TempDir dir;
    check_error(open_bytes(dir, make_tar({{"manifest.json", "[]"}}), SourceKind::oci_archive),
                Errc::archive_malformed, "found manifest.json");
    TempDir dir2;
    check_error(open_bytes(dir2, make_tar({{"index.json", image.index}}), SourceKind::docker_archive),
                Errc::archive_malformed, "no manifest.json");
}

TEST_CASE("archive: kept documents beyond kMaxKeptDocumentBytes are limit_exceeded") {
    std::vector<TarEntry> entries = {{"index.json", "{}"}};
    const std::string doc(3 * 1024 * 1024, ' ');
    for (int i = 0; i < 6; ++i)
        entries.push_back({"doc" + std::to_string(i) + ".json", doc + std::to_string(i)});
    TempDir dir;
    check_error(open_bytes(dir, make_tar(entries)), Errc::limit_exceeded, "kMaxKeptDocumentBytes");
}
