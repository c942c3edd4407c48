// Dashboard static files (dashboard_files.hpp): walked one segment at a time with openat and
// O_NOFOLLOW, so no symlink and no ".." can lead out of dashboard.dir.
#include "server/dashboard_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace edgeverify::server {
namespace {

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { if (fd_ >= 0) ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

Error not_served(std::string_view path) { return make_error(Errc::not_found, "not a dashboard file: " + std::string(path)); }

const char* content_type_for(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, const char*>, 6> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
    }};
    for (const auto& [extension, type] : kTypes) {
        if (name.size() > extension.size() && name.ends_with(extension)) return type;
    }
    return nullptr;
}

bool safe_segment(std::string_view segment) {
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '\\' || c == '%') return false;
    }
    return true;
}

}  // namespace

Expected<DashboardFile> read_dashboard_file(const std::string& dashboard_dir, std::string_view url_path) {
    std::string_view relative;
    if (url_path == "/" || url_path == "/dashboard" || url_path == "/dashboard/") {
        relative = "index.html";
    } else if (url_path.starts_with("/dashboard/")) {
        relative = url_path.substr(std::string_view("/dashboard/").size());
    } else {
        return not_served(url_path);
    }
    std::vector<std::string> segments;
    for (std::size_t start = 0;;) {
        const auto slash = relative.find('/', start);
        const auto segment = relative.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (!safe_segment(segment)) return not_served(url_path);
        segments.emplace_back(segment);
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    const char* content_type = content_type_for(segments.back());
    if (!content_type) return not_served(url_path);

    Fd directory(::open(dashboard_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (directory.get() < 0) return make_error(Errc::io_error, dashboard_dir + ": " + std::strerror(errno));
    int parent = directory.get();
    std::vector<std::unique_ptr<Fd>> walked;
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
        walked.push_back(std::make_unique<Fd>(::openat(parent, segments[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)));
        if (walked.back()->get() < 0) return not_served(url_path);
        parent = walked.back()->get();
    }
    Fd file(::openat(parent, segments.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (file.get() < 0) return not_served(url_path);
    struct stat status {};
    if (::fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode)) return not_served(url_path);
    if (static_cast<std::size_t>(status.st_size) > kMaxDashboardFileBytes) return not_served(url_path);
    DashboardFile out{content_type, {}};
    out.body.resize(static_cast<std::size_t>(status.st_size));
    std::size_t filled = 0;
    while (filled < out.body.size()) {
        const ssize_t got = ::read(file.get(), out.body.data() + filled, out.body.size() - filled);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return make_error(Errc::io_error, "dashboard " + segments.back() + ": " + std::strerror(errno));
        if (got == 0) break;
        filled += static_cast<std::size_t>(got);
    }
    out.body.resize(filled);
    return out;
}

}  // namespace edgeverify::server
