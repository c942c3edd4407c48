// Writing cosign legacy signatures into an OCI layout (FORMATS.md A.2-A.4): the payload blob,
// the config, the signature manifest and the index.json entry tagged sha256-<hex>.sig.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/signatures.hpp"

namespace edgeverify {
namespace {

using Ordered = nlohmann::ordered_json;

constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";

Error errno_error(const std::string& what, int error) {
    const Errc code = error == ENOENT   ? Errc::not_found
                      : error == EACCES ? Errc::permission_denied
                      : error == EPERM  ? Errc::permission_denied
                                        : Errc::io_error;
    if (error == ELOOP) {
        return make_error(Errc::unsafe_path, what + ": is a symbolic link; nothing is written through one");
    }
    return make_error(code, what + ": " + std::strerror(error));
}

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    int get() const { return fd_; }

private:
    int fd_;
};

Expected<Fd> open_dir_at(int parent, const std::string& name, const std::string& shown, bool create) {
    if (create && ::mkdirat(parent, name.c_str(), 0755) != 0 && errno != EEXIST) {
        return errno_error(shown + ": cannot create directory", errno);
    }
    const int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        struct stat st {};
        if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
            return make_error(Errc::unsafe_path,
                              shown + ": is a symbolic link; nothing is written through one");
        }
        return errno_error(shown + ": cannot open directory", error);
    }
    return Fd(fd);
}

Expected<std::string> read_at(int dir, const std::string& name, const std::string& shown,
                              std::size_t max_bytes) {
    Fd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) return errno_error(shown + ": cannot open", errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error(shown + ": cannot stat", errno);
    if (!S_ISREG(st.st_mode)) return make_error(Errc::unsafe_path, shown + ": not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        return make_error(Errc::limit_exceeded,
                          shown + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    std::string bytes;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return errno_error(shown + ": read error", errno);
        if (got == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(got));
        if (bytes.size() > max_bytes) {
            return make_error(Errc::limit_exceeded,
                              shown + ": larger than " + std::to_string(max_bytes) + " bytes");
        }
    }
    return bytes;
}

// Writes `bytes` to `name` in `dir` atomically: a temporary name in the same directory, fsync,
// rename over the target, fsync of the directory.
Status write_atomically(int dir, const std::string& name, std::string_view bytes, const std::string& shown) {
    static std::atomic<unsigned> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::string temp;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        temp = ".edgeverify-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(now) + "-" +
               std::to_string(counter++);
        fd = ::openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST) return errno_error(shown + ": cannot create a temporary file", errno);
    }
    if (fd < 0) return make_error(Errc::io_error, shown + ": cannot find a free temporary name");
    Fd owner(fd);
    const auto fail = [&](const std::string& what) {
        const int error = errno;
        ::unlinkat(dir, temp.c_str(), 0);
        return errno_error(shown + ": " + what, error);
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) return fail("write error");
        done += static_cast<std::size_t>(wrote);
    }
    if (::fsync(fd) != 0) return fail("fsync failed");
    if (::renameat(dir, temp.c_str(), dir, name.c_str()) != 0) return fail("cannot rename into place");
    if (::fsync(dir) != 0) return errno_error(shown + ": fsync of the directory failed", errno);
    return {};
}

std::string dump(const Ordered& doc) {
    return doc.dump();  // compact, as umoci, skopeo and cosign write them
}

}  // namespace

std::string make_simple_signing_payload(std::string_view docker_reference, const Digest& manifest_digest) {
    Ordered payload;
    payload["critical"]["identity"]["docker-reference"] = std::string(docker_reference);
    payload["critical"]["image"]["docker-manifest-digest"] = manifest_digest.str();
    payload["critical"]["type"] = std::string(cosign::kSignatureType);
    payload["optional"] = nullptr;
    return payload.dump();
}

Expected<CosignSignatureWritten> write_cosign_signature(const std::string& layout,
                                                        const Digest& signed_digest, std::string_view payload,
                                                        std::string_view signature) {
    CosignSignatureWritten written;
    written.tag = std::string(signed_digest.str());
    written.tag.replace(written.tag.find(':'), 1, "-");
    written.tag += ".sig";

    Fd root(::open(layout.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root.get() < 0) return errno_error(layout + ": cannot open the OCI layout directory", errno);
    auto layout_file = read_at(root.get(), "oci-layout", layout + "/oci-layout", 4096);
    if (!layout_file) return layout_file.error();
    auto blobs = open_dir_at(root.get(), "blobs", layout + "/blobs", true);
    if (!blobs) return blobs.error();
    auto sha256 = open_dir_at(blobs->get(), "sha256", layout + "/blobs/sha256", true);
    if (!sha256) return sha256.error();

    const std::string index_shown = layout + "/index.json";
    auto index_text = read_at(root.get(), "index.json", index_shown, limits::kMaxJsonDocumentBytes);
    if (!index_text) return index_text.error();
    // Strict first (duplicate keys, depth), then again keeping the members' order for rewriting.
    if (auto strict = parse_json_strict(*index_text, index_shown); !strict) return strict.error();
    Ordered index = Ordered::parse(*index_text);
    if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array()) {
        return make_error(Errc::schema_violation, index_shown + ": manifests: expected an array");
    }

    // The existing signature manifest for this digest, if any: cosign appends a layer to it.
    Ordered* entry = nullptr;
    for (auto& m : index["manifests"]) {
        if (!m.is_object() || !m.contains("annotations") || !m["annotations"].is_object()) continue;
        const auto& annotations = m["annotations"];
        auto ref = annotations.find(std::string(annotation::kRefName));
        if (ref != annotations.end() && ref->is_string() && ref->get<std::string>() == written.tag) {
            entry = &m;
            break;
        }
    }

    auto put_blob = [&](std::string_view bytes, const std::string& what) -> Expected<Digest> {
        const Digest digest = digest_of(DigestAlgorithm::sha256, bytes);
        auto status = write_atomically(sha256->get(), digest.hex(), bytes,
                                       layout + "/blobs/sha256/" + digest.hex() + " (" + what + ")");
        if (!status) return status.error();
        return digest;
    };
    auto read_blob = [&](const Ordered& descriptor, const std::string& what) -> Expected<Ordered> {
        if (!descriptor.is_object() || !descriptor.contains("digest") || !descriptor["digest"].is_string()) {
            return make_error(Errc::schema_violation, written.tag + ": " + what + ": no digest");
        }
        auto digest = Digest::parse(descriptor["digest"].get<std::string>());
        if (!digest) return digest.error();
        if (digest->algorithm() != DigestAlgorithm::sha256) {
            return make_error(Errc::digest_unsupported,
                              written.tag + ": " + what + ": only sha256 blobs are edited");
        }
        const std::string shown = layout + "/blobs/sha256/" + digest->hex();
        auto bytes = read_at(sha256->get(), digest->hex(), shown, limits::kMaxJsonDocumentBytes);
        if (!bytes) return bytes.error();
        if (digest_of(DigestAlgorithm::sha256, *bytes) != *digest) {
            return make_error(Errc::digest_mismatch, shown + " (" + what + " of " + written.tag +
                                                         "): content does not hash to its name");
        }
        if (auto strict = parse_json_strict(*bytes, shown); !strict) return strict.error();
        return Ordered::parse(*bytes);
    };

    Ordered manifest;
    Ordered config;
    if (entry != nullptr) {
        auto existing = read_blob(*entry, "signature manifest");
        if (!existing) return existing.error();
        manifest = std::move(*existing);
        if (!manifest.is_object() || !manifest.contains("layers") || !manifest["layers"].is_array() ||
            !manifest.contains("config")) {
            return make_error(Errc::schema_violation,
                              written.tag + ": the existing signature manifest has no layers array");
        }
        auto existing_config = read_blob(manifest["config"], "config");
        if (!existing_config) return existing_config.error();
        config = std::move(*existing_config);
        if (!config.is_object()) {
            return make_error(Errc::schema_violation, written.tag + ": the existing config is not an object");
        }
        if (manifest["layers"].size() >= limits::kMaxSignaturesPerImage) {
            return make_error(
                Errc::limit_exceeded,
                written.tag + ": already holds " + std::to_string(manifest["layers"].size()) + " signatures");
        }
        written.appended = true;
    } else {
        config["architecture"] = "";
        config["os"] = "";
        config["config"] = Ordered::object();
        config["rootfs"]["type"] = "layers";
        config["rootfs"]["diff_ids"] = Ordered::array();
        manifest["schemaVersion"] = 2;
        manifest["mediaType"] = std::string(kOciManifest);
        manifest["config"] = Ordered::object();
        manifest["layers"] = Ordered::array();
    }

    auto payload_digest = put_blob(payload, "payload");
    if (!payload_digest) return payload_digest.error();

    if (!config.contains("rootfs") || !config["rootfs"].is_object()) config["rootfs"] = {{"type", "layers"}};
    if (!config["rootfs"].contains("diff_ids") || !config["rootfs"]["diff_ids"].is_array()) {
        config["rootfs"]["diff_ids"] = Ordered::array();
    }
    config["rootfs"]["diff_ids"].push_back(payload_digest->str());
    const std::string config_bytes = dump(config);
    auto config_digest = put_blob(config_bytes, "config");
    if (!config_digest) return config_digest.error();

    Ordered layer;
    layer["mediaType"] = std::string(cosign::kSimpleSigningMediaType);
    layer["digest"] = payload_digest->str();
    layer["size"] = payload.size();
    layer["annotations"][std::string(cosign::kSignatureAnnotation)] = base64_encode(signature);
    manifest["layers"].push_back(layer);
    Ordered config_descriptor;
    config_descriptor["mediaType"] =
        manifest["config"].is_object() && manifest["config"].contains("mediaType")
            ? manifest["config"]["mediaType"]
            : Ordered(std::string(kOciConfig));
    config_descriptor["digest"] = config_digest->str();
    config_descriptor["size"] = config_bytes.size();
    manifest["config"] = config_descriptor;
    const std::string manifest_bytes = dump(manifest);
    auto manifest_digest = put_blob(manifest_bytes, "signature manifest");
    if (!manifest_digest) return manifest_digest.error();

    if (entry != nullptr) {
        (*entry)["digest"] = manifest_digest->str();
        (*entry)["size"] = manifest_bytes.size();
        if (manifest.contains("mediaType") && manifest["mediaType"].is_string()) {
            (*entry)["mediaType"] = manifest["mediaType"];
        }
    } else {
        Ordered descriptor;
        descriptor["mediaType"] = std::string(kOciManifest);
        descriptor["digest"] = manifest_digest->str();
        descriptor["size"] = manifest_bytes.size();
        descriptor["annotations"][std::string(annotation::kRefName)] = written.tag;
        index["manifests"].push_back(descriptor);
    }
    // index.json last: until it is renamed into place the layout is unchanged for readers.
    if (auto status = write_atomically(root.get(), "index.json", dump(index), index_shown); !status) {
        return status.error();
    }
    written.signature_manifest = *manifest_digest;
    written.layers = manifest["layers"].size();
    return written;
}

}  // namespace edgeverify
