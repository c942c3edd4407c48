// Specification of the layer tar scanner's parsing: formats (ustar, GNU, PAX), chunking,
// truncation, corrupt headers and named limits.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "edgeverify/layer_scan.hpp"
#include "edgeverify/limits.hpp"
#include "tar_test_archives.hpp"

using namespace edgeverify;
using namespace edgeverify::tar_test;

TEST_SUITE("layer_tar_scanner") {
    TEST_CASE("ustar archive: entries counted by type") {
        const auto facts = scan_ok(write_tar(ARCHIVE_FORMAT_TAR_USTAR,
                                             {{.path = "usr/", .type = AE_IFDIR, .perm = 0755},
                                              {.path = "usr/bin/tool", .perm = 0755, .data = "#!/bin/sh\n"},
                                              {.path = "usr/bin/alias", .type = AE_IFLNK, .symlink = "tool"},
                                              {.path = "usr/bin/hard", .hardlink = "usr/bin/tool"}}));
        CHECK(facts.entries == 4);
        CHECK(facts.directories == 1);
        CHECK(facts.regular_files == 1);
        CHECK(facts.symlinks == 1);
        CHECK(facts.hardlinks == 1);
        CHECK(facts.findings.empty());
    }

    TEST_CASE("PAX headers carry long names and long link targets") {
        const std::string name = "opt/" + std::string(300, 'n') + "/suid";
        const std::string target = "/" + std::string(200, 't');
        const auto facts = scan_ok(write_tar(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
                                             {{.path = name, .perm = 04755, .data = "x"},
                                              {.path = "opt/link", .type = AE_IFLNK, .symlink = target}}));
        CHECK(facts.entries == 2);
        CHECK(findings_of(facts, FindingKind::setuid) == std::vector<std::string>{name + " | 4755"});
        CHECK(findings_of(facts, FindingKind::absolute_link) ==
              std::vector<std::string>{"opt/link | symlink to " + target});
    }

    TEST_CASE("GNU long name and long link headers") {
        const std::string name = "opt/" + std::string(300, 'g') + "/pipe";
        const std::string target = "../" + std::string(200, 'k');
        const auto facts =
            scan_ok(write_tar(ARCHIVE_FORMAT_TAR_GNUTAR,
                              {{.path = name, .type = AE_IFIFO},
                               {.path = "x/" + std::string(120, 'y'), .type = AE_IFLNK, .symlink = target}}));
        CHECK(facts.entries == 2);
        CHECK(findings_of(facts, FindingKind::fifo) == std::vector<std::string>{name + " | 0644"});
        CHECK(facts.symlinks == 1);
        CHECK(findings_of(facts, FindingKind::escaping_link).empty());
    }

    TEST_CASE("GNU base-256 size: a 10 GiB entry is skipped without copying") {
        const unsigned long long size = 10ULL << 30;
        std::string header = raw_header({.name = "big.img", .magic = "ustar  \0"});
        std::memset(&header[124], 0, 12);
        header[124] = static_cast<char>(0x80);
        for (int i = 0; i < 8; ++i) header[135 - i] = static_cast<char>((size >> (8 * i)) & 0xff);
        set_checksum(header);

        LayerTarScanner scanner;
        REQUIRE(scanner.feed(header.data(), header.size()));
        const std::string mib(1 << 20, 'z');
        for (unsigned long long fed = 0; fed < size; fed += mib.size())
            REQUIRE(scanner.feed(mib.data(), mib.size()));
        const std::string tail = raw_header({.name = "after"}) + kEndOfArchive;
        REQUIRE(scanner.feed(tail.data(), tail.size()));
        REQUIRE(scanner.finish());
        CHECK(scanner.facts().entries == 2);
        CHECK(scanner.facts().regular_files == 2);
    }

    TEST_CASE("GNU sparse headers with extension blocks are skipped to the next entry") {
        std::string sparse =
            raw_header({.name = "disk.img", .type = 'S', .size = 1024, .magic = "ustar  \0"});
        sparse[482] = 1;  // isextended: one sparse extension block follows
        set_checksum(sparse);
        std::string extension(512, '\0');
        extension[0] = '1';  // not a header, never checksummed
        const auto facts = scan_ok(sparse + extension + std::string(1024, 'd') +
                                   raw_header({.name = "after"}) + kEndOfArchive);
        CHECK(facts.entries == 2);
        CHECK(facts.regular_files == 2);
    }

    TEST_CASE("a PAX size record decides the length of the entry's data") {
        const std::string data(1000, 'd');
        const auto facts =
            scan_ok(pax_header(pax_record("size", "1000")) + raw_header({.name = "f", .size = 0}) +
                    padded(data) + raw_header({.name = "g"}) + kEndOfArchive);
        CHECK(facts.entries == 2);
    }

    TEST_CASE("a global PAX header's path applies to later entries") {
        const auto facts = scan_ok(pax_header(pax_record("path", "etc/passwd"), 'g') +
                                   raw_header({.name = "x"}) + kEndOfArchive);
        CHECK(facts.entries == 1);
        CHECK(facts.has_etc_passwd);
    }

    TEST_CASE("PAX records with bad syntax are malformed") {
        for (const std::string& records : {std::string("abc path=x\n"), std::string("99 path=x\n"),
                                           std::string("11 path=xy "), std::string("9 pathx\n\n")}) {
            CAPTURE(records);
            const Error e = scan_error(pax_header(records) + raw_header({.name = "f"}) + kEndOfArchive);
            CHECK(e.code == Errc::layer_malformed);
            CHECK(e.message.find("PAX record at byte 0") != std::string::npos);
        }
    }

    TEST_CASE("chunking does not change the facts") {
        const std::string archive = write_tar(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, mixed_entries());
        const auto whole = scan(archive);
        REQUIRE(whole.status.has_value());
        CHECK(whole.facts.findings.size() == 4);
        for (std::size_t chunk : {1, 7, 512, 4096}) {
            CAPTURE(chunk);
            const auto r = scan(archive, chunk);
            REQUIRE(r.status.has_value());
            CHECK(describe(r.facts) == describe(whole.facts));
        }
        const std::string gnu = write_tar(ARCHIVE_FORMAT_TAR_GNUTAR, mixed_entries());
        CHECK(describe(scan(gnu, 1).facts) == describe(scan(gnu).facts));
    }

    TEST_CASE("a stream ending inside a header is truncated") {
        const std::string archive = write_tar(ARCHIVE_FORMAT_TAR_USTAR, {{.path = "a", .data = "x"}});
        const Error e = scan_error(archive.substr(0, 1024 + 100));
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("truncated inside the header of entry 2 (byte offset 1024)") !=
              std::string::npos);
    }

    TEST_CASE("a stream ending inside file data is truncated and names the entry") {
        const std::string archive =
            write_tar(ARCHIVE_FORMAT_TAR_USTAR,
                      {{.path = "etc/motd"}, {.path = "./usr/bin/x", .data = std::string(5000, 'b')}});
        const Error e = scan_error(archive.substr(0, 1024 + 512 + 3000));
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("truncated inside the data of 'usr/bin/x' (entry 2") != std::string::npos);
    }

    TEST_CASE("a stream ending right after a complete entry is accepted") {
        const auto facts = scan_ok(raw_header({.name = "a", .size = 3}) + padded("abc"));
        CHECK(facts.entries == 1);
    }

    TEST_CASE("a stream ending right after the last entry's data, before its padding, is accepted") {
        // umoci 0.4 writes layers like this; Go's archive/tar (containerd) reads them as complete.
        const auto facts = scan_ok(raw_header({.name = "app/"}) + raw_header({.name = "app/hello.txt", .size = 3}) +
                                   "abc");
        CHECK(facts.entries == 2);
    }

    TEST_CASE("a stream ending inside the last entry's padding is truncated") {
        const Error e = scan_error(raw_header({.name = "a", .size = 3}) + "abc" + std::string(100, '\0'));
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("truncated inside the padding of 'a' (entry 1") != std::string::npos);
    }

    TEST_CASE("a bad header checksum names the entry and byte offset") {
        std::string archive = raw_header({.name = "a"}) + raw_header({.name = "b"}) + kEndOfArchive;
        archive[512 + 10] = 'X';
        const Error e = scan_error(archive);
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("checksum mismatch at entry 2 (byte offset 512)") != std::string::npos);
    }

    TEST_CASE("signed checksums and v7 headers without magic are accepted") {
        std::string high_bit = raw_header({.name = "caf\xc3\xa9"});
        set_checksum(high_bit, true);
        const auto facts =
            scan_ok(high_bit + raw_header({.name = "v7file", .magic = nullptr}) + kEndOfArchive);
        CHECK(facts.entries == 2);
    }

    TEST_CASE("invalid octal numbers in a header are malformed") {
        std::string header = raw_header({.name = "a"});
        std::memcpy(&header[100], "07x4\0\0\0\0", 8);
        set_checksum(header);
        const Error e = scan_error(header + kEndOfArchive);
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("invalid mode field at entry 1") != std::string::npos);
    }

    TEST_CASE("non-tar data is rejected as not a tar archive") {
        std::string garbage(4096, '\0');
        for (std::size_t i = 0; i < garbage.size(); ++i)
            garbage[i] = static_cast<char>((i * 2654435761u) >> 13);
        const Error e = scan_error(garbage);
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("not a tar archive") != std::string::npos);
    }

    TEST_CASE("an empty stream is not a tar archive") {
        const Error e = scan_error("");
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message == "empty layer: not a tar archive");
    }

    TEST_CASE("end of archive: trailing data is ignored, a lone zero block before a header is malformed") {
        CHECK(scan_ok(kEndOfArchive).entries == 0);
        CHECK(scan_ok(raw_header({.name = "a"}) + kEndOfArchive + "trailing garbage").entries == 1);
        const Error e =
            scan_error(raw_header({.name = "a"}) + std::string(512, '\0') + raw_header({.name = "b"}));
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("lone zero block") != std::string::npos);
    }

    TEST_CASE("an extended header without its entry is malformed") {
        const Error e = scan_error(pax_header(pax_record("path", "x")) + kEndOfArchive);
        CHECK(e.code == Errc::layer_malformed);
        CHECK(e.message.find("extended header without its entry") != std::string::npos);
    }

    TEST_CASE("the first error sticks") {
        LayerTarScanner scanner;
        const std::string garbage(512, 'g');
        REQUIRE_FALSE(scanner.feed(garbage.data(), garbage.size()));
        const std::string good = raw_header({.name = "a"});
        const Status again = scanner.feed(good.data(), good.size());
        REQUIRE_FALSE(again);
        CHECK(again.error().message.find("not a tar archive") != std::string::npos);
        CHECK_FALSE(scanner.finish());
    }

    TEST_CASE("more entries than kMaxLayerEntries exceed the limit") {
        std::string chunk;
        const std::string header = raw_header({.name = "d/", .type = '5', .mode = 0755});
        for (int i = 0; i < 2048; ++i) chunk += header;
        LayerTarScanner scanner;
        Status st;
        std::uint64_t fed = 0;
        while (st && fed <= limits::kMaxLayerEntries) {
            st = scanner.feed(chunk.data(), chunk.size());
            fed += 2048;
        }
        REQUIRE_FALSE(st);
        CHECK(st.error().code == Errc::limit_exceeded);
        CHECK(st.error().message.find("limits::kMaxLayerEntries") != std::string::npos);
        CHECK(scanner.facts().entries == limits::kMaxLayerEntries);
    }

    TEST_CASE("paths longer than kMaxLayerPathBytes exceed the limit") {
        const std::string long_name(limits::kMaxLayerPathBytes + 10, 'p');
        const Error gnu = scan_error(
            raw_header(
                {.name = "././@LongLink", .type = 'L', .size = long_name.size() + 1, .magic = "ustar  \0"}) +
            padded(long_name + '\0') + raw_header({.name = "x"}) + kEndOfArchive);
        CHECK(gnu.code == Errc::limit_exceeded);
        CHECK(gnu.message.find("limits::kMaxLayerPathBytes (65536)") != std::string::npos);
        const Error pax =
            scan_error(pax_header(pax_record("path", long_name)) + raw_header({.name = "x"}) + kEndOfArchive);
        CHECK(pax.code == Errc::limit_exceeded);
        CHECK(pax.message.find("limits::kMaxLayerPathBytes") != std::string::npos);
    }

    TEST_CASE("a PAX header larger than kMaxPaxHeaderBytes exceeds the limit") {
        const Error e = scan_error(
            raw_header({.name = "PaxHeader", .type = 'x', .size = limits::kMaxPaxHeaderBytes + 1}));
        CHECK(e.code == Errc::limit_exceeded);
        CHECK(e.message.find("limits::kMaxPaxHeaderBytes (1048576)") != std::string::npos);
    }

    TEST_CASE("looks_like_tar_header checks the checksum, magic optional") {
        const std::string ustar = raw_header({.name = "a"});
        const std::string v7 = raw_header({.name = "a", .magic = nullptr});
        const std::string zeros(512, '\0');
        CHECK(looks_like_tar_header(ustar.data(), ustar.size()));
        CHECK(looks_like_tar_header(v7.data(), v7.size()));
        CHECK_FALSE(looks_like_tar_header(zeros.data(), zeros.size()));
        CHECK_FALSE(looks_like_tar_header(ustar.data(), 511));
    }

}  // TEST_SUITE
