// containerd through its `ctr` client (Debian's containerd 1.6): import, check, list, remove.
// Every call runs `ctr --address SOCKET --namespace NS ...` as a child process with a timeout and
// bounded output capture; nothing goes through a shell.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify {

struct ContainerdTarget {
    std::string ctr = "ctr";                                   // the client binary (PATH lookup)
    std::string address = "/run/containerd/containerd.sock";   // --address
    std::string name_space = "k8s.io";                         // --namespace
    std::chrono::seconds timeout{300};                         // per ctr call
};

struct ContainerdImage {
    std::string name;
    Digest target;           // the image's target digest (manifest or index)
    std::string media_type;
};

class Containerd {
public:
    explicit Containerd(ContainerdTarget target) : target_(std::move(target)) {}

    // `ctr images import --no-unpack? ...` of an oci-archive whose index.json names exactly the
    // images to create (ref names given with io.containerd.image.name). Errors: io_error when ctr
    // cannot run or the daemon is unreachable (stderr quoted, bounded), untrusted never.
    Status import_archive(const std::string& oci_archive, bool unpack);
    // `ctr images check`: true when the image exists with all its content present ("complete").
    Expected<bool> image_complete(const std::string& name);
    // `ctr images ls`.
    Expected<std::vector<ContainerdImage>> list_images();
    // `ctr images rm`; absent is not an error.
    Status remove_image(const std::string& name);

    const ContainerdTarget& target() const { return target_; }

private:
    ContainerdTarget target_;
};

}  // namespace edgeverify
