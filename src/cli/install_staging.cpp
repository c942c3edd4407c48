// Staging and quarantine for `edgeverify install` (install_staging.hpp). Copies use O_NOFOLLOW
// and fstat checks; directories are created 0700 so the copy stays private to root.
#include "install_staging.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace edgeverify::cli {
namespace {

Error io(const std::string& what, int err) {
    return make_error(err == ENOENT ? Errc::not_found : err == EACCES ? Errc::permission_denied : Errc::io_error,
                      what + ": " + std::strerror(err));
}

Status make_private_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) != 0) return io("cannot create " + path, errno);
    return {};
}

Status copy_regular_file(const std::string& from, const std::string& to) {
    const int in = ::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) {
        if (errno == ELOOP) return make_error(Errc::unsafe_path, from + " is a symlink; install does not follow it");
        return io("cannot open " + from, errno);
    }
    std::unique_ptr<int, void (*)(int*)> close_in(new int(in), [](int* fd) { ::close(*fd); delete fd; });
    struct stat st {};
    if (::fstat(in, &st) != 0) return io("cannot stat " + from, errno);
    if (!S_ISREG(st.st_mode)) return make_error(Errc::unsafe_path, from + " is not a regular file");
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) return io("cannot create " + to, errno);
    std::unique_ptr<int, void (*)(int*)> close_out(new int(out), [](int* fd) { ::close(*fd); delete fd; });
    std::vector<char> buffer(1 << 20);
    for (;;) {
        ssize_t n = ::read(in, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io("cannot read " + from, errno);
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(out, buffer.data() + done, static_cast<size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return io("cannot write " + to, errno);
            done += w;
        }
    }
    if (::fsync(out) != 0) return io("cannot fsync " + to, errno);
    return {};
}

Expected<std::vector<std::string>> entries(const std::string& dir) {
    struct DirCloser {
        void operator()(DIR* d) const { ::closedir(d); }
    };
    std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
    if (!d) return io("cannot list " + dir, errno);
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d.get())) {
        const std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    return names;
}

bool is_plain_directory(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status copy_layout(const std::string& from, const std::string& to) {
    if (auto s = make_private_dir(to); !s) return s;
    for (const char* name : {"oci-layout", "index.json"}) {
        if (auto s = copy_regular_file(from + "/" + name, to + "/" + name); !s) return s;
    }
    if (!is_plain_directory(from + "/blobs")) {
        return make_error(Errc::unsafe_path, from + "/blobs is missing, a symlink or not a directory");
    }
    if (auto s = make_private_dir(to + "/blobs"); !s) return s;
    auto algorithms = entries(from + "/blobs");
    if (!algorithms) return algorithms.take_error();
    for (const auto& algorithm : *algorithms) {
        const std::string dir = from + "/blobs/" + algorithm;
        if (!is_plain_directory(dir)) return make_error(Errc::unsafe_path, dir + " is a symlink or not a directory");
        if (auto s = make_private_dir(to + "/blobs/" + algorithm); !s) return s;
        auto blobs = entries(dir);
        if (!blobs) return blobs.take_error();
        for (const auto& blob : *blobs) {
            if (auto s = copy_regular_file(dir + "/" + blob, to + "/blobs/" + algorithm + "/" + blob); !s) return s;
        }
    }
    return {};
}

std::string base_name(std::string path) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const auto slash = path.rfind('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
    }
    return name.empty() || name == "." || name == ".." ? std::string("source") : name;
}

}  // namespace


Expected<StagedSource> stage_source(const StateDirectory& state, const SourceSpec& source) {
    struct stat st {};
    if (::stat(source.path.c_str(), &st) != 0) return io("cannot read " + source.path, errno);
    StagedSource staged;
    staged.name = base_name(source.path);
    staged.directory = state.staging() + "/" + compact_utc_now() + "-" + std::to_string(::getpid()) + "-" + staged.name;
    staged.spec = source;
    staged.is_layout = S_ISDIR(st.st_mode);
    if (staged.is_layout && ::access((source.path + "/index.json").c_str(), F_OK) != 0) {
        return make_error(Errc::usage, source.path + " is not an OCI layout (no index.json); install takes an OCI "
                                                     "layout, an oci-archive or a docker-archive");
    }
    if (auto s = make_private_dir(staged.directory); !s) return s.take_error();
    staged.spec.path = staged.directory + (staged.is_layout ? "/layout" : "/" + staged.name);
    Status copied = staged.is_layout ? copy_layout(source.path, staged.spec.path)
                                     : copy_regular_file(source.path, staged.spec.path);
    if (!copied) {
        remove_tree(staged.directory);
        return copied.take_error();
    }
    return staged;
}

Expected<std::string> quarantine_staged(const StateDirectory& state, const StagedSource& staged,
                                        const std::string& reason) {
    const std::string target = state.quarantine() + "/" + compact_utc_now() + "-" + std::to_string(::getpid()) +
                               "-" + staged.name;
    if (::rename(staged.directory.c_str(), target.c_str()) != 0) return io("cannot move into " + target, errno);
    if (auto s = write_file_durably(target + "/reason.txt", reason + "\n", 0600); !s) return s.take_error();
    return target;
}

void remove_tree(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        if (auto names = entries(path)) {
            for (const auto& name : *names) remove_tree(path + "/" + name);
        }
        ::rmdir(path.c_str());
    } else {
        ::unlink(path.c_str());
    }
}

}  // namespace edgeverify::cli
