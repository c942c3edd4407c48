// The trust directory on the device (DESIGN.md "On the device"): policy.json, the public keys it
// relies on, the X.509 stores and CRLs of x509 signers, and the transparency-log keys (rekor/*.pub,
// sigstore/trusted_root.json), read without
// following symlinks, with a digest that identifies what was loaded.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "edgeverify/hex.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/sct.hpp"
#include "edgeverify/trust_policy.hpp"

namespace edgeverify {
namespace {

using limits::kMaxTrustedRootBytes;
using limits::kMaxTrustKeyFileBytes;
using limits::kMaxTrustKeyFiles;

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : fd_(fd) {}
    ~UniqueFd() {
        if (fd_ >= 0) ::close(fd_);
    }
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        std::swap(fd_, other.fd_);
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

// Why an open beneath the trust directory failed: an errno, or a symbolic link on the way.
struct OpenFailure {
    int error = 0;
    bool symlink = false;
};

// Opens `relative` (already checked: no "..", no absolute path) beneath `dirfd`, refusing a
// symbolic link in any component, so nothing outside the trust directory is ever read.
Expected<UniqueFd> open_beneath(int dirfd, const std::string& relative, bool directory,
                                OpenFailure& failure) {
    UniqueFd current;
    int at = dirfd;
    std::size_t start = 0;
    while (true) {
        const auto slash = relative.find('/', start);
        const bool last = slash == std::string::npos;
        const std::string component = relative.substr(start, last ? std::string::npos : slash - start);
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC;
        if (!last || directory) flags |= O_DIRECTORY;
        const int fd = ::openat(at, component.c_str(), flags);
        if (fd < 0) {
            failure.error = errno;
            struct stat st {};
            if ((errno == ELOOP || errno == ENOTDIR) &&
                ::fstatat(at, component.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
                failure.symlink = true;
            }
            return make_error(Errc::io_error, std::strerror(failure.error));
        }
        current = UniqueFd(fd);
        at = current.get();
        if (last) return current;
        start = slash + 1;
    }
}

// Reads a regular file beneath the trust directory, at most `limit` bytes (named `limit_name`).
// A file that does not exist or cannot be opened is not_found / permission_denied / io_error;
// everything else wrong with it is a configuration error.
Expected<std::string> read_beneath(int dirfd, const std::string& directory, const std::string& relative,
                                   std::size_t limit, const char* limit_name) {
    const std::string shown = directory + "/" + relative;
    OpenFailure failure;
    auto fd = open_beneath(dirfd, relative, false, failure);
    if (!fd) {
        if (failure.symlink) {
            return make_error(Errc::config,
                              shown +
                                  ": a symbolic link in the path (refused: every file of a trust "
                                  "store must be a regular file inside the trust directory)");
        }
        const Errc code = failure.error == ENOENT   ? Errc::not_found
                          : failure.error == EACCES ? Errc::permission_denied
                                                    : Errc::io_error;
        return make_error(code, shown + ": " + std::strerror(failure.error));
    }
    struct stat st {};
    if (::fstat(fd->get(), &st) != 0) return make_error(Errc::io_error, shown + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return make_error(Errc::config, shown + ": not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > limit) {
        return make_error(Errc::config, shown + ": " + std::to_string(st.st_size) + " bytes exceeds " +
                                            limit_name + " (" + std::to_string(limit) + ")");
    }
    std::string content;
    content.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t filled = 0;
    while (filled < content.size()) {
        const ssize_t n = ::read(fd->get(), content.data() + filled, content.size() - filled);
        if (n < 0) {
            if (errno == EINTR) continue;
            return make_error(Errc::io_error, shown + ": " + std::strerror(errno));
        }
        if (n == 0) break;
        filled += static_cast<std::size_t>(n);
    }
    if (filled > limit) {  // the file grew while we read it
        return make_error(Errc::config, shown + ": exceeds " + std::string(limit_name) + " (" +
                                            std::to_string(limit) + ")");
    }
    content.resize(filled);
    return content;
}

Expected<PublicKey> parse_key_file(const std::string& content, const std::string& shown) {
    auto key = parse_public_key_pem(content, shown);
    if (!key) {
        // A key the loader does not understand is a broken trust store, never skipped.
        std::string message = key.error().message;
        if (message.find(shown) == std::string::npos) message = shown + ": " + message;
        return make_error(Errc::config, message + " (" + std::string(errc_name(key.error().code)) + ")");
    }
    return key;
}

// The entries of directory `subdir` whose names end in `suffix` ("" for every entry but "." and
// ".."), sorted; an absent directory holds none and sets `missing`.
Expected<std::vector<std::string>> list_entries(int dirfd, const std::string& directory,
                                                const std::string& subdir, std::string_view suffix,
                                                bool& missing) {
    std::vector<std::string> names;
    const std::string shown = directory + "/" + subdir;
    OpenFailure failure;
    auto opened = open_beneath(dirfd, subdir, true, failure);
    missing = !opened && !failure.symlink && failure.error == ENOENT;
    if (missing) return names;
    if (!opened) {
        if (failure.symlink) {
            return make_error(Errc::config,
                              shown +
                                  ": a symbolic link (refused: every file of a trust store must "
                                  "be inside the trust directory)");
        }
        return make_error(Errc::config, shown + ": " + std::strerror(failure.error));
    }
    DIR* dir = ::fdopendir(opened->get());
    if (dir == nullptr) return make_error(Errc::config, shown + ": " + std::strerror(errno));
    opened->release();  // owned by `dir` now
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name == "." || name == ".." || name.size() <= suffix.size() || !name.ends_with(suffix)) continue;
        names.push_back(name);
        if (names.size() > kMaxTrustKeyFiles) {
            ::closedir(dir);
            return make_error(Errc::config, shown + ": more than kMaxTrustKeyFiles (" +
                                                std::to_string(kMaxTrustKeyFiles) + ") " +
                                                (suffix.empty() ? "files" : std::string(suffix) + " files"));
        }
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

// The <subdir>/*.pub file names, sorted; an absent directory holds none.
Expected<std::vector<std::string>> list_key_files(int dirfd, const std::string& directory,
                                                  const std::string& subdir) {
    bool missing = false;
    return list_entries(dirfd, directory, subdir, ".pub", missing);
}

// Every file directly in `relative` (a named X.509 store, crl/), at most `limit` bytes each, read
// into `files` for the digest; a symlink, sub-directory or special file is refused by name.
// `missing` says the directory does not exist.
Status read_directory_files(int dirfd, const std::string& directory, const std::string& relative,
                            std::size_t limit, const char* limit_name,
                            std::map<std::string, std::string>& files, bool& missing) {
    auto names = list_entries(dirfd, directory, relative, "", missing);
    if (!names) return names.take_error();
    for (const std::string& name : *names) {
        auto content = read_beneath(dirfd, directory, relative + "/" + name, limit, limit_name);
        if (!content) return make_error(Errc::config, content.error().message);
        files.emplace(relative + "/" + name, std::move(*content));
    }
    return {};
}

// The X.509 stores x509 signers name, and crl/ when there is any x509 signer
// (docs/trust-policy.md "x509 signers"). A store that does not exist is an error naming the signer.
Status load_x509_material(int dirfd, const std::string& directory, TrustStore& store,
                          std::map<std::string, std::string>& files) {
    bool any_x509 = false;
    for (std::size_t i = 0; i < store.policy.scopes.size(); ++i) {
        const auto& signers = store.policy.scopes[i].signers;
        for (std::size_t j = 0; j < signers.size(); ++j) {
            if (!signers[j].x509) continue;
            any_x509 = true;
            const X509Signer& signer = *signers[j].x509;
            const std::string json_path = directory + "/policy.json: scopes[" + std::to_string(i) +
                                          "].signatures.signers[" + std::to_string(j) + "].x509.";
            const std::string_view kind_name =
                std::string_view(signer.trust_store).substr(0, signer.trust_store.find('/'));
            std::vector<std::tuple<std::string, std::string, X509StoreKind>> wanted{
                {"trustStore", signer.trust_store,
                 kind_name == "signingAuthority" ? X509StoreKind::signing_authority : X509StoreKind::ca}};
            if (signer.tsa_store) wanted.emplace_back("tsaStore", *signer.tsa_store, X509StoreKind::tsa);
            for (const auto& [member, path, kind] : wanted) {
                if (store.x509_stores.count(path) != 0) continue;
                bool missing = false;
                if (auto ok = read_directory_files(dirfd, directory, path, kMaxTrustKeyFileBytes,
                                                   "kMaxTrustKeyFileBytes", files, missing);
                    !ok) {
                    return ok;
                }
                if (missing) {
                    return make_error(Errc::config, json_path + member + ": trust store \"" + path +
                                                        "\" does not exist in " + directory);
                }
                auto loaded = load_x509_store(directory + "/" + path, kind);
                if (!loaded) return make_error(Errc::config, loaded.error().message);
                store.x509_stores.emplace(path, std::move(*loaded));
            }
        }
    }
    if (!any_x509) return {};
    bool missing = false;
    if (auto ok = read_directory_files(dirfd, directory, "crl", limits::kMaxTrustCrlFileBytes,
                                       "kMaxTrustCrlFileBytes", files, missing);
        !ok || missing) {
        return ok;
    }
    auto crls = load_revocation_lists(directory + "/crl");
    if (!crls) return make_error(Errc::config, crls.error().message);
    store.crls = std::move(*crls);
    return {};
}

}  // namespace

Expected<TrustStore> load_trust_store(const std::string& directory) {
    const int raw = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (raw < 0) {
        const int error = errno;
        const Errc code = error == ENOENT || error == ENOTDIR ? Errc::not_found
                          : error == EACCES                   ? Errc::permission_denied
                                                              : Errc::io_error;
        return make_error(code, "trust directory " + directory + ": " + std::strerror(error));
    }
    const UniqueFd dirfd(raw);

    TrustStore store;
    store.directory = directory;
    std::map<std::string, std::string> files;  // relative path -> content, for the digest

    auto policy_text = read_beneath(dirfd.get(), directory, "policy.json", limits::kMaxJsonDocumentBytes,
                                    "kMaxJsonDocumentBytes");
    if (!policy_text) return policy_text.take_error();
    auto policy = parse_trust_policy(*policy_text, directory + "/policy.json");
    if (!policy) return policy.take_error();
    store.policy = std::move(*policy);
    files.emplace("policy.json", std::move(*policy_text));

    const auto load_key = [&](const std::string& relative) -> Status {
        auto content =
            read_beneath(dirfd.get(), directory, relative, kMaxTrustKeyFileBytes, "kMaxTrustKeyFileBytes");
        if (!content) return content.take_error();  // the caller decides what a missing key means
        auto key = parse_key_file(*content, directory + "/" + relative);
        if (!key) return key.take_error();
        store.keys.emplace(relative, TrustedKey{relative, std::move(*key)});
        files.emplace(relative, std::move(*content));
        return {};
    };

    auto key_files = list_key_files(dirfd.get(), directory, "keys");
    if (!key_files) return key_files.take_error();
    for (const auto& name : *key_files) {
        if (auto ok = load_key("keys/" + name); !ok) return make_error(Errc::config, ok.error().message);
    }

    // Every key a signer names must exist; keys outside keys/*.pub are loaded here.
    for (std::size_t i = 0; i < store.policy.scopes.size(); ++i) {
        const auto& signers = store.policy.scopes[i].signers;
        for (std::size_t j = 0; j < signers.size(); ++j) {
            if (!signers[j].key || store.keys.count(signers[j].key->path) != 0) continue;
            const std::string& path = signers[j].key->path;
            const std::string json_path = directory + "/policy.json: scopes[" + std::to_string(i) +
                                          "].signatures.signers[" + std::to_string(j) + "].key";
            auto ok = load_key(path);
            if (!ok) {
                Error error = ok.take_error();
                if (error.code == Errc::not_found) {
                    return make_error(Errc::config, json_path + ": key file \"" + path +
                                                        "\" does not exist in " + directory);
                }
                return make_error(Errc::config, json_path + ": " + error.message);
            }
        }
    }

    if (auto ok = load_x509_material(dirfd.get(), directory, store, files); !ok) return ok.take_error();

    // Transparency-log keys: rekor/*.pub (no validity window) and the tlogs of trusted_root.json.
    auto rekor_files = list_key_files(dirfd.get(), directory, "rekor");
    if (!rekor_files) return rekor_files.take_error();
    for (const auto& name : *rekor_files) {
        const std::string relative = "rekor/" + name;
        auto content =
            read_beneath(dirfd.get(), directory, relative, kMaxTrustKeyFileBytes, "kMaxTrustKeyFileBytes");
        if (!content) return make_error(Errc::config, content.error().message);
        auto key = parse_key_file(*content, directory + "/" + relative);
        if (!key) return key.take_error();
        std::string log_id = sha256_bytes(key->spki_der());
        store.rekor_keys.push_back(RekorKey{relative, std::move(*key), std::move(log_id), {}, {}, {}});
        files.emplace(relative, std::move(*content));
    }
    const std::string root_path = "sigstore/trusted_root.json";
    auto root = read_beneath(dirfd.get(), directory, root_path, kMaxTrustedRootBytes, "kMaxTrustedRootBytes");
    if (root) {
        auto tlogs = parse_trusted_root_tlogs(*root, root_path);
        if (!tlogs) {
            const Error& error = tlogs.error();
            return make_error(Errc::config, directory + "/" + error.message +
                                                (error.code == Errc::config
                                                     ? std::string()
                                                     : " (" + std::string(errc_name(error.code)) + ")"));
        }
        for (auto& key : *tlogs) store.rekor_keys.push_back(std::move(key));
        auto authorities = parse_trusted_root_authorities(*root, root_path, "certificateAuthorities");
        if (!authorities) return make_error(Errc::config, directory + "/" + authorities.error().message);
        store.certificate_authorities = std::move(*authorities);
        auto timestamp_authorities = parse_trusted_root_authorities(*root, root_path, "timestampAuthorities");
        if (!timestamp_authorities) return make_error(Errc::config, directory + "/" + timestamp_authorities.error().message);
        store.timestamp_authorities = std::move(*timestamp_authorities);
        auto ct_logs = parse_trusted_root_ctlogs(*root, root_path);
        if (!ct_logs) return make_error(Errc::config, directory + "/" + ct_logs.error().message);
        store.ct_logs = std::move(*ct_logs);
        files.emplace(root_path, std::move(*root));
    } else if (root.error().code != Errc::not_found) {
        return make_error(Errc::config, root.error().message);
    }

    // The vulnerability feed: optional, read as bytes (the vulnerabilities rule verifies it).
    const auto read_optional = [&](const std::string& relative, std::size_t limit, const char* limit_name,
                                   std::optional<std::string>& into) -> Status {
        auto content = read_beneath(dirfd.get(), directory, relative, limit, limit_name);
        if (!content) {
            if (content.error().code == Errc::not_found) return {};
            return make_error(Errc::config, content.error().message);
        }
        into = *content;
        files.emplace(relative, std::move(*content));
        return {};
    };
    if (auto ok = read_optional("vulnerabilities/feed.json", limits::kMaxVulnerabilityFeedBytes,
                                "kMaxVulnerabilityFeedBytes", store.vulnerability_feed);
        !ok) {
        return ok.take_error();
    }
    if (auto ok = read_optional("vulnerabilities/feed.json.sig", limits::kMaxVulnerabilityFeedSignatureBytes,
                                "kMaxVulnerabilityFeedSignatureBytes", store.vulnerability_feed_signature);
        !ok) {
        return ok.take_error();
    }

    auto hasher = make_hasher(DigestAlgorithm::sha256);
    const char nul = '\0';
    for (const auto& [path, content] : files) {
        hasher->update(path.data(), path.size());
        hasher->update(&nul, 1);
        hasher->update(content.data(), content.size());
        hasher->update(&nul, 1);
    }
    store.digest = hasher->finish();
    return store;
}

}  // namespace edgeverify
