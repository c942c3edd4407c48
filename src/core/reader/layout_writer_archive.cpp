// LayoutWriter for an uncompressed oci-archive tar. Opening reads the archive once, keeping its
// entry list and the small JSON documents (index.json, manifests, configs); commit() streams
// every entry of the old archive into a new temporary file next to it (staged paths replace
// their entry in place, new ones are appended as 0644 regular files), fsyncs it and renames it
// over the original, so readers see either the old archive or the new one.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "edgeverify/limits.hpp"
#include "layout_writer_impl.hpp"
#include "sources.hpp"

namespace edgeverify::reader {
namespace {

struct WriteCloser {
    void operator()(struct archive* a) const { archive_write_free(a); }
};
using WriteArchive = std::unique_ptr<struct archive, WriteCloser>;

struct EntryInfo {
    mode_t type = AE_IFREG;
    std::uint64_t size = 0;
    std::optional<std::string> content;  // small JSON documents only
};

class ArchiveWriter final : public LayoutWriter {
public:
    ArchiveWriter(Fd file, Fd dir, std::string base, std::string shown)
        : file_(std::move(file)), dir_(std::move(dir)), base_(std::move(base)), shown_(std::move(shown)) {}

    Status load(std::optional<SourceKind> forced_kind) {
        if (::fstat(file_.get(), &stat_) != 0) return errno_error(shown_ + ": cannot stat", errno);
        auto status = for_each_tar_entry(
            file_.get(), shown_,
            [&](const std::string& name, struct archive_entry* entry, struct archive* in) -> Status {
                EntryInfo info;
                info.type = archive_entry_filetype(entry);
                if (archive_entry_hardlink(entry) != nullptr) info.type = AE_IFLNK;
                info.size = archive_entry_size_is_set(entry)
                                ? static_cast<std::uint64_t>(archive_entry_size(entry))
                                : 0;
                if (info.type == AE_IFREG && info.size <= limits::kMaxJsonDocumentBytes) {
                    auto data = read_entry_data(in, limits::kMaxJsonDocumentBytes, shown_ + ": " + name);
                    if (!data) return data.take_error();
                    if (*data && !(*data)->empty() && (**data)[0] == '{') info.content = std::move(*data);
                }
                entries_[name] = std::move(info);
                return {};
            });
        if (!status) return status;
        const auto regular = [&](std::string_view name) {
            auto it = entries_.find(name);
            return it != entries_.end() && it->second.type == AE_IFREG;
        };
        if (regular("manifest.json") && forced_kind != SourceKind::oci_archive) {
            return make_error(Errc::usage,
                              shown_ +
                                  ": a docker-archive cannot be signed in place (it has no place for "
                                  "signature manifests); convert it to an OCI layout first");
        }
        if (!regular("oci-layout") || !regular("index.json")) {
            return make_error(Errc::archive_malformed,
                              shown_ + ": not an oci-archive (no oci-layout and index.json)");
        }
        return {};
    }

    SourceKind kind() const override { return SourceKind::oci_archive; }

    Expected<std::optional<std::string>> read_file(std::string_view path, std::size_t max_bytes) override {
        auto name = normalize_source_path(path);
        if (!name) return name.take_error();
        const std::string shown = shown_ + ": " + *name;
        const auto too_large = [&] {
            return make_error(Errc::limit_exceeded,
                              shown + ": larger than " + std::to_string(max_bytes) + " bytes");
        };
        if (auto staged = staged_.find(*name); staged != staged_.end()) {
            if (staged->second.size() > max_bytes) return too_large();
            return std::optional<std::string>(staged->second);
        }
        auto it = entries_.find(*name);
        if (it == entries_.end()) return std::optional<std::string>{};
        if (it->second.type != AE_IFREG) {
            return make_error(Errc::unsafe_path, shown + ": a link or special entry, not a regular file");
        }
        if (it->second.size > max_bytes) return too_large();
        if (it->second.content) return it->second.content;
        // Not kept at open (not JSON, or large): read it again.
        std::optional<std::string> found;
        auto status = for_each_tar_entry(
            file_.get(), shown_,
            [&](const std::string& entry_name, struct archive_entry*, struct archive* in) -> Status {
                if (entry_name != *name) return {};
                auto data = read_entry_data(in, max_bytes, shown);
                if (!data) return data.take_error();
                if (!*data) return too_large();
                found = std::move(*data);
                return {};
            });
        if (!status) return status.take_error();
        return found;
    }

    Status put_file(std::string_view path, std::string_view bytes) override {
        auto name = normalize_source_path(path);
        if (!name) return name.take_error();
        staged_[*name] = std::string(bytes);
        return {};
    }

    Status commit() override {
        if (staged_.empty()) return {};
        struct stat now {};
        if (::fstat(file_.get(), &now) != 0) return errno_error(shown_ + ": cannot stat", errno);
        if (now.st_size != stat_.st_size || now.st_mtim.tv_sec != stat_.st_mtim.tv_sec ||
            now.st_mtim.tv_nsec != stat_.st_mtim.tv_nsec) {
            return make_error(Errc::io_error,
                              shown_ + ": changed while it was being signed; nothing written");
        }
        auto temp = create_temp_at(dir_.get(), shown_);
        if (!temp) return temp.take_error();
        auto status = write_new_archive(temp->fd.get());
        if (status && ::fchmod(temp->fd.get(), stat_.st_mode & 07777) != 0) {
            status = errno_error(shown_ + ": cannot set the new archive's mode", errno);
        }
        if (!status) {
            ::unlinkat(dir_.get(), temp->name.c_str(), 0);
            return status;
        }
        if (auto installed = install_temp_at(dir_.get(), *temp, base_, shown_); !installed) return installed;
        // From here on this writer reads the new archive.
        Fd reopened(::openat(dir_.get(), base_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (reopened.get() < 0 || ::fstat(reopened.get(), &stat_) != 0) {
            return errno_error(shown_ + ": cannot reopen the new archive", errno);
        }
        file_ = std::move(reopened);
        for (auto& [name, bytes] : staged_) {
            EntryInfo& info = entries_[name];
            info.type = AE_IFREG;
            info.size = bytes.size();
            info.content = std::move(bytes);
        }
        staged_.clear();
        return {};
    }

private:
    Status write_new_archive(int out_fd) {
        WriteArchive out(archive_write_new());
        archive_write_set_format_pax_restricted(out.get());
        archive_write_add_filter_none(out.get());
        if (archive_write_open_fd(out.get(), out_fd) != ARCHIVE_OK) {
            return make_error(Errc::io_error, shown_ + ": cannot write the new archive");
        }
        const auto write_error = [&] {
            const char* why = archive_error_string(out.get());
            return make_error(Errc::io_error,
                              shown_ + ": writing the new archive: " + (why ? why : "failed"));
        };
        std::set<std::string, std::less<>> written;
        const time_t mtime = ::time(nullptr);
        const auto put_staged = [&](struct archive_entry* entry, const std::string& bytes) -> Status {
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_perm(entry, 0644);
            archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
            archive_entry_set_mtime(entry, mtime, 0);
            if (archive_write_header(out.get(), entry) != ARCHIVE_OK) return write_error();
            if (!bytes.empty() && archive_write_data(out.get(), bytes.data(), bytes.size()) !=
                                      static_cast<la_ssize_t>(bytes.size())) {
                return write_error();
            }
            return {};
        };
        auto status = for_each_tar_entry(
            file_.get(), shown_,
            [&](const std::string& name, struct archive_entry* entry, struct archive* in) -> Status {
                if (auto staged = staged_.find(name); staged != staged_.end()) {
                    if (!written.insert(name).second) return {};  // a later duplicate of a replaced entry
                    std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> copy(
                        archive_entry_clone(entry), archive_entry_free);
                    archive_entry_set_hardlink(copy.get(), nullptr);
                    archive_entry_set_symlink(copy.get(), nullptr);
                    return put_staged(copy.get(), staged->second);
                }
                if (archive_write_header(out.get(), entry) != ARCHIVE_OK) return write_error();
                char buffer[65536];
                for (;;) {
                    const la_ssize_t got = archive_read_data(in, buffer, sizeof buffer);
                    if (got < 0) {
                        const char* why = archive_error_string(in);
                        return make_error(Errc::archive_malformed,
                                          shown_ + ": " + name + ": " + (why ? why : "read error"));
                    }
                    if (got == 0) return {};
                    if (archive_write_data(out.get(), buffer, static_cast<std::size_t>(got)) != got)
                        return write_error();
                }
            });
        if (!status) return status;
        for (const auto& [name, bytes] : staged_) {
            if (written.count(name) != 0) continue;
            std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> entry(archive_entry_new(),
                                                                                         archive_entry_free);
            archive_entry_set_pathname(entry.get(), name.c_str());
            archive_entry_set_uid(entry.get(), 0);
            archive_entry_set_gid(entry.get(), 0);
            if (auto put = put_staged(entry.get(), bytes); !put) return put;
        }
        if (archive_write_close(out.get()) != ARCHIVE_OK) return write_error();
        return {};
    }

    Fd file_;
    Fd dir_;
    std::string base_;
    std::string shown_;
    struct stat stat_ {};
    std::map<std::string, EntryInfo, std::less<>> entries_;
    std::map<std::string, std::string, std::less<>> staged_;
};

}  // namespace

Expected<std::unique_ptr<LayoutWriter>> open_archive_writer(const std::string& path,
                                                            std::optional<SourceKind> forced_kind) {
    // The new archive replaces the file itself, not a symlink pointing at it.
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) return errno_error("source " + path, errno);
    const std::string real(resolved);
    const std::size_t slash = real.rfind('/');
    const std::string dir_path = slash == 0 ? "/" : real.substr(0, slash);
    Fd dir(::open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) return errno_error("source " + path + ": cannot open its directory", errno);
    std::string base = real.substr(slash + 1);
    Fd file(::openat(dir.get(), base.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (file.get() < 0) return errno_error("source " + path + ": cannot open", errno);
    auto writer = std::make_unique<ArchiveWriter>(std::move(file), std::move(dir), std::move(base), path);
    if (auto status = writer->load(forced_kind); !status) return status.take_error();
    return std::unique_ptr<LayoutWriter>(std::move(writer));
}

}  // namespace edgeverify::reader
