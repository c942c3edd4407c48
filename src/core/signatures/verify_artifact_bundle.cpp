// A Sigstore bundle for an artifact (verify_bundle.hpp): a thin binding of the bundle to the
// artifact's digest, beside the image binding of check_bundle.cpp, then the shared verifier
// (judge_bound_bundle) with a one-scope trust store built in memory from the trusted root and the
// signer the caller names.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "edgeverify/sct.hpp"
#include "edgeverify/verify_bundle.hpp"
#include "signatures/bundle_binding.hpp"

namespace edgeverify {
namespace {

using signatures_detail::BindTarget;
using signatures_detail::SignedContent;

Error errno_error(int err, const std::string& what, const std::string& path) {
    const Errc code = err == ENOENT || err == ENOTDIR ? Errc::not_found
                      : err == EACCES || err == EPERM ? Errc::permission_denied
                                                      : Errc::io_error;
    return make_error(code, what + " " + path + ": " + std::strerror(err));
}

// Opens a regular file for reading; the caller closes it.
Expected<int> open_regular(const std::string& what, const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return errno_error(errno, what, path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return errno_error(err, what, path);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return make_error(Errc::io_error, what + " " + path + ": not a regular file");
    }
    return fd;
}

// Feeds the file to `sink` in fixed-size chunks; `sink` returns an error to stop.
template <typename Sink>
Status read_chunks(const std::string& what, const std::string& path, Sink&& sink) {
    auto fd = open_regular(what, path);
    if (!fd) return fd.take_error();
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{*fd};
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(*fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno_error(errno, what, path);
        if (n == 0) return {};
        if (auto ok = sink(std::string_view(buffer, static_cast<std::size_t>(n))); !ok) return ok;
    }
}

bool is_digest_text(const std::string& text) {
    if (text.size() != 7 + 64 || !text.starts_with("sha256:")) return false;
    for (std::size_t i = 7; i < text.size(); ++i) {
        const char c = text[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

// The in-memory trust store: the trusted root's Rekor logs, Fulcio CAs, CT logs and timestamp
// authorities, one scope, one signer.
Expected<TrustStore> artifact_trust_store(std::string_view root_json, std::string_view root_origin,
                                          const BundleSigner& signer) {
    TrustStore store;
    auto tlogs = parse_trusted_root_tlogs(root_json, root_origin);
    if (!tlogs) return tlogs.take_error();
    store.rekor_keys = std::move(*tlogs);
    auto authorities = parse_trusted_root_authorities(root_json, root_origin, "certificateAuthorities");
    if (!authorities) return authorities.take_error();
    store.certificate_authorities = std::move(*authorities);
    auto ct_logs = parse_trusted_root_ctlogs(root_json, root_origin);
    if (!ct_logs) return ct_logs.take_error();
    store.ct_logs = std::move(*ct_logs);
    auto tsas = parse_trusted_root_authorities(root_json, root_origin, "timestampAuthorities");
    if (!tsas) return tsas.take_error();
    store.timestamp_authorities = std::move(*tsas);

    Scope scope;
    scope.name = "verify-bundle";
    scope.match = "*";
    scope.require_transparency_log = true;
    SignerSpec spec;
    if (signer.public_key_pem) {
        auto key = parse_public_key_pem(*signer.public_key_pem, signer.public_key_origin);
        if (!key) return key.take_error();
        spec.name = signer.public_key_origin;
        spec.key = KeySigner{signer.public_key_origin};
        store.keys.emplace(signer.public_key_origin, TrustedKey{signer.public_key_origin, std::move(*key)});
    } else {
        spec.name = "certificate identity " + *signer.certificate_identity;
        spec.sigstore = SigstoreSigner{*signer.certificate_oidc_issuer, {}, *signer.certificate_identity, {}};
    }
    scope.signers.push_back(std::move(spec));
    store.policy.scopes.push_back(std::move(scope));
    return store;
}

Status check_signer(const BundleSigner& signer) {
    const bool identity = signer.certificate_identity.has_value();
    const bool issuer = signer.certificate_oidc_issuer.has_value();
    if (identity != issuer) {
        return make_error(Errc::usage, "--certificate-identity and --certificate-oidc-issuer go together");
    }
    if (identity && signer.public_key_pem) {
        return make_error(Errc::usage,
                          "give either --certificate-identity with --certificate-oidc-issuer, or --key, "
                          "not both");
    }
    if (!identity && !signer.public_key_pem) {
        return make_error(Errc::usage,
                          "needs --certificate-identity with --certificate-oidc-issuer, or --key");
    }
    return {};
}

}  // namespace

Expected<ArtifactBundleVerdict> verify_artifact_bundle(std::string_view bundle_json,
                                                       std::string_view bundle_origin, const Digest& artifact,
                                                       std::string_view trusted_root_json,
                                                       std::string_view trusted_root_origin,
                                                       const BundleSigner& signer) {
    if (auto ok = check_signer(signer); !ok) return ok.take_error();
    auto store = artifact_trust_store(trusted_root_json, trusted_root_origin, signer);
    if (!store) return store.take_error();
    const Scope& scope = store->policy.scopes.front();

    SignatureCandidate candidate;
    candidate.kind = CandidateKind::sigstore_bundle;
    candidate.origin = std::string(bundle_origin);
    candidate.payload = std::string(bundle_json);
    SignatureCheck check;
    check.origin = candidate.origin;
    check.kind = "sigstore-bundle";
    const auto refused = [](std::string reason) { return ArtifactBundleVerdict{false, std::move(reason)}; };

    auto bundle = parse_sigstore_bundle(candidate.payload, candidate.origin);
    if (!bundle) return refused(signatures_detail::describe(bundle.error()));
    const BindTarget target{{artifact}, "the artifact", artifact.str()};
    SignedContent content;
    const auto unbound =
        bundle->dsse
            ? signatures_detail::bind_dsse(*bundle->dsse, candidate.origin, target, check, content)
            : signatures_detail::bind_message_digest(*bundle->message_signature, target, check, content);
    if (unbound) return refused(*unbound);
    const SignatureCheck judged =
        signatures_detail::judge_bound_bundle(*bundle, content, candidate, scope, *store, std::move(check));
    return ArtifactBundleVerdict{judged.accepted, judged.reason};
}

Expected<Digest> artifact_digest_argument(const std::string& file_or_digest) {
    struct stat st {};
    if (is_digest_text(file_or_digest) && ::stat(file_or_digest.c_str(), &st) != 0) {
        return Digest::parse(file_or_digest);
    }
    auto hasher = make_hasher(DigestAlgorithm::sha256);
    auto read = read_chunks("artifact", file_or_digest, [&](std::string_view chunk) -> Status {
        hasher->update(chunk.data(), chunk.size());
        return {};
    });
    if (!read) return read.take_error();
    return hasher->finish();
}

Expected<std::string> read_bounded_file(const std::string& what, const std::string& path,
                                        std::size_t max_bytes, std::string_view limit_name) {
    std::string content;
    auto read = read_chunks(what, path, [&](std::string_view chunk) -> Status {
        if (content.size() + chunk.size() > max_bytes) {
            return make_error(Errc::limit_exceeded, what + " " + path + ": over " + std::string(limit_name) +
                                                        " (" + std::to_string(max_bytes) + " bytes)");
        }
        content.append(chunk);
        return {};
    });
    if (!read) return read.take_error();
    return content;
}

}  // namespace edgeverify
