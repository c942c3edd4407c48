// Keyless Sigstore bundles through check_signature(), on sigstore-conformance cases read in place
// (../shared/vectors/sigstore-conformance): the bundle, its trusted root (tlogs,
// certificateAuthorities and ctlogs), a scope with one sigstore signer, and an image whose manifest digest
// is the artifact's (DSSE subject or messageSignature digest). Without the vectors each case says
// so and passes.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/sct.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/trust_decision.hpp"

using namespace edgeverify;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kBeacon =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
constexpr std::string_view kGitHubIssuer = "https://token.actions.githubusercontent.com";

fs::path conformance() {
    const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS");
    const fs::path base = env ? fs::path(env) : fs::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors";
    return base / "sigstore-conformance";
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Case {
    TrustStore store;
    ImageReference reference;
    ImageResult image;
    SignatureCandidate candidate;

    SignatureCheck check() const {
        return check_signature(candidate, image, reference, store.policy.scopes.front(), store);
    }
};

// The case `name` of bundle-verify/, with `artifact` (relative to bundle-verify/) and `root`
// (relative to the set), and one sigstore signer "ci" with the given identity and issuer.
std::optional<Case> load(const std::string& name, const std::string& artifact, const std::string& root,
                         std::string identity = std::string(kBeacon)) {
    const fs::path dir = conformance() / "bundle-verify" / name;
    if (!fs::exists(dir / "bundle.sigstore.json")) {
        MESSAGE("sigstore-conformance not found at " << dir.string() << ": nothing asserted");
        return std::nullopt;
    }
    Case c;
    const std::string root_json = read(conformance() / root);
    auto tlogs = parse_trusted_root_tlogs(root_json, "trusted_root.json");
    REQUIRE(tlogs);
    c.store.rekor_keys = std::move(*tlogs);
    auto cas = parse_trusted_root_authorities(root_json, "trusted_root.json", "certificateAuthorities");
    REQUIRE(cas);
    c.store.certificate_authorities = std::move(*cas);
    auto ct_logs = parse_trusted_root_ctlogs(root_json, "trusted_root.json");
    REQUIRE(ct_logs);
    c.store.ct_logs = std::move(*ct_logs);
    const Digest digest = digest_of(DigestAlgorithm::sha256, read(conformance() / "bundle-verify" / artifact));
    auto reference = parse_image_reference("example.invalid/keyless@" + digest.str());
    REQUIRE(reference);
    c.reference = *reference;
    c.image.name = c.reference.str();
    c.image.manifest_digest = digest;
    c.image.manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
    c.candidate.kind = CandidateKind::sigstore_bundle;
    c.candidate.origin = name;
    c.candidate.payload = read(dir / "bundle.sigstore.json");
    SignerSpec signer;
    signer.name = "ci";
    signer.sigstore = SigstoreSigner{std::string(kGitHubIssuer), {}, std::move(identity), {}};
    Scope scope;
    scope.name = "fleet";
    scope.match = c.reference.name();
    scope.signers.push_back(std::move(signer));
    c.store.policy.scopes.push_back(std::move(scope));
    return c;
}

const std::string kProductionRoot = "_default_trusted_root/production_trusted_root.json";

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("keyless: a DSSE bundle chained to the custom root's Fulcio CA at its SET time is accepted") {
        auto c = load("intoto-with-custom-trust-root", "intoto-with-custom-trust-root/artifact",
                      "bundle-verify/intoto-with-custom-trust-root/trusted_root.json");
        if (!c) return;
        const SignatureCheck check = c->check();
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.signer == "ci");
        CHECK(check.transparency_log_verified);
        CHECK(check.integrated_time == 1675209600);
        CHECK(check.reason.starts_with("verified with the Fulcio certificate of " + std::string(kBeacon) +
                                       " (issuer " + std::string(kGitHubIssuer) + "), chained to trusted_root.json "
                                       "certificateAuthorities[0] at the integrated time 1675209600"));
        CHECK(check.reason.find(" 1675209600; SCT verified with trusted_root.json ctlogs[0]") != std::string::npos);
        CHECK(check.reason.find("not verified") == std::string::npos);
    }

    TEST_CASE("keyless: a v0.1 messageSignature bundle over the image digest chains to the production root") {
        auto c = load("happy-path-v0.1", "a.txt", kProductionRoot);
        if (!c) return;
        const SignatureCheck check = c->check();
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.integrated_time == 1689177396);
    }

    TEST_CASE("keyless: another identity is refused, naming the SAN found") {
        auto c = load("happy-path-v0.1", "a.txt", kProductionRoot, "https://github.com/acme/release");
        if (!c) return;
        const SignatureCheck check = c->check();
        CHECK_FALSE(check.accepted);
        CHECK(check.signer.empty());
        CHECK(check.reason == "keyless (Fulcio certificate) bundle: the certificate identity matches no sigstore "
                              "signer of scope fleet; ci: untrusted: certificate identity (SAN) " +
                                  std::string(kBeacon) + " is not https://github.com/acme/release");
    }

    TEST_CASE("keyless: without certificateAuthorities in the trust store the bundle is refused") {
        auto c = load("happy-path-v0.1", "a.txt", kProductionRoot);
        if (!c) return;
        c->store.certificate_authorities.clear();
        const SignatureCheck check = c->check();
        CHECK_FALSE(check.accepted);
        CHECK(check.reason == "keyless (Fulcio certificate) bundle: the trust store has no Fulcio certificate "
                              "authority (sigstore/trusted_root.json certificateAuthorities)");
    }

    TEST_CASE("keyless: an SCT from a CT log the trust store does not hold is refused (invalid-ct-key_fail)") {
        auto c = load("invalid-ct-key_fail", "a.txt", "bundle-verify/invalid-ct-key_fail/trusted_root.json");
        if (!c) return;
        const SignatureCheck check = c->check();
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        // The refusal may be prefixed by the verified time it was judged at (check_times.cpp).
        CHECK(check.reason.starts_with("keyless (Fulcio certificate) bundle: "));
        CHECK(check.reason.ends_with("no SCT verifies with a trusted CT log key (SCT 0: log "
                                     "dd3d306ac6c7113263191e1c99673702a24a5eb8de3cadff878a72802f29ee8e is not a "
                                     "trusted CT log)"));
    }

    TEST_CASE("keyless: without ctlogs in the trust store the bundle is refused") {
        auto c = load("happy-path-v0.1", "a.txt", kProductionRoot);
        if (!c) return;
        c->store.ct_logs.clear();
        const SignatureCheck check = c->check();
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with("keyless (Fulcio certificate) bundle: "));
        CHECK(check.reason.ends_with(": the trust store has no CT log key (sigstore/trusted_root.json ctlogs)"));
    }

    TEST_CASE("keyless: a v0.3 bundle's accepted reason names the CT log its SCT verified with") {
        auto c = load("happy-path-v0.3-new-mediaType", "a.txt", kProductionRoot);
        if (!c) return;
        const SignatureCheck check = c->check();
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.reason.find("; SCT verified with trusted_root.json ctlogs[1]") != std::string::npos);
    }

    TEST_CASE("keyless: a SET time outside the signing certificate's window is refused") {
        auto c = load("intoto-set-outside-signing-cert-validity_fail",
                      "intoto-set-outside-signing-cert-validity_fail/artifact",
                      "bundle-verify/intoto-set-outside-signing-cert-validity_fail/trusted_root.json");
        if (!c) return;
        const SignatureCheck check = c->check();
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with("keyless (Fulcio certificate) bundle: the signing certificate does not chain "
                                       "to a trusted Fulcio CA at the integrated time 1675296000; "));
        CHECK(check.reason.find("untrusted: the signing certificate is not valid at 1675296000") != std::string::npos);
    }

    TEST_CASE("keyless: a bundle chain that carries the root certificate is refused") {
        auto c = load("bundle-with-root-cert_fail", "bundle-with-root-cert_fail/artifact", kProductionRoot);
        if (!c) return;
        const SignatureCheck check = c->check();
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with("keyless (Fulcio certificate) bundle: the bundle's certificate chain contains "
                                       "a root certificate ("));
    }
}
