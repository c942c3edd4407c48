// decide_trust over cosign signatures and Sigstore bundles together: a key counts once toward
// the threshold whatever the signature's format, requireTransparencyLog per signature, and the
// docker-archive refusal.
#include "check_fixture.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

TEST_SUITE("trust") {
    TEST_CASE("the same key counts once across a cosign signature and a bundle") {
        Fixture f;
        f.scope().threshold = 2;
        const std::vector<SignatureCandidate> candidates = {
            cosign_candidate(f.a, f.payload(f.image.manifest_digest)),
            bundle_candidate(dsse_bundle(f.a, f.statement(f.image.manifest_digest)))};
        const TrustDecision decision =
            decide_trust(f.store, f.reference, f.image, SourceKind::oci_layout, candidates);
        REQUIRE(decision.signatures.size() == 2);
        CHECK(decision.signatures[0].accepted);
        CHECK(decision.signatures[1].accepted);
        CHECK(decision.satisfied_signers == std::vector<std::string>{"a"});
        REQUIRE(decision.failure);
        CHECK(
            decision.failure->message ==
            "1 of the 2 distinct signer(s) scope fleet requires verified for registry.example.com/fleet/app "
            "(2 signature(s) considered)");
        CHECK_FALSE(decision.admits());
    }

    TEST_CASE("two keys across a cosign signature and a bundle meet a threshold of two") {
        Fixture f;
        f.scope().threshold = 2;
        const std::vector<SignatureCandidate> candidates = {
            cosign_candidate(f.a, f.payload(f.image.manifest_digest)),
            bundle_candidate(message_bundle(f.b, kManifest))};
        const TrustDecision decision =
            decide_trust(f.store, f.reference, f.image, SourceKind::oci_layout, candidates);
        CHECK(decision.satisfied_signers == std::vector<std::string>{"a", "b"});
        CHECK_FALSE(decision.failure);
        CHECK(decision.admits());
    }

    TEST_CASE("two signer entries naming the same key in two files count once") {
        Fixture f;
        f.scope().threshold = 2;
        f.store.keys.erase("keys/b.pub");
        f.store.keys.emplace("keys/b.pub", TrustedKey{"keys/b.pub", f.a.public_key().value()});
        const std::vector<SignatureCandidate> candidates = {
            cosign_candidate(f.a, f.payload(f.image.manifest_digest)),
            bundle_candidate(dsse_bundle(f.a, f.statement(f.image.manifest_digest)))};
        const TrustDecision decision =
            decide_trust(f.store, f.reference, f.image, SourceKind::oci_layout, candidates);
        CHECK(decision.satisfied_signers.size() == 1);
        CHECK(decision.failure);
    }

    TEST_CASE("requireTransparencyLog refuses signatures without a verified SET, and the image with them") {
        Fixture f;
        f.scope().require_transparency_log = true;
        const std::vector<SignatureCandidate> candidates = {
            cosign_candidate(f.a, f.payload(f.image.manifest_digest))};
        const TrustDecision decision =
            decide_trust(f.store, f.reference, f.image, SourceKind::oci_layout, candidates);
        REQUIRE(decision.signatures.size() == 1);
        CHECK_FALSE(decision.signatures[0].accepted);
        CHECK(decision.signatures[0].reason.starts_with(
            "scope fleet requires a verified Rekor entry (SET) and this signature has none"));
        CHECK(decision.satisfied_signers.empty());
        REQUIRE(decision.failure);
        CHECK(decision.failure->code == Errc::untrusted);
    }

    TEST_CASE("requireTransparencyLog admits a signature whose SET verified") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        f.scope().require_transparency_log = true;
        SignatureCandidate c = cosign_candidate(f.a, f.payload(f.image.manifest_digest));
        c.annotations[std::string(cosign::kBundleAnnotation)] =
            cosign_set_annotation(log.entry(hashedrekord_body(c.signature, f.a, sha256_of(c.payload))));
        const TrustDecision decision =
            decide_trust(f.store, f.reference, f.image, SourceKind::oci_layout, {c});
        CHECK(decision.satisfied_signers == std::vector<std::string>{"a"});
        CHECK_FALSE(decision.failure);
    }

    TEST_CASE("a docker-archive is still refused: it cannot carry the signed manifest") {
        Fixture f;
        const TrustDecision decision =
            decide_trust(f.store, f.reference, f.image, SourceKind::docker_archive,
                         {cosign_candidate(f.a, f.payload(f.image.manifest_digest))});
        REQUIRE(decision.failure);
        CHECK(decision.failure->message.find("docker-archive cannot carry the signed registry manifest") !=
              std::string::npos);
        CHECK(decision.signatures.empty());
    }
}
