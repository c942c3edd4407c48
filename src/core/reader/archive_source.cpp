// oci-archive and docker-archive tars (plain, gzip or zstd): one pass over every entry in the
// order stored; each regular file goes through a BlobScanner, then the kind is read off the
// files found. Entries that are not plain files or that name paths outside the archive are refused.
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "blob_scanner.hpp"
#include "sources.hpp"

namespace edgeverify::reader {

namespace {

using FileMap = std::map<std::string, BlobRecord, std::less<>>;
// Link entries: archive path -> the archive path it points to (already resolved lexically).
using LinkMap = std::map<std::string, std::string, std::less<>>;

class ArchiveSource final : public BlobSource {
public:
    ArchiveSource(SourceKind kind, FileMap files, LinkMap links, std::uint64_t bytes_read)
        : kind_(kind), files_(std::move(files)), links_(std::move(links)), bytes_read_(bytes_read) {}

    SourceKind kind() const override { return kind_; }

    Expected<const BlobRecord*> file(std::string_view path) override {
        auto normalized = normalize_source_path(path);
        if (!normalized) return normalized.take_error();
        std::string current = *normalized;
        for (int hop = 0; hop <= limits::kMaxLinkHops; ++hop) {
            if (auto found = files_.find(current); found != files_.end()) return &found->second;
            auto link = links_.find(current);
            if (link == links_.end()) {
                if (current == *normalized)
                    return make_error(Errc::blob_missing, current + ": not in the archive");
                return make_error(Errc::blob_missing,
                                  *normalized + ": a link to " + current + ", which is not in the archive");
            }
            current = link->second;
        }
        return make_error(Errc::unsafe_path, *normalized + ": more than " +
                                                 std::to_string(limits::kMaxLinkHops) +
                                                 " links to follow, kMaxLinkHops (a link loop?)");
    }

    bool has_file(std::string_view path) override { return file(path).has_value(); }

    // Regular file entries only: link entries are aliases, never listed.
    Expected<std::vector<std::string>> list_files(std::string_view prefix) override {
        auto normalized = normalize_source_path(prefix);
        if (!normalized) return normalized.take_error();
        const std::string directory = *normalized + "/";
        std::vector<std::string> paths;
        for (auto it = files_.lower_bound(directory); it != files_.end() && it->first.starts_with(directory);
             ++it) {
            if (it->first.find('/', directory.size()) == std::string::npos) paths.push_back(it->first);
        }
        return paths;
    }

    std::uint64_t bytes_read() const override { return bytes_read_; }

private:
    SourceKind kind_;
    FileMap files_;
    LinkMap links_;
    std::uint64_t bytes_read_;
};

// Resolves a symlink target against the link's directory without leaving the archive root.
std::optional<std::string> resolve_link_target(const std::string& link, const std::string& target) {
    if (target.empty() || target.starts_with('/')) return std::nullopt;
    std::vector<std::string> parts;
    const auto push_components = [&](std::string_view text) {
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t end = std::min(text.find('/', start), text.size());
            const std::string_view part = text.substr(start, end - start);
            if (part == "..") {
                if (parts.empty()) return false;
                parts.pop_back();
            } else if (!part.empty() && part != ".") {
                parts.emplace_back(part);
            }
            start = end + 1;
        }
        return true;
    };
    const auto slash = link.rfind('/');
    if (slash != std::string::npos && !push_components(std::string_view(link).substr(0, slash)))
        return std::nullopt;
    if (!push_components(target) || parts.empty()) return std::nullopt;
    std::string out;
    for (const auto& part : parts) out += out.empty() ? part : "/" + part;
    return out;
}

// What libarchive's read callback reads from: the archive file, counted and reported.
struct ArchiveInput {
    int fd;
    std::string path;
    std::unique_ptr<std::uint8_t[]> buffer = std::make_unique_for_overwrite<std::uint8_t[]>(kReadChunkBytes);
    std::uint64_t bytes_read = 0;
    ProgressReporter progress;
    std::optional<Error> io_error;

    static la_ssize_t read(struct archive* archive, void* client, const void** buffer) {
        auto* self = static_cast<ArchiveInput*>(client);
        for (;;) {
            const ssize_t got = ::read(self->fd, self->buffer.get(), kReadChunkBytes);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) {
                const int error = errno;
                self->io_error = make_error(Errc::io_error,
                                            "source " + self->path + ": read error: " + std::strerror(error));
                archive_set_error(archive, error, "read error");
                return -1;
            }
            self->bytes_read += static_cast<std::uint64_t>(got);
            self->progress.advance(static_cast<std::uint64_t>(got));
            *buffer = self->buffer.get();
            return got;
        }
    }
};

struct ArchiveCloser {
    void operator()(struct archive* archive) const { archive_read_free(archive); }
};

std::string archive_message(struct archive* archive) {
    const char* message = archive_error_string(archive);
    return message != nullptr ? message : "unknown error";
}

bool mentions_truncation(const std::string& message) {
    return message.find("runcat") != std::string::npos ||
           message.find("nexpected EOF") != std::string::npos ||
           message.find("Premature end") != std::string::npos;
}

std::string describe_type(struct archive_entry* entry) {
    switch (archive_entry_filetype(entry)) {
        case AE_IFLNK:
            return "a symbolic link";
        case AE_IFCHR:
            return "a character device";
        case AE_IFBLK:
            return "a block device";
        case AE_IFIFO:
            return "a named pipe";
        case AE_IFSOCK:
            return "a socket";
        default:
            return "not a regular file";
    }
}

class ArchivePass {
public:
    ArchivePass(int fd, const std::string& path, std::uint64_t file_size, const ScanOptions& options)
        : input_{fd,
                 path,
                 std::make_unique_for_overwrite<std::uint8_t[]>(kReadChunkBytes),
                 0,
                 ProgressReporter(options.progress, file_size),
                 std::nullopt},
          path_(path),
          options_(options) {}

    Status run() {
        std::unique_ptr<struct archive, ArchiveCloser> archive(archive_read_new());
        if (!archive) return make_error(Errc::internal, "cannot allocate an archive reader");
        archive_read_support_format_tar(archive.get());
        archive_read_support_filter_gzip(archive.get());
        archive_read_support_filter_zstd(archive.get());
        archive_read_support_filter_none(archive.get());
        if (archive_read_open(archive.get(), &input_, nullptr, &ArchiveInput::read, nullptr) != ARCHIVE_OK) {
            return header_failure(archive.get());
        }
        for (;;) {
            struct archive_entry* entry = nullptr;
            const int status = archive_read_next_header(archive.get(), &entry);
            if (status == ARCHIVE_EOF) break;
            if (status < ARCHIVE_WARN) return header_failure(archive.get());
            if (++entries_ > limits::kMaxArchiveEntries) {
                return make_error(Errc::limit_exceeded, "source " + path_ + ": more than " +
                                                            std::to_string(limits::kMaxArchiveEntries) +
                                                            " entries (kMaxArchiveEntries)");
            }
            if (auto entry_status = read_entry(archive.get(), entry); !entry_status) return entry_status;
        }
        input_.progress.done();
        return {};
    }

    FileMap& files() { return files_; }
    LinkMap& links() { return links_; }
    std::uint64_t bytes_read() const { return input_.bytes_read; }

private:
    Error header_failure(struct archive* archive) {
        if (input_.io_error) return *input_.io_error;
        const std::string message = archive_message(archive);
        const std::string where = last_entry_.empty() ? "at the start" : "after entry " + last_entry_;
        if (mentions_truncation(message)) {
            return make_error(Errc::archive_truncated,
                              "source " + path_ + ": archive is truncated " + where + " (" + message + ")");
        }
        if (entries_ == 0 && message.find("Unrecognized archive format") != std::string::npos) {
            return make_error(Errc::archive_malformed,
                              "source " + path_ + ": not a tar archive (random data?)");
        }
        return make_error(Errc::archive_malformed,
                          "source " + path_ + ": corrupt tar header " + where + " (" + message + ")");
    }

    Status read_entry(struct archive* archive, struct archive_entry* entry) {
        const char* raw_name = archive_entry_pathname(entry);
        if (raw_name == nullptr) {
            return make_error(Errc::archive_malformed,
                              "source " + path_ + ": entry without a name " +
                                  (last_entry_.empty() ? "" : "after " + last_entry_));
        }
        const std::string name = raw_name;
        last_entry_ = name;
        if (name.starts_with('/') || name == ".." || name.starts_with("../") ||
            name.find("/../") != std::string::npos || name.ends_with("/..")) {
            return make_error(Errc::unsafe_path,
                              "source " + path_ + ": entry " + name +
                                  " has an absolute or '..' path; archives must stay inside");
        }
        auto normalized = normalize_source_path(name);
        const auto type = archive_entry_filetype(entry);
        if (type == AE_IFDIR) return {};
        if (!normalized) {
            return make_error(Errc::unsafe_path,
                              "source " + path_ + ": entry '" + name + "' has no usable path");
        }
        // skopeo's docker-archive links "<id>/layer.tar" to "<diff_id>.tar": links inside the
        // archive are aliases; a target outside it (absolute, or '..' past the root) is refused.
        if (const char* hardlink = archive_entry_hardlink(entry); hardlink != nullptr) {
            auto target = normalize_source_path(hardlink);
            if (!target) {
                return make_error(Errc::unsafe_path, "source " + path_ + ": entry " + name +
                                                         " is a hard link to " + hardlink +
                                                         ", outside the archive");
            }
            return store_link(*normalized, *target);
        }
        if (type == AE_IFLNK) {
            const char* symlink = archive_entry_symlink(entry);
            auto target = resolve_link_target(*normalized, symlink != nullptr ? symlink : "");
            if (!target) {
                return make_error(Errc::unsafe_path,
                                  "source " + path_ + ": entry " + name + " is a symbolic link to " +
                                      (symlink != nullptr ? symlink : "nothing") + ", outside the archive");
            }
            return store_link(*normalized, *target);
        }
        if (type != AE_IFREG) {
            return make_error(Errc::unsafe_path, "source " + path_ + ": entry " + name + " is " +
                                                     describe_type(entry) +
                                                     "; archives must hold regular files");
        }

        const std::uint64_t declared =
            archive_entry_size_is_set(entry) ? static_cast<std::uint64_t>(archive_entry_size(entry)) : 0;
        BlobScanner scanner(*normalized, algorithm_for_path(*normalized), declared, options_);
        std::uint64_t consumed = 0;
        for (;;) {
            const void* block = nullptr;
            size_t length = 0;
            la_int64_t offset = 0;
            const int status = archive_read_data_block(archive, &block, &length, &offset);
            if (status == ARCHIVE_EOF) break;
            if (status < ARCHIVE_WARN) {
                if (input_.io_error) return *input_.io_error;
                const std::string message = archive_message(archive);
                const Errc code =
                    mentions_truncation(message) ? Errc::archive_truncated : Errc::archive_malformed;
                return make_error(code, "source " + path_ + ": archive ends inside entry " + name +
                                            " (read " + std::to_string(consumed) + " of " +
                                            std::to_string(declared) + " bytes: " + message + ")");
            }
            if (static_cast<std::uint64_t>(offset) != consumed) {
                return make_error(Errc::archive_malformed, "source " + path_ + ": entry " + name +
                                                               " is a sparse file; archives must hold "
                                                               "regular files");
            }
            scanner.feed(static_cast<const std::uint8_t*>(block), length);
            consumed += length;
        }
        if (consumed != declared) {
            return make_error(Errc::archive_truncated, "source " + path_ + ": archive ends inside entry " +
                                                           name + " (read " + std::to_string(consumed) +
                                                           " of " + std::to_string(declared) + " bytes)");
        }
        return store(scanner.finish());
    }

    Status store_link(const std::string& name, const std::string& target) {
        auto [existing, inserted] = links_.emplace(name, target);
        if ((!inserted && existing->second != target) || files_.contains(name)) {
            return make_error(Errc::archive_duplicate_entry,
                              "source " + path_ + ": entry " + name +
                                  " appears twice with different content (a link to " + target +
                                  " and another entry)");
        }
        return {};
    }

    Status store(BlobRecord record) {
        if (links_.contains(record.path)) {
            return make_error(Errc::archive_duplicate_entry,
                              "source " + path_ + ": entry " + record.path +
                                  " appears twice with different content (a link "
                                  "and a file)");
        }
        auto existing = files_.find(record.path);
        if (existing != files_.end()) {
            if (existing->second.digest == record.digest && existing->second.size == record.size) return {};
            return make_error(Errc::archive_duplicate_entry, "source " + path_ + ": entry " + record.path +
                                                                 " appears twice with different content (" +
                                                                 existing->second.digest.str() + " and " +
                                                                 record.digest.str() + ")");
        }
        if (record.content) {
            kept_bytes_ += record.content->size();
            if (kept_bytes_ > limits::kMaxKeptDocumentBytes) {
                return make_error(Errc::limit_exceeded,
                                  "source " + path_ + ": small documents kept in memory exceed " +
                                      std::to_string(limits::kMaxKeptDocumentBytes) + " bytes at entry " +
                                      record.path + " (kMaxKeptDocumentBytes)");
            }
        }
        std::string key = record.path;
        files_.emplace(std::move(key), std::move(record));
        return {};
    }

    ArchiveInput input_;
    std::string path_;
    ScanOptions options_;
    FileMap files_;
    LinkMap links_;
    std::size_t entries_ = 0;
    std::size_t kept_bytes_ = 0;
    std::string last_entry_;
};

Expected<SourceKind> detect_kind(const std::map<std::string, BlobRecord, std::less<>>& files,
                                 std::optional<SourceKind> forced, const std::string& path) {
    const bool has_manifest_json = files.contains("manifest.json");
    const bool has_index = files.contains("index.json");
    const bool has_layout = files.contains("oci-layout");
    const bool oci_shaped = has_index || has_layout;
    if (!has_manifest_json && !oci_shaped) {
        return make_error(Errc::archive_malformed,
                          "source " + path + ": neither index.json nor manifest.json: not an image archive");
    }
    if (forced == SourceKind::docker_archive && !has_manifest_json) {
        return make_error(Errc::archive_malformed,
                          "source " + path +
                              ": forced docker-archive, but the archive has no manifest.json (found " +
                              (has_index ? "index.json" : "oci-layout") + ": an oci-archive?)");
    }
    if (forced == SourceKind::oci_archive) {
        if (!oci_shaped) {
            return make_error(
                Errc::archive_malformed,
                "source " + path +
                    ": forced oci-archive, but the archive has neither index.json nor oci-layout "
                    "(found manifest.json: a docker-archive?)");
        }
        return SourceKind::oci_archive;
    }
    // Docker >= 25 archives carry both; manifest.json describes them as docker save meant them.
    return has_manifest_json ? SourceKind::docker_archive : SourceKind::oci_archive;
}

}  // namespace

Expected<std::unique_ptr<BlobSource>> read_archive_source(int fd, const std::string& display_path,
                                                          std::uint64_t file_size,
                                                          std::optional<SourceKind> forced_kind,
                                                          const ScanOptions& options) {
    if (file_size == 0) return make_error(Errc::archive_malformed, "source " + display_path + ": empty file");
    ArchivePass pass(fd, display_path, file_size, options);
    if (auto status = pass.run(); !status) return status.take_error();
    auto kind = detect_kind(pass.files(), forced_kind, display_path);
    if (!kind) return kind.take_error();
    return std::unique_ptr<BlobSource>(std::make_unique<ArchiveSource>(
        *kind, std::move(pass.files()), std::move(pass.links()), pass.bytes_read()));
}

}  // namespace edgeverify::reader
