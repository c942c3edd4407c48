// Test support for the layer tar scanner: real archives written by libarchive (ustar, pax,
// gnutar) and hand-made header blocks for what libarchive will not write.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "edgeverify/layer_scan.hpp"

namespace edgeverify::tar_test {

struct Entry {
    std::string path{};
    unsigned type = AE_IFREG;
    unsigned perm = 0644;
    std::string data{};
    std::string symlink{};
    std::string hardlink{};
    unsigned major = 0, minor = 0;
};

inline la_ssize_t append_to_string(struct archive*, void* out, const void* buf, size_t n) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
}

// A real archive written by libarchive in `format` (ARCHIVE_FORMAT_TAR_USTAR, _PAX_RESTRICTED, _GNUTAR).
inline std::string write_tar(int format, const std::vector<Entry>& entries) {
    std::string out;
    struct archive* a = archive_write_new();
    REQUIRE(archive_write_set_format(a, format) == ARCHIVE_OK);
    REQUIRE(archive_write_open(a, &out, nullptr, append_to_string, nullptr) == ARCHIVE_OK);
    for (const Entry& e : entries) {
        struct archive_entry* ae = archive_entry_new();
        archive_entry_set_pathname(ae, e.path.c_str());
        archive_entry_set_filetype(ae, e.type);
        archive_entry_set_perm(ae, e.perm);
        archive_entry_set_size(ae, static_cast<la_int64_t>(e.data.size()));
        if (!e.symlink.empty()) archive_entry_set_symlink(ae, e.symlink.c_str());
        if (!e.hardlink.empty()) archive_entry_set_hardlink(ae, e.hardlink.c_str());
        archive_entry_set_rdevmajor(ae, e.major);
        archive_entry_set_rdevminor(ae, e.minor);
        REQUIRE(archive_write_header(a, ae) == ARCHIVE_OK);
        if (!e.data.empty()) archive_write_data(a, e.data.data(), e.data.size());
        archive_entry_free(ae);
    }
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    return out;
}

// A hand-made header block, for what libarchive will not write.
struct Raw {
    std::string name{};
    char type = '0';
    unsigned long long size = 0;
    unsigned mode = 0644;
    std::string link{};
    const char* magic =
        "ustar\0"
        "00";  // nullptr: v7, no magic
};

inline void set_checksum(std::string& block, bool signed_sum = false) {
    std::memset(&block[148], ' ', 8);
    long sum = 0;
    for (char c : block) sum += signed_sum ? static_cast<signed char>(c) : static_cast<unsigned char>(c);
    std::snprintf(&block[148], 8, "%06lo", static_cast<unsigned long>(sum) & 0777777);
    block[155] = ' ';
}

inline std::string raw_header(const Raw& h) {
    std::string b(512, '\0');
    std::memcpy(&b[0], h.name.data(), std::min<std::size_t>(h.name.size(), 100));
    std::snprintf(&b[100], 8, "%07o", h.mode);
    std::snprintf(&b[108], 8, "%07o", 0);
    std::snprintf(&b[116], 8, "%07o", 0);
    std::snprintf(&b[124], 12, "%011llo", h.size);
    std::snprintf(&b[136], 12, "%011o", 0);
    b[156] = h.type;
    std::memcpy(&b[157], h.link.data(), std::min<std::size_t>(h.link.size(), 100));
    if (h.magic) std::memcpy(&b[257], h.magic, 8);
    set_checksum(b);
    return b;
}

inline std::string padded(std::string data) {
    data.resize((data.size() + 511) / 512 * 512, '\0');
    return data;
}

inline const std::string kEndOfArchive(1024, '\0');

inline std::string pax_record(const std::string& key, const std::string& value) {
    std::size_t length = key.size() + value.size() + 3;
    while (std::to_string(length).size() + key.size() + value.size() + 3 != length) ++length;
    return std::to_string(length) + " " + key + "=" + value + "\n";
}

inline std::string pax_header(const std::string& records, char type = 'x') {
    return raw_header({.name = "PaxHeader", .type = type, .size = records.size()}) + padded(records);
}

struct ScanResult {
    Status status;
    LayerFacts facts;
};

inline ScanResult scan(const std::string& bytes, std::size_t chunk = 0) {
    LayerTarScanner scanner;
    if (chunk == 0) chunk = bytes.size();
    for (std::size_t pos = 0; pos < bytes.size(); pos += chunk) {
        if (auto st = scanner.feed(bytes.data() + pos, std::min(chunk, bytes.size() - pos)); !st) {
            return {st, scanner.facts()};
        }
    }
    return {scanner.finish(), scanner.facts()};
}

inline LayerFacts scan_ok(const std::string& bytes) {
    ScanResult r = scan(bytes);
    if (!r.status) FAIL_CHECK(r.status.error().message);
    REQUIRE(r.status.has_value());
    return r.facts;
}

inline Error scan_error(const std::string& bytes) {
    ScanResult r = scan(bytes);
    REQUIRE_FALSE(r.status.has_value());
    return r.status.error();
}

inline std::vector<std::string> findings_of(const LayerFacts& facts, FindingKind kind) {
    std::vector<std::string> out;
    for (const auto& f : facts.findings) {
        if (f.kind == kind) out.push_back(f.path + (f.detail.empty() ? "" : " | " + f.detail));
    }
    return out;
}

inline std::string describe(const LayerFacts& f) {
    std::string s = std::to_string(f.entries) + "/" + std::to_string(f.regular_files) + "/" +
                    std::to_string(f.directories) + "/" + std::to_string(f.symlinks) + "/" +
                    std::to_string(f.hardlinks) + "/" + std::to_string(f.whiteouts) + "/" +
                    std::to_string(f.findings_not_listed) + "/" + (f.has_etc_passwd ? "passwd" : "-");
    for (const auto& x : f.findings)
        s += "\n" + std::string(finding_kind_name(x.kind)) + " " + x.path + " " + x.detail;
    for (const auto& db : f.package_databases) s += "\ndb " + db;
    return s;
}

inline std::vector<Entry> mixed_entries() {
    return {{.path = "./", .type = AE_IFDIR, .perm = 0755},
            {.path = "./etc/", .type = AE_IFDIR, .perm = 0755},
            {.path = "./etc/passwd", .data = "root:x:0:0::/root:/bin/sh\n"},
            {.path = "./usr/bin/su", .perm = 04755, .data = std::string(3000, 'x')},
            {.path = "./tmp/", .type = AE_IFDIR, .perm = 01777},
            {.path = "./dev/null", .type = AE_IFCHR, .perm = 0666, .major = 1, .minor = 3},
            {.path = "./usr/lib/" + std::string(150, 'l') + "/" + std::string(120, 'm'), .data = "long"},
            {.path = "./usr/lib/link", .type = AE_IFLNK, .perm = 0777, .symlink = "../../../../etc/shadow"},
            {.path = "./etc/.wh.motd", .data = ""},
            {.path = "./var/lib/dpkg/status", .data = "Package: x\n"}};
}

}  // namespace edgeverify::tar_test
