// Keyless bundles judged at their verified times (check_times.cpp): Rekor v2 bundles of the
// sigstore-conformance set (no SET) whose only time is an RFC 3161 timestamp, read in place.
#include <doctest/doctest.h>

#include "edgeverify/verify_bundle.hpp"
#include "unit/core/crypto/timestamp_support.hpp"

using namespace edgeverify;
using timestamp_test::read_vector;

namespace {

const std::string kDir = "sigstore-conformance/bundle-verify/";

ArtifactBundleVerdict judge(const std::string& name) {
    BundleSigner signer;
    signer.certificate_identity =
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
        "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    signer.certificate_oidc_issuer = "https://token.actions.githubusercontent.com";
    const Digest artifact = digest_of(DigestAlgorithm::sha256, read_vector(kDir + "a.txt"));
    auto verdict = verify_artifact_bundle(read_vector(kDir + name + "/bundle.sigstore.json"), name, artifact,
                                          read_vector(kDir + name + "/trusted_root.json"), "root", signer);
    REQUIRE_MESSAGE(verdict.has_value(), (verdict ? "" : verdict.error().message));
    return *verdict;
}

}  // namespace

TEST_SUITE("keyless verified times") {
    TEST_CASE(
        "an RFC 3161 time alone lets a Rekor v2 keyless bundle verify, even with an expired TSA chain now") {
        for (const char* name :
             {"rekor2-timestamp-without-embedded-cert", "rekor2-timestamp-with-expired-cert-chain"}) {
            CAPTURE(name);
            const ArtifactBundleVerdict verdict = judge(name);
            CAPTURE(verdict.reason);
            CHECK(verdict.accepted);
            CHECK(verdict.reason.find(
                      "; verified times: the RFC 3161 timestamp of root timestampAuthorities[0]") !=
                  std::string::npos);
        }
    }

    TEST_CASE("a timestamp that does not verify gives no time, and the bundle is refused naming why") {
        const ArtifactBundleVerdict mismatch = judge("rekor2-timestamp-payload-mismatch_fail");
        CHECK_FALSE(mismatch.accepted);
        CHECK(mismatch.reason.find(
                  "needs a verified signing time, and neither a Rekor SET nor an RFC 3161 timestamp "
                  "verified") != std::string::npos);
        CHECK(mismatch.reason.find(
                  "rfc3161Timestamps[0]: timestamp (root timestampAuthorities[0]): the message "
                  "imprint is not the sha256 of the signature bytes") != std::string::npos);
        const ArtifactBundleVerdict outside = judge("rekor2-timestamp-outside-trust-root-tsa-validity_fail");
        CHECK_FALSE(outside.accepted);
        CHECK(outside.reason.find("is outside the authority's validFor") != std::string::npos);
        const ArtifactBundleVerdict untrusted =
            judge("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail");
        CHECK_FALSE(untrusted.accepted);
        CHECK(untrusted.reason.find("neither in the token nor the authority's chain") != std::string::npos);
    }
}
