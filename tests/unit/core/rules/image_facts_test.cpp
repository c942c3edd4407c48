// Facts recorded during the pass: captured package databases and os-release, watched paths,
// and the inventory parsed from them (bounded, topmost layer wins).
#include <doctest/doctest.h>

#include "../reader/tar_test_archives.hpp"
#include "edgeverify/image_facts.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify {
namespace {

using tar_test::Entry;
using tar_test::write_tar;

LayerFacts scan(const std::string& tar, LayerScanOptions options = {}) {
    LayerTarScanner scanner(std::move(options));
    REQUIRE(scanner.feed(tar.data(), tar.size()));
    REQUIRE(scanner.finish());
    return scanner.facts();
}

const char* kDpkgStatus =
    "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\nDescription: GNU C\n continued line\n\n"
    "Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
    "Package: busybox\nStatus: install ok installed\nVersion: 1:1.35.0-4\n";

}  // namespace

TEST_SUITE("rules facts") {
    TEST_CASE("the scanner captures package databases and os-release, in chunks of any size") {
        const std::string tar = write_tar(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
                                          {{"var/lib/dpkg/status", AE_IFREG, 0644, kDpkgStatus},
                                           {"etc/os-release", AE_IFREG, 0644, "ID=debian\nPRETTY_NAME=\"Debian 12\"\n"},
                                           {"etc/other", AE_IFREG, 0644, "not captured"}});
        LayerTarScanner scanner;
        for (std::size_t at = 0; at < tar.size(); at += 7) {
            REQUIRE(scanner.feed(tar.data() + at, std::min<std::size_t>(7, tar.size() - at)));
        }
        REQUIRE(scanner.finish());
        const auto& files = scanner.facts().captured_files;
        REQUIRE(files.size() == 2);
        CHECK(files[0].path == "var/lib/dpkg/status");
        CHECK(files[0].content == kDpkgStatus);
        CHECK_FALSE(files[0].truncated);
        CHECK(files[1].path == "etc/os-release");
    }

    TEST_CASE("captured content is bounded by the pass's budget and marked truncated") {
        auto budget = std::make_shared<std::atomic<std::uint64_t>>(10);
        const LayerFacts facts = scan(write_tar(ARCHIVE_FORMAT_TAR_USTAR, {{"lib/apk/db/installed", AE_IFREG, 0644,
                                                                            std::string(100, 'x')}}),
                                      LayerScanOptions{{}, budget});
        REQUIRE(facts.captured_files.size() == 1);
        CHECK(facts.captured_files[0].content == std::string(10, 'x'));
        CHECK(facts.captured_files[0].size == 100);
        CHECK(facts.captured_files[0].truncated);
        CHECK(budget->load() == 0);
    }

    TEST_CASE("watched paths become findings: exact paths and directory prefixes") {
        const LayerFacts facts = scan(write_tar(ARCHIVE_FORMAT_TAR_USTAR,
                                                {{"bin/sh", AE_IFREG, 0755, "x"},
                                                 {"usr/lib/apt", AE_IFDIR, 0755},
                                                 {"usr/lib/apt/methods", AE_IFREG, 0755, "x"},
                                                 {"usr/lib/aptitude", AE_IFREG, 0755, "x"}}),
                                      LayerScanOptions{{"bin/sh", "usr/lib/apt/"}, nullptr});
        std::vector<std::string> watched;
        for (const auto& f : facts.findings) {
            if (f.kind == FindingKind::watched_path) watched.push_back(f.path + " " + f.detail);
        }
        CHECK(watched == std::vector<std::string>{"bin/sh present", "usr/lib/apt directory", "usr/lib/apt/methods present"});
    }

    TEST_CASE("dpkg status: only installed packages are listed") {
        PackageInventory inventory;
        parse_dpkg_status(kDpkgStatus, inventory);
        REQUIRE(inventory.packages.size() == 2);
        CHECK(inventory.packages[0].name == "libc6");
        CHECK(inventory.packages[0].version == "2.36-9+deb12u4");
        CHECK(inventory.packages[1].name == "busybox");
        CHECK(inventory.packages[1].version == "1:1.35.0-4");
    }

    TEST_CASE("dpkg status: the source package and its version, from Source") {
        PackageInventory inventory;
        parse_dpkg_status("Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n\n"
                          "Package: libssl-doc\nSource: openssl (3.0.11-1~deb12u2)\nVersion: 3.0.11-1~deb12u2+b1\n"
                          "Status: install ok installed\n",
                          inventory);
        REQUIRE(inventory.packages.size() == 2);
        CHECK(inventory.packages[0].source == "openssl");
        CHECK(inventory.packages[0].source_version == "3.0.11-1~deb12u2");  // no version given: the binary's
        CHECK(inventory.packages[1].name == "libssl-doc");
        CHECK(inventory.packages[1].version == "3.0.11-1~deb12u2+b1");
        CHECK(inventory.packages[1].source == "openssl");
        CHECK(inventory.packages[1].source_version == "3.0.11-1~deb12u2");
        // Without Source, a package is its own source.
        PackageInventory plain;
        parse_dpkg_status(kDpkgStatus, plain);
        CHECK(plain.packages[0].source == "libc6");
        CHECK(plain.packages[0].source_version == "2.36-9+deb12u4");
    }

    TEST_CASE("dpkg status: Source lines, read or skipped like any unreadable line") {
        struct Case {
            const char* line;
            const char* source;
            const char* source_version;
        };
        const Case cases[] = {
            {"Source: openssl", "openssl", "1.0-1"},
            {"Source: openssl (3.0-2)", "openssl", "3.0-2"},
            {"Source:   openssl   ( 1:3.0-2 )  ", "openssl", "1:3.0-2"},
            {"Source: openssl(3.0-2)", "openssl", "3.0-2"},
            // Malformed: skipped, the package stays listed as its own source.
            {"Source:", "bin", "1.0-1"},
            {"Source: openssl (3.0-2", "bin", "1.0-1"},
            {"Source: openssl 3.0-2", "bin", "1.0-1"},
            {"Source: openssl (3.0-2) extra", "bin", "1.0-1"},
            {"Source: openssl ()", "bin", "1.0-1"},
            {"Source: (3.0-2)", "bin", "1.0-1"},
            {"Source: openssl (3.0 2)", "bin", "1.0-1"},
            {"Source: openssl ((3.0-2))", "bin", "1.0-1"},
            {"Source: open)ssl", "bin", "1.0-1"},
            {" Source: openssl", "bin", "1.0-1"},  // a continuation line, not a field
        };
        for (const Case& c : cases) {
            CAPTURE(c.line);
            PackageInventory inventory;
            parse_dpkg_status(std::string("Package: bin\nVersion: 1.0-1\n") + c.line + "\nStatus: install ok installed\n",
                              inventory);
            REQUIRE(inventory.packages.size() == 1);
            CHECK(inventory.packages[0].name == "bin");
            CHECK(inventory.packages[0].version == "1.0-1");
            CHECK(inventory.packages[0].source == c.source);
            CHECK(inventory.packages[0].source_version == c.source_version);
        }
    }

    TEST_CASE("apk installed database: the origin is the source, with the package's version") {
        PackageInventory inventory;
        parse_apk_installed("P:libcrypto3\nV:3.1.4-r5\no:openssl\n\nP:musl\nV:1.2.4-r2\no:\n\nP:zlib\nV:1.3-r2\n", inventory);
        REQUIRE(inventory.packages.size() == 3);
        CHECK(inventory.packages[0].source == "openssl");
        CHECK(inventory.packages[0].source_version == "3.1.4-r5");
        CHECK(inventory.packages[1].source == "musl");  // an empty origin is none
        CHECK(inventory.packages[2].source == "zlib");
        CHECK(inventory.packages[2].source_version == "1.3-r2");
    }

    TEST_CASE("apk installed database and os-release") {
        PackageInventory inventory;
        parse_apk_installed("C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r5\n", inventory);
        REQUIRE(inventory.packages.size() == 2);
        CHECK(inventory.packages[1].name == "busybox");
        CHECK(inventory.packages[1].version == "1.36.1-r5");
        const auto os = parse_os_release("# comment\nID=alpine\nVERSION_ID='3.19.1'\nPRETTY_NAME=\"Alpine Linux v3.19\"\n");
        CHECK(os.at("ID") == "alpine");
        CHECK(os.at("VERSION_ID") == "3.19.1");
        CHECK(os.at("PRETTY_NAME") == "Alpine Linux v3.19");
    }

    TEST_CASE("the inventory stops at kMaxPackagesPerImage and counts the rest") {
        std::string db;
        for (std::size_t i = 0; i < limits::kMaxPackagesPerImage + 3; ++i) db += "P:p" + std::to_string(i) + "\nV:1\n\n";
        PackageInventory inventory;
        parse_apk_installed(db, inventory);
        CHECK(inventory.packages.size() == limits::kMaxPackagesPerImage);
        CHECK(inventory.packages_not_listed == 3);
    }

    TEST_CASE("collect_image_facts: sizes, base and version annotations, topmost database wins") {
        ImageResult image;
        image.config = ImageConfig{};
        image.config->user = "app";
        image.config->labels["org.opencontainers.image.version"] = "2.0.0";
        image.annotations["org.opencontainers.image.base.digest"] = "sha256:" + std::string(64, 'b');
        for (int i = 0; i < 2; ++i) {
            LayerResult layer;
            layer.index = static_cast<std::size_t>(i);
            layer.descriptor.size = 10 + i;
            layer.uncompressed_size = 100;
            layer.facts.captured_files.push_back(
                CapturedFile{"lib/apk/db/installed", 10, "P:pkg" + std::to_string(i) + "\nV:1\n", false});
            image.layers.push_back(layer);
        }
        const ImageFacts facts = collect_image_facts(image);
        CHECK(facts.compressed_bytes == 21);
        CHECK(facts.uncompressed_bytes == 200);
        CHECK(facts.version == "2.0.0");  // from the label when the manifest has no annotation
        CHECK(facts.base_digest == "sha256:" + std::string(64, 'b'));
        CHECK(facts.packages.ecosystem == "apk");
        REQUIRE(facts.packages.packages.size() == 1);
        CHECK(facts.packages.packages[0].name == "pkg1");
    }
}

}  // namespace edgeverify
