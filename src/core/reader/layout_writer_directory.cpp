// LayoutWriter for an OCI layout directory: files staged in memory, then each written to a
// temporary name in its own directory, fsynced and renamed; index.json last, so readers see
// either the old layout or the new one. Every path is opened relative to the layout directory
// and no symlink is followed, so nothing is read or written outside it.
#include <map>
#include <vector>

#include "layout_writer_impl.hpp"
#include "sources.hpp"

namespace edgeverify::reader {
namespace {

constexpr std::string_view kIndexJson = "index.json";

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = path.find('/', start);
        parts.push_back(path.substr(start, slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return parts;
}

class DirectoryWriter final : public LayoutWriter {
public:
    DirectoryWriter(Fd root, std::string shown_root)
        : root_(std::move(root)), shown_root_(std::move(shown_root)) {}

    SourceKind kind() const override { return SourceKind::oci_layout; }

    Expected<std::optional<std::string>> read_file(std::string_view path, std::size_t max_bytes) override {
        auto normalized = normalize_source_path(path);
        if (!normalized) return normalized.take_error();
        const std::string shown = shown_root_ + "/" + *normalized;
        if (auto staged = staged_.find(*normalized); staged != staged_.end()) {
            if (staged->second.size() > max_bytes) {
                return make_error(Errc::limit_exceeded,
                                  shown + ": larger than " + std::to_string(max_bytes) + " bytes");
            }
            return std::optional<std::string>(staged->second);
        }
        auto parent = open_parent(*normalized, false);
        if (!parent) {
            if (parent.error().code == Errc::not_found) return std::optional<std::string>{};
            return parent.take_error();
        }
        return read_regular_at(parent->first.get(), parent->second, shown, max_bytes);
    }

    Status put_file(std::string_view path, std::string_view bytes) override {
        auto normalized = normalize_source_path(path);
        if (!normalized) return normalized.take_error();
        staged_[*normalized] = std::string(bytes);
        return {};
    }

    Status commit() override {
        // Blobs (and anything else) first, index.json last: until it is renamed into place the
        // new files are unreferenced, which an OCI layout allows.
        for (int pass = 0; pass < 2; ++pass) {
            for (const auto& [path, bytes] : staged_) {
                if ((path == kIndexJson) != (pass == 1)) continue;
                auto parent = open_parent(path, true);
                if (!parent) return parent.take_error();
                if (auto status = write_atomically_at(parent->first.get(), parent->second, bytes,
                                                      shown_root_ + "/" + path);
                    !status) {
                    return status;
                }
            }
        }
        staged_.clear();
        return {};
    }

private:
    // The directory holding `path` (opened without following symlinks) and the file's name in it.
    Expected<std::pair<Fd, std::string>> open_parent(const std::string& path, bool create) {
        const auto parts = split_path(path);
        Fd current(::dup(root_.get()));
        if (current.get() < 0) return errno_error(shown_root_ + ": cannot duplicate descriptor", errno);
        std::string shown = shown_root_;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            shown += "/" + parts[i];
            auto next = open_dir_at(current.get(), parts[i], shown, create);
            if (!next) return next.take_error();
            current = std::move(*next);
        }
        return std::pair<Fd, std::string>(std::move(current), parts.back());
    }

    Fd root_;
    std::string shown_root_;
    std::map<std::string, std::string, std::less<>> staged_;
};

}  // namespace

std::unique_ptr<LayoutWriter> make_directory_writer(Fd root, std::string shown_root) {
    return std::make_unique<DirectoryWriter>(std::move(root), std::move(shown_root));
}

}  // namespace edgeverify::reader
