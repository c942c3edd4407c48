// containers-image dir: copies as a source: detection, the dir: transport, lazy reads of blobs
// named by bare hex, symlink refusal and size queries that read nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "edgeverify/source.hpp"
#include "reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

Expected<std::unique_ptr<BlobSource>> open_path(const std::string& argument) {
    auto spec = parse_source_argument(argument);
    REQUIRE(spec.has_value());
    return open_source(*spec, ScanOptions{});
}

}  // namespace

TEST_CASE("dir source: a directory with manifest.json and no index.json is a dir: copy") {
    TempDir dir;
    write_file(dir / "manifest.json", "{}");
    write_file(dir / "version", "Directory Transport Version: 1.1\n");
    auto source = open_path(dir.path());
    REQUIRE(source.has_value());
    CHECK((*source)->kind() == SourceKind::containers_dir);
    CHECK(source_kind_name(SourceKind::containers_dir) == "dir");
}

TEST_CASE("dir source: manifest.json beside index.json or oci-layout is a layout") {
    for (const std::string layout_file : {"index.json", "oci-layout"}) {
        TempDir dir;
        write_file(dir / "manifest.json", "[]");
        write_file(dir / layout_file, "{}");
        auto source = open_path(dir.path());
        REQUIRE(source.has_value());
        CHECK((*source)->kind() == SourceKind::oci_layout);
    }
}

TEST_CASE("dir source: dir:PATH forces the kind and takes no image name") {
    auto spec = parse_source_argument("dir:/tmp/copy");
    REQUIRE(spec.has_value());
    CHECK(spec->forced_kind == SourceKind::containers_dir);
    CHECK(spec->path == "/tmp/copy");
    CHECK(spec->image_name.empty());

    auto named = parse_source_argument("dir:/tmp/copy:app:1.0");
    REQUIRE_FALSE(named.has_value());
    CHECK(named.error().code == Errc::usage);
    CHECK(named.error().message ==
          "source dir:/tmp/copy:app:1.0: a dir: copy holds one image and takes no name after ':'");
}

TEST_CASE("dir source: dir: on an empty directory is still a dir: source") {
    TempDir dir;
    auto source = open_path("dir:" + dir.path());
    REQUIRE(source.has_value());
    CHECK((*source)->kind() == SourceKind::containers_dir);
}

TEST_CASE("dir source: dir: naming a file is a usage error") {
    TempDir dir;
    write_file(dir / "image.tar", "not a directory");
    auto source = open_path("dir:" + (dir / "image.tar"));
    REQUIRE_FALSE(source.has_value());
    CHECK(source.error().code == Errc::usage);
    CHECK(source.error().message.find("dir: names a directory") != std::string::npos);
}

TEST_CASE("dir source: blobs are read lazily by bare hex name, sized without reading") {
    TempDir dir;
    const std::string config = R"({"rootfs":{"type":"layers","diff_ids":[]}})";
    const std::string hex = sha256_hex(config);
    write_file(dir / "manifest.json", "{}");
    write_file(dir / hex, config);
    auto source = open_path("dir:" + dir.path());
    REQUIRE(source.has_value());
    auto size = (*source)->file_size(hex);
    REQUIRE(size.has_value());
    CHECK(*size == config.size());
    CHECK((*source)->bytes_read() == 0);
    auto record = (*source)->file(hex);
    REQUIRE(record.has_value());
    CHECK((*record)->digest.str() == "sha256:" + hex);
    CHECK((*source)->bytes_read() == config.size());
}

TEST_CASE("dir source: a symlinked blob is unsafe_path, for reads and sizes") {
    TempDir dir;
    write_file(dir / "manifest.json", "{}");
    write_file(dir / "outside", "secret");
    const std::string hex(64, 'c');
    std::filesystem::create_symlink("outside", dir / hex);
    auto source = open_path("dir:" + dir.path());
    REQUIRE(source.has_value());
    auto record = (*source)->file(hex);
    REQUIRE_FALSE(record.has_value());
    CHECK(record.error().code == Errc::unsafe_path);
    auto size = (*source)->file_size(hex);
    REQUIRE_FALSE(size.has_value());
    CHECK(size.error().code == Errc::unsafe_path);
}

TEST_CASE("dir source: a missing blob is blob_missing naming the dir: copy") {
    TempDir dir;
    write_file(dir / "manifest.json", "{}");
    auto source = open_path("dir:" + dir.path());
    REQUIRE(source.has_value());
    auto record = (*source)->file(std::string(64, 'd'));
    REQUIRE_FALSE(record.has_value());
    CHECK(record.error().code == Errc::blob_missing);
    CHECK(record.error().message.find("no such file in the dir: copy") != std::string::npos);
}
