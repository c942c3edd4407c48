// Specification of the facts the layer tar scanner records per entry: each finding kind, path
// normalization, etc/passwd and package databases, and the findings limit.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "edgeverify/layer_scan.hpp"
#include "edgeverify/limits.hpp"
#include "tar_test_archives.hpp"

using namespace edgeverify;
using namespace edgeverify::tar_test;

TEST_SUITE("layer_tar_scanner.facts") {
    TEST_CASE("setuid and setgid regular files are findings with their octal mode") {
        const auto facts = scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR, {{.path = "bin/su", .perm = 04755},
                                                                        {.path = "bin/wall", .perm = 02755},
                                                                        {.path = "bin/ls", .perm = 0755}}));
        CHECK(findings_of(facts, FindingKind::setuid) == std::vector<std::string>{"bin/su | 4755"});
        CHECK(findings_of(facts, FindingKind::setgid) == std::vector<std::string>{"bin/wall | 2755"});
    }

    TEST_CASE("world-writable files and non-sticky directories are findings; symlinks and /tmp are not") {
        const auto facts =
            scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR,
                              {{.path = "data/log", .perm = 0666},
                               {.path = "shared/", .type = AE_IFDIR, .perm = 0777},
                               {.path = "tmp/", .type = AE_IFDIR, .perm = 01777},
                               {.path = "lnk", .type = AE_IFLNK, .perm = 0777, .symlink = "data/log"}}));
        CHECK(findings_of(facts, FindingKind::world_writable) ==
              std::vector<std::string>{"data/log | 0666", "shared | 0777"});
    }

    TEST_CASE("device nodes are findings naming char or block and major:minor") {
        const auto facts =
            scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR,
                              {{.path = "dev/null", .type = AE_IFCHR, .perm = 0600, .major = 1, .minor = 3},
                               {.path = "dev/sda", .type = AE_IFBLK, .perm = 0600, .major = 8, .minor = 0}}));
        CHECK(findings_of(facts, FindingKind::device_node) ==
              std::vector<std::string>{"dev/null | char 1:3", "dev/sda | block 8:0"});
    }

    TEST_CASE("fifos are findings") {
        const auto facts =
            scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR, {{.path = "run/pipe", .type = AE_IFIFO}}));
        CHECK(findings_of(facts, FindingKind::fifo) == std::vector<std::string>{"run/pipe | 0644"});
    }

    TEST_CASE("absolute entry names are findings") {
        const auto facts = scan_ok(raw_header({.name = "/etc/cron.d/job"}) + kEndOfArchive);
        CHECK(findings_of(facts, FindingKind::absolute_path) == std::vector<std::string>{"/etc/cron.d/job"});
    }

    TEST_CASE("names whose .. components leave the root are escaping paths") {
        const auto facts = scan_ok(raw_header({.name = "a/../../etc/x"}) + raw_header({.name = "a/../b"}) +
                                   raw_header({.name = "../x"}) + kEndOfArchive);
        CHECK(findings_of(facts, FindingKind::escaping_path) ==
              std::vector<std::string>{"a/../../etc/x", "../x"});
    }

    TEST_CASE("symlinks with absolute targets are absolute links, not escapes") {
        const auto facts = scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR,
                                             {{.path = "bin/sh", .type = AE_IFLNK, .symlink = "/bin/bash"}}));
        CHECK(findings_of(facts, FindingKind::absolute_link) ==
              std::vector<std::string>{"bin/sh | symlink to /bin/bash"});
        CHECK(findings_of(facts, FindingKind::escaping_link).empty());
    }

    TEST_CASE("symlink targets are resolved from the link's directory") {
        const auto facts =
            scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR,
                              {{.path = "usr/lib/ok", .type = AE_IFLNK, .symlink = "../../etc/shadow"},
                               {.path = "usr/lib/bad", .type = AE_IFLNK, .symlink = "../../../etc/shadow"},
                               {.path = "top", .type = AE_IFLNK, .symlink = "a/../../x"}}));
        CHECK(findings_of(facts, FindingKind::escaping_link) ==
              std::vector<std::string>{"usr/lib/bad | symlink to ../../../etc/shadow",
                                       "top | symlink to a/../../x"});
    }

    TEST_CASE("hard link targets that are absolute or escape are findings") {
        const auto facts =
            scan_ok(raw_header({.name = "a", .type = '1', .link = "/etc/shadow"}) +
                    raw_header({.name = "deep/b", .type = '1', .link = "../etc/shadow"}) +
                    raw_header({.name = "deep/c", .type = '1', .link = "deep/b"}) + kEndOfArchive);
        CHECK(facts.hardlinks == 3);
        CHECK(findings_of(facts, FindingKind::absolute_link) ==
              std::vector<std::string>{"a | hard link to /etc/shadow"});
        CHECK(findings_of(facts, FindingKind::escaping_link) ==
              std::vector<std::string>{"deep/b | hard link to ../etc/shadow"});
    }

    TEST_CASE("whiteouts and opaque whiteouts are counted and listed") {
        const auto facts = scan_ok(write_tar(
            ARCHIVE_FORMAT_TAR_USTAR, {{.path = "etc/.wh.passwd"}, {.path = "var/cache/.wh..wh..opq"}}));
        CHECK(facts.whiteouts == 2);
        CHECK_FALSE(facts.has_etc_passwd);
        CHECK(findings_of(facts, FindingKind::whiteout) ==
              std::vector<std::string>{"etc/.wh.passwd | deletes passwd"});
        CHECK(findings_of(facts, FindingKind::opaque_whiteout) ==
              std::vector<std::string>{"var/cache/.wh..wh..opq"});
    }

    TEST_CASE("names are normalized: leading ./ stripped, // collapsed; etc/passwd found") {
        const auto facts = scan_ok(raw_header({.name = "./etc//passwd"}) +
                                   raw_header({.name = ".//usr//bin/su", .mode = 04755}) + kEndOfArchive);
        CHECK(facts.has_etc_passwd);
        CHECK(findings_of(facts, FindingKind::setuid) == std::vector<std::string>{"usr/bin/su | 4755"});
    }

    TEST_CASE("a directory named etc/passwd does not count as the passwd file") {
        CHECK_FALSE(scan_ok(raw_header({.name = "etc/passwd/", .type = '5', .mode = 0755}) + kEndOfArchive)
                        .has_etc_passwd);
    }

    TEST_CASE("package databases are recorded once each") {
        const auto facts =
            scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR, {{.path = "var/lib/dpkg/status"},
                                                         {.path = "lib/apk/db/installed"},
                                                         {.path = "./var/lib/dpkg/status"},
                                                         {.path = "usr/lib/sysimage/rpm/rpmdb.sqlite"},
                                                         {.path = "var/lib/dpkg/status-old"}}));
        CHECK(facts.package_databases == std::vector<std::string>{"var/lib/dpkg/status",
                                                                  "lib/apk/db/installed",
                                                                  "usr/lib/sysimage/rpm/rpmdb.sqlite"});
    }

    TEST_CASE("findings past kMaxFindingsPerLayer are counted, not listed") {
        std::string archive;
        const std::size_t total = limits::kMaxFindingsPerLayer + 44;
        for (std::size_t i = 0; i < total; ++i)
            archive += raw_header({.name = "s" + std::to_string(i), .mode = 04755});
        const auto facts = scan_ok(archive + kEndOfArchive);
        CHECK(facts.findings.size() == limits::kMaxFindingsPerLayer);
        CHECK(facts.findings_not_listed == 44);
    }

    TEST_CASE("finding kinds have stable kebab-case names") {
        CHECK(finding_kind_name(FindingKind::world_writable) == "world-writable");
        CHECK(finding_kind_name(FindingKind::opaque_whiteout) == "opaque-whiteout");
        CHECK(finding_kind_name(FindingKind::escaping_link) == "escaping-link");
    }

}  // TEST_SUITE
