// open_layout_writer: picks the writer for a SOURCE (layout directory or oci-archive file) the
// way open_source picks a reader, and refuses what cannot be written in place.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "layout_writer_impl.hpp"

namespace edgeverify {

Expected<std::unique_ptr<LayoutWriter>> open_layout_writer(const SourceSpec& spec) {
    if (spec.path.empty()) return make_error(Errc::usage, "source path is empty");
    const std::string& path = spec.path;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return reader::errno_error("source " + path, errno);
    if (S_ISDIR(info.st_mode)) {
        if (spec.forced_kind && *spec.forced_kind != SourceKind::oci_layout) {
            return make_error(Errc::usage, "source " + path + " is a directory, but " +
                                               std::string(source_kind_name(*spec.forced_kind)) +
                                               ": names an archive file (use oci:" + path + ")");
        }
        reader::Fd root(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (root.get() < 0)
            return reader::errno_error("source " + path + ": cannot open the OCI layout", errno);
        auto marker = reader::read_regular_at(root.get(), "oci-layout", path + "/oci-layout", 4096);
        if (!marker) return marker.take_error();
        if (!*marker) {
            return make_error(Errc::not_found, "source " + path + ": not an OCI layout (no oci-layout file)");
        }
        return reader::make_directory_writer(std::move(root), path);
    }
    if (!S_ISREG(info.st_mode)) {
        return make_error(Errc::usage, "source " + path + " is neither a directory nor a regular file");
    }
    if (spec.forced_kind == SourceKind::oci_layout) {
        return make_error(
            Errc::usage,
            "source " + path + " is a file, but oci: names a layout directory (use oci-archive:)");
    }
    if (spec.forced_kind == SourceKind::docker_archive) {
        return make_error(Errc::usage,
                          "source " + path +
                              ": a docker-archive cannot be signed in place (it has no place for "
                              "signature manifests); convert it to an OCI layout first");
    }
    return reader::open_archive_writer(path, spec.forced_kind);
}

}  // namespace edgeverify
