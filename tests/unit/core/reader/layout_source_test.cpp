// OCI layout directories: lazy reads, path safety, symlink refusal, caching.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "edgeverify/source.hpp"
#include "reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

std::unique_ptr<BlobSource> open_layout(const std::string& path) {
    SourceSpec spec;
    spec.path = path;
    auto source = open_source(spec, ScanOptions{});
    REQUIRE(source.has_value());
    return std::move(source).value();
}

}  // namespace

TEST_CASE("layout: a regular blob is read, hashed and cached") {
    TempDir dir;
    const std::string json = R"({"schemaVersion":2})";
    const std::string hex = sha256_hex(json);
    write_file(dir / ("blobs/sha256/" + hex), json);
    write_file(dir / "index.json", "{}");
    auto source = open_layout(dir.path());
    CHECK(source->kind() == SourceKind::oci_layout);
    CHECK(source->bytes_read() == 0);  // lazy

    auto record = source->file("blobs/sha256/" + hex);
    REQUIRE(record.has_value());
    CHECK((*record)->digest.hex() == hex);
    CHECK((*record)->path == "blobs/sha256/" + hex);
    REQUIRE((*record)->content.has_value());
    CHECK(*(*record)->content == json);
    CHECK(source->bytes_read() == json.size());

    auto again = source->file("./blobs/sha256/" + hex);
    REQUIRE(again.has_value());
    CHECK(*again == *record);
    CHECK(source->bytes_read() == json.size());  // read once
    CHECK(source->has_file("index.json"));
    CHECK_FALSE(source->has_file("blobs/sha256/0000"));
}

TEST_CASE("layout: a missing blob is blob_missing naming the path") {
    TempDir dir;
    write_file(dir / "index.json", "{}");
    auto source = open_layout(dir.path());
    auto record = source->file("blobs/sha256/abcd");
    REQUIRE_FALSE(record.has_value());
    CHECK(record.error().code == Errc::blob_missing);
    CHECK(record.error().message.find("blobs/sha256/abcd") != std::string::npos);
}

TEST_CASE("layout: a symlinked blob is refused without being followed") {
    TempDir dir;
    write_file(dir / "outside", "{}");
    std::filesystem::create_directories(dir / "blobs/sha256");
    REQUIRE(::symlink((dir / "outside").c_str(), (dir / "blobs/sha256/abcd").c_str()) == 0);
    auto source = open_layout(dir.path());
    auto record = source->file("blobs/sha256/abcd");
    REQUIRE_FALSE(record.has_value());
    CHECK(record.error().code == Errc::unsafe_path);
    CHECK(record.error().message.find("blobs/sha256/abcd: is a symbolic link") != std::string::npos);
    CHECK_FALSE(source->has_file("blobs/sha256/abcd"));
}

TEST_CASE("layout: a symlinked blobs directory is refused") {
    TempDir dir;
    TempDir elsewhere;
    write_file(elsewhere / "sha256/abcd", "{}");
    REQUIRE(::symlink(elsewhere.path().c_str(), (dir / "blobs").c_str()) == 0);
    auto source = open_layout(dir.path());
    auto record = source->file("blobs/sha256/abcd");
    REQUIRE_FALSE(record.has_value());
    CHECK(record.error().code == Errc::unsafe_path);
    CHECK(record.error().message.find("blobs is a symbolic link") != std::string::npos);
}

TEST_CASE("layout: escaping and absolute paths are unsafe_path") {
    TempDir dir;
    auto source = open_layout(dir.path());
    for (const char* bad : {"../etc/passwd", "/etc/passwd", "blobs/../../x"}) {
        CAPTURE(bad);
        auto record = source->file(bad);
        REQUIRE_FALSE(record.has_value());
        CHECK(record.error().code == Errc::unsafe_path);
    }
}

TEST_CASE("layout: a directory or a FIFO where a blob should be is refused") {
    TempDir dir;
    std::filesystem::create_directories(dir / "blobs/sha256/dir");
    REQUIRE(::mkfifo((dir / "blobs/sha256/fifo").c_str(), 0600) == 0);
    auto source = open_layout(dir.path());
    auto as_dir = source->file("blobs/sha256/dir");
    REQUIRE_FALSE(as_dir.has_value());
    CHECK(as_dir.error().code == Errc::unsafe_path);
    auto as_fifo = source->file("blobs/sha256/fifo");
    REQUIRE_FALSE(as_fifo.has_value());
    CHECK(as_fifo.error().code == Errc::unsafe_path);
    CHECK(as_fifo.error().message.find("not a regular file") != std::string::npos);
}

TEST_CASE("layout: a gzip layer blob is scanned when read") {
    TempDir dir;
    const std::string tar = sample_layer_tar();
    const std::string gz = compress(tar, Filter::gzip);
    write_file(dir / ("blobs/sha256/" + sha256_hex(gz)), gz);
    auto source = open_layout(dir.path());
    auto record = source->file("blobs/sha256/" + sha256_hex(gz));
    REQUIRE(record.has_value());
    REQUIRE((*record)->layer.has_value());
    CHECK((*record)->layer->diff_id.hex() == sha256_hex(tar));
    CHECK(source->bytes_read() == gz.size());
}

TEST_CASE("open_source: missing paths, wrong kinds and unreadable directories") {
    TempDir dir;
    SourceSpec missing;
    missing.path = dir / "nope";
    auto none = open_source(missing, {});
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error().code == Errc::not_found);
    CHECK(none.error().message.find("no such file or directory") != std::string::npos);

    SourceSpec dir_as_archive;
    dir_as_archive.path = dir.path();
    dir_as_archive.forced_kind = SourceKind::oci_archive;
    auto wrong = open_source(dir_as_archive, {});
    REQUIRE_FALSE(wrong.has_value());
    CHECK(wrong.error().code == Errc::usage);
    CHECK(wrong.error().message.find("is a directory") != std::string::npos);

    write_file(dir / "file.tar", "x");
    SourceSpec file_as_layout;
    file_as_layout.path = dir / "file.tar";
    file_as_layout.forced_kind = SourceKind::oci_layout;
    auto wrong_file = open_source(file_as_layout, {});
    REQUIRE_FALSE(wrong_file.has_value());
    CHECK(wrong_file.error().code == Errc::usage);

    if (::geteuid() != 0) {  // root reads anything
        std::filesystem::create_directories(dir / "locked");
        ::chmod((dir / "locked").c_str(), 0);
        SourceSpec locked;
        locked.path = dir / "locked";
        auto denied = open_source(locked, {});
        REQUIRE_FALSE(denied.has_value());
        CHECK(denied.error().code == Errc::permission_denied);
        ::chmod((dir / "locked").c_str(), 0700);
    }
}
