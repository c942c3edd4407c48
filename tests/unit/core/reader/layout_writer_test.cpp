// LayoutWriter: staging, replace semantics and atomic commit for a layout directory and an
// oci-archive; what cannot be written in place is refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "edgeverify/layout_writer.hpp"
#include "unit/core/reader/reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

const std::string kOciLayout = R"({"imageLayoutVersion":"1.0.0"})";
const std::string kIndex = R"({"schemaVersion":2,"manifests":[]})";

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::unique_ptr<LayoutWriter> open_writer(const std::string& path) {
    SourceSpec spec;
    spec.path = path;
    auto writer = open_layout_writer(spec);
    REQUIRE(writer);
    return std::move(*writer);
}

Error open_error(const std::string& path) {
    SourceSpec spec;
    spec.path = path;
    auto writer = open_layout_writer(spec);
    REQUIRE_FALSE(writer);
    return writer.error();
}

std::string read_staged(LayoutWriter& writer, const std::string& path) {
    auto bytes = writer.read_file(path, 1 << 20);
    REQUIRE(bytes);
    REQUIRE(bytes->has_value());
    return **bytes;
}

struct Layout {
    TempDir dir;
    Layout() {
        write_file(dir / "oci-layout", kOciLayout);
        write_file(dir / "index.json", kIndex);
        write_file(dir / "blobs/sha256/aa", "old blob");
    }
};

// name, file type, permissions, content of every entry of a tar, in order.
using TarListing = std::vector<std::tuple<std::string, mode_t, mode_t, std::string>>;
TarListing list_tar(const std::string& bytes) {
    TarListing entries;
    struct archive* archive = archive_read_new();
    archive_read_support_format_tar(archive);
    REQUIRE(archive_read_open_memory(archive, bytes.data(), bytes.size()) == ARCHIVE_OK);
    struct archive_entry* entry = nullptr;
    int status = ARCHIVE_OK;
    while ((status = archive_read_next_header(archive, &entry)) == ARCHIVE_OK) {
        std::string content;
        char buffer[4096];
        la_ssize_t got = 0;
        while ((got = archive_read_data(archive, buffer, sizeof buffer)) > 0) content.append(buffer, got);
        REQUIRE(got == 0);
        entries.emplace_back(archive_entry_pathname(entry), archive_entry_filetype(entry),
                             archive_entry_perm(entry), content);
    }
    CHECK(status == ARCHIVE_EOF);
    archive_read_free(archive);
    return entries;
}

const std::string kLayer = pseudo_random_bytes(100000, 3);

std::vector<TarEntry> archive_entries() {
    return {{"oci-layout", kOciLayout},
            {"blobs/", "", EntryType::directory, "", 0755},
            {"blobs/sha256/", "", EntryType::directory, "", 0755},
            {"blobs/sha256/layer", kLayer},
            {"blobs/sha256/link", "", EntryType::symlink, "layer"},
            {"index.json", kIndex}};
}

}  // namespace

TEST_SUITE("reader") {
    TEST_CASE(
        "layout writer (directory): staged files are invisible before commit, read back, then committed") {
        Layout layout;
        auto writer = open_writer(layout.dir.path());
        CHECK(writer->kind() == SourceKind::oci_layout);
        REQUIRE(writer->put_file("blobs/sha256/bb", "new blob"));
        REQUIRE(writer->put_file("index.json", R"({"schemaVersion":2,"manifests":[1]})"));
        CHECK_FALSE(std::filesystem::exists(layout.dir / "blobs/sha256/bb"));
        CHECK(read_all(layout.dir / "index.json") == kIndex);
        CHECK(read_staged(*writer, "blobs/sha256/bb") == "new blob");
        CHECK(read_staged(*writer, "./index.json") == R"({"schemaVersion":2,"manifests":[1]})");
        CHECK(read_staged(*writer, "blobs/sha256/aa") == "old blob");
        auto absent = writer->read_file("blobs/sha256/cc", 100);
        REQUIRE(absent);
        CHECK_FALSE(absent->has_value());

        REQUIRE(writer->commit());
        CHECK(read_all(layout.dir / "blobs/sha256/bb") == "new blob");
        CHECK(read_all(layout.dir / "index.json") == R"({"schemaVersion":2,"manifests":[1]})");
        for (const auto& entry : std::filesystem::recursive_directory_iterator(layout.dir.path())) {
            CHECK(entry.path().filename().string().rfind(".edgeverify-tmp-", 0) == std::string::npos);
        }
    }

    TEST_CASE(
        "layout writer (directory): a later put of the same path replaces the earlier one and the file") {
        Layout layout;
        auto writer = open_writer(layout.dir.path());
        REQUIRE(writer->put_file("blobs/sha256/aa", "first"));
        REQUIRE(writer->put_file("blobs/sha256/aa", "second"));
        CHECK(read_staged(*writer, "blobs/sha256/aa") == "second");
        REQUIRE(writer->commit());
        CHECK(read_all(layout.dir / "blobs/sha256/aa") == "second");
    }

    TEST_CASE("layout writer (directory): symlinks, '..' and oversized files are refused") {
        Layout layout;
        TempDir outside;
        write_file(outside / "index.json", kIndex);
        std::filesystem::remove(layout.dir / "index.json");
        std::filesystem::create_symlink(outside / "index.json", layout.dir / "index.json");
        auto writer = open_writer(layout.dir.path());
        auto refused = writer->read_file("index.json", 1 << 20);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::unsafe_path);
        REQUIRE(writer->put_file("index.json", "{}"));
        REQUIRE(writer->commit());
        // The link itself is replaced by a regular file; its target is untouched.
        CHECK_FALSE(std::filesystem::is_symlink(layout.dir / "index.json"));
        CHECK(read_all(outside / "index.json") == kIndex);

        auto dotdot = writer->put_file("../escape", "x");
        REQUIRE_FALSE(dotdot);
        CHECK(dotdot.error().code == Errc::unsafe_path);
        auto large = writer->read_file("blobs/sha256/aa", 3);
        REQUIRE_FALSE(large);
        CHECK(large.error().code == Errc::limit_exceeded);
    }

    TEST_CASE("layout writer (directory): a directory without oci-layout is not a layout") {
        TempDir empty;
        CHECK(open_error(empty.path()).code == Errc::not_found);
    }

    TEST_CASE("layout writer (archive): commit rewrites the tar with every old entry intact") {
        TempDir dir;
        const std::string path = dir / "image.oci.tar";
        const std::string original = make_tar(archive_entries());
        write_file(path, original);
        auto writer = open_writer(path);
        CHECK(writer->kind() == SourceKind::oci_archive);
        CHECK(read_staged(*writer, "index.json") == kIndex);
        CHECK(read_staged(*writer, "blobs/sha256/layer") == kLayer);  // not kept at open: read again
        auto link = writer->read_file("blobs/sha256/link", 1 << 20);
        REQUIRE_FALSE(link);
        CHECK(link.error().code == Errc::unsafe_path);

        const std::string new_index = R"({"schemaVersion":2,"manifests":[{"x":1}]})";
        REQUIRE(writer->put_file("blobs/sha256/new", "signature"));
        REQUIRE(writer->put_file("index.json", new_index));
        CHECK(read_staged(*writer, "index.json") == new_index);
        CHECK(read_all(path) == original);  // nothing visible before commit

        REQUIRE(writer->commit());
        const TarListing listing = list_tar(read_all(path));
        const TarListing expected{
            {"oci-layout", AE_IFREG, 0644, kOciLayout},
            {"blobs/", AE_IFDIR, 0755, ""},
            {"blobs/sha256/", AE_IFDIR, 0755, ""},
            {"blobs/sha256/layer", AE_IFREG, 0644, kLayer},
            {"blobs/sha256/link", AE_IFLNK, 0644, ""},
            {"index.json", AE_IFREG, 0644, new_index},          // replaced in place
            {"blobs/sha256/new", AE_IFREG, 0644, "signature"},  // appended
        };
        CHECK(listing == expected);
        for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
            CHECK(entry.path().filename().string().rfind(".edgeverify-tmp-", 0) == std::string::npos);
        }
        // The writer now reads the new archive.
        CHECK(read_staged(*writer, "blobs/sha256/new") == "signature");
    }

    TEST_CASE("layout writer (archive): a compressed oci-archive and a docker-archive are refused") {
        TempDir dir;
        write_file(dir / "gz.tar", make_tar(archive_entries(), Filter::gzip));
        const Error gz = open_error(dir / "gz.tar");
        CHECK(gz.code == Errc::usage);
        CHECK(gz.message.find("compressed") != std::string::npos);
        write_file(dir / "zst.tar", make_tar(archive_entries(), Filter::zstd));
        CHECK(open_error(dir / "zst.tar").code == Errc::usage);
        write_file(dir / "docker.tar", make_tar({{"manifest.json", "[]"}, {"repositories", "{}"}}));
        const Error docker = open_error(dir / "docker.tar");
        CHECK(docker.code == Errc::usage);
        CHECK(docker.message.find("docker-archive") != std::string::npos);
        write_file(dir / "plain.tar", make_tar({{"hello", "world"}}));
        CHECK(open_error(dir / "plain.tar").code == Errc::archive_malformed);
    }

    TEST_CASE("layout writer (archive): an entry named with '..' is refused") {
        TempDir dir;
        auto entries = archive_entries();
        entries.push_back({"../escape", "x"});
        write_file(dir / "bad.tar", make_tar(entries));
        CHECK(open_error(dir / "bad.tar").code == Errc::unsafe_path);
    }
}
