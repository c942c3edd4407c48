// Cases of the sigstore-conformance bundle-verify set (../shared/vectors/sigstore-conformance/
// SOURCE.md): a bundle, an artifact, a trusted root and either an identity with its issuer or a
// PEM key. Each case runs through the library entry `edgeverify verify-bundle` uses
// (verify_artifact_bundle after artifact_digest_argument), read in place. A valid case passes only
// when accepted; an invalid case passes when refused or when its inputs are refused as
// configuration (a broken trusted root), as the upstream harness judges by exit status alone.
// EDGEVERIFY_VECTORS_VERBOSE=1 prints every verdict's reason on stderr.
#include <cstdio>
#include <cstdlib>

#include "case_kinds.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/verify_bundle.hpp"

namespace fs = std::filesystem;

namespace edgeverify::conformance {
namespace {

std::string text_of(const Json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

// The identity and issuer the upstream harness passes when a case has no key and names neither
// (SOURCE.md "How the upstream harness uses these"): managed-key-no-key_fail relies on this.
constexpr const char* kDefaultIdentity =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
constexpr const char* kDefaultIssuer = "https://token.actions.githubusercontent.com";

std::string describe(const Error& e) {
    return std::string(errc_name(e.code)) + ": " + e.message;
}

// The verdict as `verify-bundle` would give it: accepted, or the refusal or error.
struct Run {
    bool accepted = false;
    bool setup_failed = false;  // the case's own files could not be read: never a pass
    std::string reason;
};

Run run_verify_bundle(const Json& c, const fs::path& base) {
    const std::string bundle_name = text_of(c, "bundle");
    const std::string root_name = text_of(c, "trusted_root");
    const std::string artifact_name = text_of(c, "artifact");
    if (bundle_name.empty() || root_name.empty() || artifact_name.empty())
        return {false, true, "case needs bundle, artifact and trusted_root"};
    auto bundle = read_bounded_file("--bundle", (base / bundle_name).string(), limits::kMaxJsonDocumentBytes,
                                    "kMaxJsonDocumentBytes");
    if (!bundle) return {false, true, describe(bundle.error())};
    auto root = read_bounded_file("--trusted-root", (base / root_name).string(), limits::kMaxTrustedRootBytes,
                                  "kMaxTrustedRootBytes");
    if (!root) return {false, true, describe(root.error())};
    auto artifact = artifact_digest_argument((base / artifact_name).string());
    if (!artifact) return {false, true, describe(artifact.error())};

    BundleSigner signer;
    if (const std::string key_name = text_of(c, "key"); !key_name.empty()) {
        auto pem = read_bounded_file("--key", (base / key_name).string(), limits::kMaxTrustKeyFileBytes,
                                     "kMaxTrustKeyFileBytes");
        if (!pem) return {false, true, describe(pem.error())};
        signer.public_key_pem = std::move(*pem);
        signer.public_key_origin = "--key " + key_name;
    } else {
        const std::string identity = text_of(c, "identity"), issuer = text_of(c, "issuer");
        signer.certificate_identity = identity.empty() ? kDefaultIdentity : identity;
        signer.certificate_oidc_issuer = issuer.empty() ? kDefaultIssuer : issuer;
    }
    auto verdict = verify_artifact_bundle(*bundle, "--bundle " + bundle_name, *artifact, *root,
                                          "--trusted-root " + root_name, signer);
    if (!verdict) return {false, false, describe(verdict.error())};
    return {verdict->accepted, false, verdict->reason};
}

}  // namespace

CaseOutcome run_sigstore_conformance_case(const Json& c, const fs::path& base, bool expect_valid) {
    const Run run = run_verify_bundle(c, base);
    if (std::getenv("EDGEVERIFY_VECTORS_VERBOSE") != nullptr)
        std::fprintf(stderr, "  %s: %s\n", run.accepted ? "accepted" : "refused", run.reason.c_str());
    if (run.setup_failed) return {false, "case setup: " + run.reason};
    if (expect_valid) {
        if (run.accepted) return {true, {}};
        return {false, "expected valid, got: " + run.reason};
    }
    if (run.accepted) return {false, "expected invalid, but it was accepted: " + run.reason};
    return {true, {}};
}

}  // namespace edgeverify::conformance
