// Reading an oci-archive tar for the archive LayoutWriter: one pass over every entry with names
// normalized, compressed archives recognised and refused, and bounded reads of entry data.
#include <archive.h>
#include <archive_entry.h>

#include <cerrno>

#include "edgeverify/limits.hpp"
#include "layout_writer_impl.hpp"
#include "sources.hpp"

namespace edgeverify::reader {
namespace {

struct ReadCloser {
    void operator()(struct archive* a) const { archive_read_free(a); }
};
using ReadArchive = std::unique_ptr<struct archive, ReadCloser>;

std::string why(struct archive* a, const char* otherwise) {
    const char* text = archive_error_string(a);
    return text != nullptr ? text : otherwise;
}

}  // namespace

Status for_each_tar_entry(int fd, const std::string& shown, const TarEntryVisitor& visit) {
    if (::lseek(fd, 0, SEEK_SET) != 0) return errno_error(shown + ": cannot seek", errno);
    ReadArchive in(archive_read_new());
    archive_read_support_format_tar(in.get());
    // Only the filters an oci-archive is compressed with, so that one is recognised and refused
    // below; never _filter_all, which links every decoder (xz, bzip2, lz4, ...) into the static
    // agent. An archive compressed otherwise is not a tar archive here (archive_malformed).
    archive_read_support_filter_gzip(in.get());
    archive_read_support_filter_zstd(in.get());
    archive_read_support_filter_none(in.get());
    if (archive_read_open_fd(in.get(), fd, 65536) != ARCHIVE_OK) {
        return make_error(Errc::archive_malformed, shown + ": " + why(in.get(), "cannot read"));
    }
    for (std::size_t count = 0;; ++count) {
        struct archive_entry* entry = nullptr;
        const int status = archive_read_next_header(in.get(), &entry);
        if (status == ARCHIVE_EOF) return {};
        if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
            return make_error(Errc::archive_malformed, shown + ": " + why(in.get(), "not a tar archive"));
        }
        if (count == 0 && archive_filter_code(in.get(), 0) != ARCHIVE_FILTER_NONE) {
            return make_error(Errc::usage,
                              shown + ": a compressed (" + std::string(archive_filter_name(in.get(), 0)) +
                                  ") oci-archive cannot be signed in place; decompress it first");
        }
        if (count >= limits::kMaxArchiveEntries) {
            return make_error(Errc::limit_exceeded, shown + ": more than " +
                                                        std::to_string(limits::kMaxArchiveEntries) +
                                                        " entries, kMaxArchiveEntries");
        }
        const char* raw = archive_entry_pathname(entry);
        auto name = normalize_source_path(raw ? raw : "");
        if (!name) {
            // "./" itself normalizes to nothing; any other bad name is refused.
            if (raw != nullptr && archive_entry_filetype(entry) == AE_IFDIR &&
                std::string_view(raw) == "./") {
                name = std::string(".");
            } else {
                return make_error(Errc::unsafe_path,
                                  shown + ": entry " + (raw ? raw : "") + ": " + name.error().message);
            }
        }
        if (auto result = visit(*name, entry, in.get()); !result) return result;
    }
}

// Up to `limit` bytes of the current entry's data; more -> nullopt.
Expected<std::optional<std::string>> read_entry_data(struct archive* in, std::size_t limit,
                                                     const std::string& shown) {
    std::string bytes;
    char buffer[65536];
    for (;;) {
        const la_ssize_t got = archive_read_data(in, buffer, sizeof buffer);
        if (got < 0)
            return make_error(Errc::archive_malformed, shown + ": " + why(in, "cannot read entry data"));
        if (got == 0) return std::optional<std::string>(std::move(bytes));
        bytes.append(buffer, static_cast<std::size_t>(got));
        if (bytes.size() > limit) return std::optional<std::string>{};
    }
}

}  // namespace edgeverify::reader
