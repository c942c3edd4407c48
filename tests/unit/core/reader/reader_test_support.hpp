// Helpers for the reader tests: temporary directories, and tars, gzip and zstd streams written
// with libarchive so that the reader is tested against an independent writer.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "edgeverify/digest.hpp"

namespace edgeverify::test {

class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/edgeverify-reader-XXXXXX";
        if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline void write_file(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline std::string sha256_hex(const std::string& bytes) {
    return digest_of(DigestAlgorithm::sha256, bytes).hex();
}

enum class EntryType { file, directory, symlink, hardlink, fifo };

struct TarEntry {
    TarEntry(std::string name_, std::string content_ = {}, EntryType type_ = EntryType::file,
             std::string link_ = {}, int mode_ = 0644)
        : name(std::move(name_)),
          content(std::move(content_)),
          type(type_),
          link(std::move(link_)),
          mode(mode_) {}
    std::string name;
    std::string content;
    EntryType type = EntryType::file;
    std::string link;  // symlink or hard link target
    int mode = 0644;
};

enum class Filter { none, gzip, zstd };

namespace detail {
inline la_ssize_t append_to_string(struct archive*, void* client, const void* buffer, size_t length) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
}
inline void add_filter(struct archive* archive, Filter filter) {
    if (filter == Filter::gzip) archive_write_add_filter_gzip(archive);
    if (filter == Filter::zstd) archive_write_add_filter_zstd(archive);
}
}  // namespace detail

// A pax tar of `entries`, optionally compressed as a whole.
inline std::string make_tar(const std::vector<TarEntry>& entries, Filter filter = Filter::none) {
    std::string out;
    struct archive* archive = archive_write_new();
    archive_write_set_format_pax_restricted(archive);
    detail::add_filter(archive, filter);
    archive_write_set_bytes_in_last_block(archive, 1);
    archive_write_open(archive, &out, nullptr, &detail::append_to_string, nullptr);
    for (const auto& item : entries) {
        struct archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, item.name.c_str());
        archive_entry_set_perm(entry, static_cast<mode_t>(item.mode));
        archive_entry_set_mtime(entry, 1700000000, 0);
        switch (item.type) {
            case EntryType::file:
                archive_entry_set_filetype(entry, AE_IFREG);
                archive_entry_set_size(entry, static_cast<la_int64_t>(item.content.size()));
                break;
            case EntryType::directory:
                archive_entry_set_filetype(entry, AE_IFDIR);
                break;
            case EntryType::symlink:
                archive_entry_set_filetype(entry, AE_IFLNK);
                archive_entry_set_symlink(entry, item.link.c_str());
                break;
            case EntryType::hardlink:
                archive_entry_set_filetype(entry, AE_IFREG);
                archive_entry_set_hardlink(entry, item.link.c_str());
                break;
            case EntryType::fifo:
                archive_entry_set_filetype(entry, AE_IFIFO);
                break;
        }
        archive_write_header(archive, entry);
        if (item.type == EntryType::file && !item.content.empty()) {
            archive_write_data(archive, item.content.data(), item.content.size());
        }
        archive_entry_free(entry);
    }
    archive_write_close(archive);
    archive_write_free(archive);
    return out;
}

// `bytes` as one gzip or zstd stream.
inline std::string compress(const std::string& bytes, Filter filter) {
    std::string out;
    struct archive* archive = archive_write_new();
    archive_write_set_format_raw(archive);
    detail::add_filter(archive, filter);
    archive_write_set_bytes_in_last_block(archive, 1);
    archive_write_open(archive, &out, nullptr, &detail::append_to_string, nullptr);
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_write_header(archive, entry);
    archive_write_data(archive, bytes.data(), bytes.size());
    archive_entry_free(entry);
    archive_write_close(archive);
    archive_write_free(archive);
    return out;
}

// Deterministic bytes that compress somewhat, like real files.
inline std::string pseudo_random_bytes(std::size_t length, std::uint32_t seed = 1) {
    std::string out(length, '\0');
    std::uint32_t state = seed;
    for (auto& c : out) {
        state = state * 1664525u + 1013904223u;
        c = static_cast<char>(state >> 24);
    }
    return out;
}

// A small layer tar: a directory and two files.
inline std::string sample_layer_tar() {
    return make_tar({{"etc/", "", EntryType::directory},
                     {"etc/hostname", "edge\n"},
                     {"usr/bin/tool", pseudo_random_bytes(70000, 7), EntryType::file, "", 0755}});
}

}  // namespace edgeverify::test
