// SOURCE argument parsing: plain paths and skopeo-style transports.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/reader/sources.hpp"
#include "edgeverify/source.hpp"

using namespace edgeverify;

namespace {

struct SpecCase {
    std::string argument;
    std::optional<SourceKind> kind;
    std::string path;
    std::string image_name;
};

}  // namespace

TEST_CASE("parse_source_argument splits transport, path and image name") {
    const std::vector<SpecCase> cases = {
        {"image-dir", std::nullopt, "image-dir", ""},
        {"/var/lib/images/app.tar", std::nullopt, "/var/lib/images/app.tar", ""},
        {"odd:name.tar", std::nullopt, "odd:name.tar", ""},  // unknown prefix: the whole argument is a path
        {"oci:layout", SourceKind::oci_layout, "layout", ""},
        {"oci:layout:v1.2", SourceKind::oci_layout, "layout", "v1.2"},
        {"oci-archive:/tmp/a.tar", SourceKind::oci_archive, "/tmp/a.tar", ""},
        {"oci-archive:a.tar:registry.example.com/fleet/app:1.0", SourceKind::oci_archive, "a.tar",
         "registry.example.com/fleet/app:1.0"},
        {"docker-archive:f.tar", SourceKind::docker_archive, "f.tar", ""},
        {"docker-archive:f.tar:app:1.0", SourceKind::docker_archive, "f.tar", "app:1.0"},
        {"docker-archive:f.tar:localhost:5000/app:1.0", SourceKind::docker_archive, "f.tar",
         "localhost:5000/app:1.0"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.argument);
        auto spec = parse_source_argument(c.argument);
        REQUIRE(spec.has_value());
        CHECK(spec->forced_kind == c.kind);
        CHECK(spec->path == c.path);
        CHECK(spec->image_name == c.image_name);
    }
}

TEST_CASE("parse_source_argument refuses empty paths and names as usage errors") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "empty"},
        {"oci:", "empty path"},
        {"oci-archive::ref", "empty path"},
        {"docker-archive:", "empty path"},
        {"oci:dir:", "empty image name"},
    };
    for (const auto& entry : cases) {  // no structured binding: clang 14 cannot capture one
        const std::string& argument = entry.first;
        const std::string& message = entry.second;
        CAPTURE(argument);
        auto spec = parse_source_argument(argument);
        REQUIRE_FALSE(spec.has_value());
        CHECK(spec.error().code == Errc::usage);
        CHECK(spec.error().message.find(message) != std::string::npos);
    }
}

TEST_CASE("source_kind_name uses the transport names") {
    CHECK(source_kind_name(SourceKind::oci_layout) == "oci");
    CHECK(source_kind_name(SourceKind::oci_archive) == "oci-archive");
    CHECK(source_kind_name(SourceKind::docker_archive) == "docker-archive");
}

TEST_CASE("normalize_source_path drops ./ and refuses escapes") {
    CHECK(*reader::normalize_source_path("./index.json") == "index.json");
    CHECK(*reader::normalize_source_path("blobs//sha256/./ab") == "blobs/sha256/ab");
    CHECK(*reader::normalize_source_path("dir/") == "dir");
    for (const char* bad : {"/etc/passwd", "../x", "a/../../x", "a/..", "", "./"}) {
        CAPTURE(bad);
        auto normalized = reader::normalize_source_path(bad);
        REQUIRE_FALSE(normalized.has_value());
        CHECK(normalized.error().code == Errc::unsafe_path);
    }
}
