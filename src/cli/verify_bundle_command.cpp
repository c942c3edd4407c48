// `edgeverify verify-bundle`: one Sigstore bundle for one artifact, as the Sigstore conformance
// client protocol drives a client (sigstore-conformance docs/cli_protocol.md), offline: the
// trusted root is a file, never fetched (there is no TUF client here).
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/verify_bundle.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kVerifyBundleHelp =
    "usage: edgeverify verify-bundle [--staging] --bundle FILE [--trusted-root FILE]\n"
    "         (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) FILE_OR_DIGEST\n"
    "\n"
    "Verifies one Sigstore bundle for one artifact, offline (the Sigstore conformance client\n"
    "protocol). FILE_OR_DIGEST is the artifact, or its digest 'sha256:<64 hex>' when no file has that\n"
    "name. Keyless bundles are checked against the identity (SAN) and OIDC issuer, exactly; key-based\n"
    "bundles against the PEM public key. At least one transparency-log entry must verify.\n"
    "\n"
    "options:\n"
    "  --bundle FILE                    the bundle (.sigstore.json)\n"
    "  --trusted-root FILE              trusted_root.json: Rekor logs and Fulcio CAs (required: there\n"
    "                                   is no TUF fetch offline)\n"
    "  --certificate-identity ID        the signing certificate's expected SAN\n"
    "  --certificate-oidc-issuer URL    the signing certificate's expected OIDC issuer\n"
    "  --key PEM                        a public key file, for key-based bundles\n"
    "  --staging                        accepted for the protocol; the trusted root says which instance\n"
    "  -h, --help                       this help\n"
    "\n"
    "exit status: 0 verified, 1 refused (reason on stderr), 2 usage or configuration error,\n"
    "3 a file cannot be read\n";

}  // namespace

int run_verify_bundle(const std::vector<std::string>& args) {
    const OptionSpec spec{
        {"--staging", "--help", "-h"},
        {"--bundle", "--trusted-root", "--certificate-identity", "--certificate-oidc-issuer", "--key"}};
    auto parsed = parse_options(args, spec, "verify-bundle");
    if (!parsed) return report_error(parsed.error());
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kVerifyBundleHelp, stdout);
        return 0;
    }
    const auto usage = [](const std::string& message) {
        return report_error(
            make_error(Errc::usage, "verify-bundle " + message + " (see 'edgeverify verify-bundle --help')"));
    };
    const auto bundle_path = parsed->value("--bundle");
    if (!bundle_path) return usage("needs --bundle FILE");
    if (parsed->positional.size() != 1) return usage("needs exactly one FILE_OR_DIGEST");
    BundleSigner signer;
    signer.certificate_identity = parsed->value("--certificate-identity");
    signer.certificate_oidc_issuer = parsed->value("--certificate-oidc-issuer");
    const auto key_path = parsed->value("--key");
    if (key_path && (signer.certificate_identity || signer.certificate_oidc_issuer)) {
        return usage("takes --key or --certificate-identity with --certificate-oidc-issuer, not both");
    }
    if (!key_path && !signer.certificate_identity && !signer.certificate_oidc_issuer) {
        return usage("needs --certificate-identity with --certificate-oidc-issuer, or --key");
    }
    if (!key_path && (!signer.certificate_identity || !signer.certificate_oidc_issuer)) {
        return usage("needs both --certificate-identity and --certificate-oidc-issuer");
    }
    const auto root_path = parsed->value("--trusted-root");
    if (!root_path) {
        return usage(
            "needs --trusted-root FILE: this build verifies offline and never fetches the Sigstore "
            "trusted root over TUF");
    }

    auto bundle =
        read_bounded_file("--bundle", *bundle_path, limits::kMaxJsonDocumentBytes, "kMaxJsonDocumentBytes");
    if (!bundle) return report_error(bundle.error());
    auto root =
        read_bounded_file("--trusted-root", *root_path, limits::kMaxTrustedRootBytes, "kMaxTrustedRootBytes");
    if (!root) return report_error(root.error());
    if (key_path) {
        auto pem =
            read_bounded_file("--key", *key_path, limits::kMaxTrustKeyFileBytes, "kMaxTrustKeyFileBytes");
        if (!pem) return report_error(pem.error());
        signer.public_key_pem = std::move(*pem);
        signer.public_key_origin = "--key " + *key_path;
    }
    auto artifact = artifact_digest_argument(parsed->positional.front());
    if (!artifact) return report_error(artifact.error());

    auto verdict = verify_artifact_bundle(*bundle, "--bundle " + *bundle_path, *artifact, *root,
                                          "--trusted-root " + *root_path, signer);
    if (!verdict) {
        // The trusted root or the key is configuration: a bad one is exit 2, not a refusal.
        const Error& e = verdict.error();
        const bool config = e.code != Errc::config && e.code != Errc::usage && e.code != Errc::not_found &&
                            e.code != Errc::permission_denied && e.code != Errc::io_error;
        return report_error(
            config ? make_error(Errc::config, std::string(errc_name(e.code)) + ": " + e.message) : e);
    }
    if (!verdict->accepted) {
        std::fprintf(stderr, "edgeverify: rejected: %s\n", verdict->reason.c_str());
        return 1;
    }
    std::printf("verified: %s: %s\n", artifact->str().c_str(), verdict->reason.c_str());
    return 0;
}

}  // namespace edgeverify::cli
