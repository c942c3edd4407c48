// Platforms: parsing --platform, the host platform, and the index selection rule.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;

namespace {
ImageIndex index_of(const std::vector<Platform>& platforms) {
    ImageIndex index;
    for (const Platform& platform : platforms) {
        Descriptor descriptor;
        descriptor.media_type = std::string(media_type::kOciManifest);
        descriptor.platform = platform;
        index.manifests.push_back(descriptor);
    }
    return index;
}

Platform platform(std::string os, std::string architecture, std::string variant = {}) {
    Platform p;
    p.os = std::move(os);
    p.architecture = std::move(architecture);
    p.variant = std::move(variant);
    return p;
}
}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci platform: parse_platform normalizes aliases") {
        struct Row {
            const char* text;
            const char* normalized;
        };
        const std::vector<Row> rows = {
            {"linux/amd64", "linux/amd64"},
            {"linux/x86_64", "linux/amd64"},
            {"linux/x86-64", "linux/amd64"},
            {"linux/aarch64", "linux/arm64"},
            {"linux/arm64/v8", "linux/arm64"},
            {"linux/aarch64/v8", "linux/arm64"},
            {"linux/arm64/v8.2", "linux/arm64/v8.2"},
            {"linux/arm/v7", "linux/arm/v7"},
            {"linux/arm/7", "linux/arm/v7"},
            {"linux/armhf", "linux/arm/v7"},
            {"linux/armel", "linux/arm/v6"},
            {"linux/arm", "linux/arm"},
            {"linux/i386", "linux/386"},
            {"linux/riscv64", "linux/riscv64"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.text);
            auto parsed = parse_platform(row.text);
            REQUIRE(parsed);
            CHECK(parsed->str() == row.normalized);
        }
    }

    TEST_CASE("oci platform: malformed --platform values are usage errors") {
        struct Row {
            const char* text;
            const char* fragment;
        };
        const std::vector<Row> rows = {
            {"", "empty"},
            {"linux", "missing the architecture"},
            {"linux/", "empty part"},
            {"/amd64", "empty part"},
            {"linux//v7", "empty part"},
            {"linux/arm/v7/extra", "too many parts"},
            {"Linux/amd64", "lowercase"},
            {"linux/arm 64", "only lowercase letters"},
            {"linux/armhf/v6", "armhf means arm/v7"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.text);
            check_error(parse_platform(row.text), Errc::usage, row.fragment);
            check_error(parse_platform(row.text), Errc::usage, "expected os/arch[/variant]");
        }
    }

    TEST_CASE("oci platform: host_platform names a known build target") {
        const Platform host = host_platform();
        CHECK(host.os == "linux");
        CHECK_FALSE(host.architecture.empty());
        CHECK(host.architecture != "unknown");
#if defined(__x86_64__)
        CHECK(host.str() == "linux/amd64");
#elif defined(__aarch64__)
        CHECK(host.str() == "linux/arm64");
#endif
        // Whatever the host, its own name parses back to itself.
        auto reparsed = parse_platform(host.str());
        REQUIRE(reparsed);
        CHECK(reparsed->str() == host.str());
    }

    TEST_CASE("oci platform: the exact os/arch/variant match wins, first one first") {
        const ImageIndex index = index_of(
            {platform("linux", "arm"), platform("linux", "arm", "v7"), platform("linux", "arm", "v7")});
        CHECK(select_platform(index, platform("linux", "arm", "v7")) == 1u);
    }

    TEST_CASE("oci platform: otherwise the first entry of the architecture without a variant") {
        const ImageIndex index =
            index_of({platform("linux", "arm", "v7"), platform("linux", "arm"), platform("linux", "arm")});
        CHECK(select_platform(index, platform("linux", "arm", "v5")) == 1u);
    }

    TEST_CASE("oci platform: another variant is never chosen as a fallback") {
        const ImageIndex index = index_of({platform("linux", "arm", "v7")});
        CHECK_FALSE(select_platform(index, platform("linux", "arm", "v6")));
    }

    TEST_CASE("oci platform: no match means nullopt, never another architecture or os") {
        const ImageIndex index = index_of({platform("linux", "amd64"), platform("windows", "arm64")});
        CHECK_FALSE(select_platform(index, platform("linux", "arm64")));
    }

    TEST_CASE("oci platform: entries without a platform are not candidates") {
        ImageIndex index = index_of({platform("linux", "arm64")});
        Descriptor no_platform;
        index.manifests.insert(index.manifests.begin(), no_platform);
        CHECK(select_platform(index, platform("linux", "arm64")) == 1u);
    }

    TEST_CASE("oci platform: spellings are normalized on both sides") {
        const ImageIndex docker_list =
            index_of({platform("linux", "arm", "armv7"), platform("linux", "arm64", "armv8")});
        CHECK(select_platform(docker_list, platform("linux", "arm", "v7")) == 0u);
        CHECK(select_platform(docker_list, platform("linux", "arm64")) == 1u);
        CHECK(select_platform(docker_list, platform("linux", "aarch64", "v8")) == 1u);
        const ImageIndex uname = index_of({platform("linux", "x86_64")});
        CHECK(select_platform(uname, platform("linux", "amd64")) == 0u);
    }
}
