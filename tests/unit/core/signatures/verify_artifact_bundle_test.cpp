// verify_artifact_bundle (verify_bundle.hpp): one Sigstore bundle for an artifact, on bundles of
// the sigstore-conformance set read in place, and the FILE_OR_DIGEST rule of the protocol.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "edgeverify/verify_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;

namespace {

const std::string kIdentity =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const std::string kIssuer = "https://token.actions.githubusercontent.com";

struct Case {
    std::filesystem::path dir;  // bundle-verify/
    std::string root;           // production trusted_root.json
    Digest a_txt;
};

std::optional<Case> load_case() {
    const auto set = sigstore_test::vector_set("sigstore-conformance");
    if (set.empty()) return std::nullopt;
    Case c;
    c.dir = set / "bundle-verify";
    c.root = sigstore_test::read_all(set / "_default_trusted_root" / "production_trusted_root.json");
    c.a_txt = digest_of(DigestAlgorithm::sha256, sigstore_test::read_all(c.dir / "a.txt"));
    return c;
}

BundleSigner identity_signer(const std::string& identity = kIdentity) {
    BundleSigner signer;
    signer.certificate_identity = identity;
    signer.certificate_oidc_issuer = kIssuer;
    return signer;
}

Expected<ArtifactBundleVerdict> verify(const Case& c, const std::string& name, const Digest& artifact,
                                       const BundleSigner& signer, const std::string& root) {
    return verify_artifact_bundle(sigstore_test::read_all(c.dir / name / "bundle.sigstore.json"), name,
                                  artifact, root, "root", signer);
}

}  // namespace

TEST_SUITE("verify artifact bundle") {
    TEST_CASE(
        "a keyless v0.1 bundle for a.txt verifies against the production root and the beacon identity") {
        const auto c = load_case();
        if (!c) return;
        auto verdict = verify(*c, "happy-path-v0.1", c->a_txt, identity_signer(), c->root);
        REQUIRE(verdict);
        CAPTURE(verdict->reason);
        CHECK(verdict->accepted);
        CHECK(verdict->reason.starts_with("verified with the Fulcio certificate of " + kIdentity));
    }

    TEST_CASE("another artifact, another identity: refused with the reason") {
        const auto c = load_case();
        if (!c) return;
        const Digest other = digest_of(DigestAlgorithm::sha256, "other");
        auto verdict = verify(*c, "happy-path-v0.1", other, identity_signer(), c->root);
        REQUIRE(verdict);
        CHECK_FALSE(verdict->accepted);
        CHECK(verdict->reason ==
              "message digest " + c->a_txt.str() + " is not the artifact (" + other.str() + ")");
        verdict =
            verify(*c, "happy-path-v0.1", c->a_txt, identity_signer("https://example.com/other"), c->root);
        REQUIRE(verdict);
        CAPTURE(verdict->reason);
        CHECK_FALSE(verdict->accepted);
        CHECK(verdict->reason.starts_with("keyless (Fulcio certificate) bundle: "));
        CHECK(verdict->reason.find(
                  "the certificate identity matches no sigstore signer of scope verify-bundle; "
                  "certificate identity https://example.com/other: ") != std::string::npos);
    }

    TEST_CASE("a key-based bundle verifies with its key and its custom trusted root") {
        const auto c = load_case();
        if (!c) return;
        const auto dir = c->dir / "managed-key-and-trusted-root";
        BundleSigner signer;
        signer.public_key_pem = sigstore_test::read_all(dir / "key.pub");
        signer.public_key_origin = "--key key.pub";
        auto verdict = verify(*c, "managed-key-and-trusted-root", c->a_txt, signer,
                              sigstore_test::read_all(dir / "trusted_root.json"));
        REQUIRE(verdict);
        CAPTURE(verdict->reason);
        CHECK(verdict->accepted);
        CHECK(verdict->reason.starts_with("verified with --key key.pub (ecdsa-p256, messageSignature)"));
    }

    TEST_CASE("a keyless bundle with only a Rekor v2 entry verifies at its RFC 3161 time") {
        const auto c = load_case();
        if (!c) return;
        const std::string name = "rekor2-checkpoint-multiple-cosigs";
        const std::string root = sigstore_test::read_all(c->dir / name / "trusted_root.json");
        auto verdict = verify(*c, name, c->a_txt, identity_signer(), root);
        REQUIRE(verdict);
        CAPTURE(verdict->reason);
        CHECK(verdict->accepted);
        // tlogs[1] is the Rekor v2 log (no SET): its inclusion proof and body verified; the time
        // the certificate is judged at can only come from the bundle's RFC 3161 timestamp.
        CHECK(verdict->reason.find("; logged in root tlogs[1]") != std::string::npos);
        // The Rekor v2 body names a.txt's digest: another artifact is refused at the binding.
        const Digest other = digest_of(DigestAlgorithm::sha256, "other");
        verdict = verify(*c, name, other, identity_signer(), root);
        REQUIRE(verdict);
        CHECK_FALSE(verdict->accepted);
        CHECK(verdict->reason ==
              "message digest " + c->a_txt.str() + " is not the artifact (" + other.str() + ")");
    }

    TEST_CASE("a keyless bundle timed by its RFC 3161 timestamp but without a log entry is refused") {
        const auto c = load_case();
        if (!c) return;
        const std::string name = "rekor2-checkpoint-multiple-cosigs";
        Json bundle = Json::parse(sigstore_test::read_all(c->dir / name / "bundle.sigstore.json"));
        bundle["verificationMaterial"]["tlogEntries"] = Json::array();
        auto verdict = verify_artifact_bundle(bundle.dump(), name, c->a_txt,
                                              sigstore_test::read_all(c->dir / name / "trusted_root.json"),
                                              "root", identity_signer());
        REQUIRE(verdict);
        CAPTURE(verdict->reason);
        CHECK_FALSE(verdict->accepted);
        CHECK(verdict->reason ==
              "scope verify-bundle requires a verified Rekor entry (SET) and this signature has none");
    }

    TEST_CASE("the signer must be an identity with its issuer, or a key, not both") {
        const auto c = load_case();
        if (!c) return;
        BundleSigner none;
        auto result = verify(*c, "happy-path-v0.1", c->a_txt, none, c->root);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::usage);
        CHECK(result.error().message ==
              "needs --certificate-identity with --certificate-oidc-issuer, or --key");
        BundleSigner half;
        half.certificate_identity = kIdentity;
        result = verify(*c, "happy-path-v0.1", c->a_txt, half, c->root);
        REQUIRE_FALSE(result);
        CHECK(result.error().message == "--certificate-identity and --certificate-oidc-issuer go together");
        result = verify(*c, "happy-path-v0.1", c->a_txt, identity_signer(), "{}");
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::config);
    }

    TEST_CASE("FILE_OR_DIGEST: a digest when no such file exists, else the file's SHA-256") {
        const std::string text = "sha256:" + std::string(64, 'a');
        auto digest = artifact_digest_argument(text);
        REQUIRE(digest);
        CHECK(digest->str() == text);
        const std::string path = std::filesystem::temp_directory_path() / "edgeverify-vab-test-artifact";
        { std::ofstream(path) << "hello\n"; }
        digest = artifact_digest_argument(path);
        std::remove(path.c_str());
        REQUIRE(digest);
        CHECK(digest->str() == digest_of(DigestAlgorithm::sha256, "hello\n").str());
        digest = artifact_digest_argument("sha256:ABC");  // not a digest: a file name that does not exist
        REQUIRE_FALSE(digest);
        CHECK(digest.error().code == Errc::not_found);
        CHECK(digest.error().message == "artifact sha256:ABC: No such file or directory");
        digest = artifact_digest_argument("/");
        REQUIRE_FALSE(digest);
        CHECK(digest.error().code == Errc::io_error);
    }
}
