// A Notation signature in the trust decision: the committed tests/data/notation envelopes (signed
// over sha256:abab... of 1234 bytes) against a trust store with ca/acme = root.crt. What counts
// toward the threshold, what is refused and with which reason, and what a permissive signer logs.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "edgeverify/trust_decision.hpp"
#include "unit/core/integrity/referrer_layouts.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

const std::filesystem::path kData = std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / "notation";
const std::string kManifestType = "application/vnd.oci.image.manifest.v1+json";
Digest signed_digest() {
    std::string hex;
    for (int i = 0; i < 32; ++i) hex += "ab";
    return Digest::parse("sha256:" + hex).value();
}
const Digest kSigned = signed_digest();

// A trust directory whose policy has the given signers (JSON array) and ca/acme = root.crt.
struct NotationStore {
    TempDir dir;
    explicit NotationStore(const std::string& signers, bool with_crl = false) {
        const std::filesystem::path root = dir.path();
        write_file(root / "policy.json",
                   R"({"version":1,"scopes":[{"name":"fleet","match":"registry.example.com/fleet/*",)"
                   R"("signatures":{"signers":)" +
                       signers + "}}]}");
        write_file(root / "ca/acme/root.pem", read_bytes(kData / "root.crt"));
        if (with_crl) write_file(root / "crl/intermediate.crl", read_bytes(kData / "intermediate.crl"));
    }
    TrustStore load() const {
        auto store = load_trust_store(dir.path());
        REQUIRE(store.has_value());
        return std::move(*store);
    }
};

SignatureCandidate candidate(const std::string& file) {
    SignatureCandidate c;
    c.kind = CandidateKind::notation;
    c.origin = "notation referrer " + file;
    c.media_type = "application/jose+json";
    c.payload = read_bytes(kData / file);
    Descriptor subject;
    subject.media_type = kManifestType;
    subject.digest = kSigned;
    subject.size = 1234;
    c.subject = subject;
    return c;
}

TrustDecision decide(const TrustStore& store, const std::vector<SignatureCandidate>& candidates) {
    ImageResult image;
    image.manifest_digest = kSigned;
    image.manifest_media_type = kManifestType;
    return decide_trust(store, parse_image_reference("registry.example.com/fleet/app:1.0").value(), image,
                        SourceKind::oci_layout, candidates);
}

const std::string kLeaf = R"("C=US, ST=WA, O=Edgeverify Test, CN=leaf")";
const std::string kVerified =
    R"(verified with x509 signer pki (trust store ca/acme): signing certificate "C=US, ST=WA, L=Seattle, O=Edgeverify Test, CN=leaf")";

}  // namespace

TEST_CASE("notation decision: a verified signature counts once for its x509 signer") {
    const NotationStore dir(R"([{"name":"pki","x509":{"trustStore":"ca/acme","subject":)" + kLeaf + "}}]");
    const TrustDecision decision = decide(dir.load(), {candidate("es256.jws"), candidate("es256.jws")});
    CHECK_FALSE(decision.failure.has_value());
    CHECK(decision.satisfied_signers == std::vector<std::string>{"pki"});
    REQUIRE(decision.signatures.size() == 2);
    CHECK(decision.signatures[0].kind == "notation");
    CHECK(decision.signatures[0].accepted);
    CHECK(decision.signatures[0].reason == kVerified);
    CHECK(decision.signatures[0].signed_digest == kSigned.str());
}

TEST_CASE("notation decision: each x509 signer is tried in order; every refusal is quoted") {
    const NotationStore dir(
        R"([{"name":"other","x509":{"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Other"}},)"
        R"({"name":"pki","x509":{"trustStore":"ca/acme","subject":)" +
        kLeaf + "}}]");
    const TrustStore store = dir.load();
    const TrustDecision accepted = decide(store, {candidate("es256.jws")});
    CHECK(accepted.satisfied_signers == std::vector<std::string>{"pki"});
    const TrustDecision refused = decide(store, {candidate("expired.jws")});
    REQUIRE(refused.failure.has_value());
    REQUIRE(refused.signatures.size() == 1);
    CHECK(refused.signatures[0].reason ==
          "x509 signer other: untrusted: notation authenticity: signing certificate subject \"C=US, ST=WA, "
          "L=Seattle, O=Edgeverify Test, CN=leaf\" matches none of the trusted identities; x509 signer pki: "
          "untrusted: notation expiry: the signature expired at 1577836800 (Unix seconds)");
}

TEST_CASE("notation decision: a revoked leaf is refused when strict and logged when permissive") {
    const std::string subject = R"("C=US, ST=WA, O=Edgeverify Test, CN=leaf-revoked")";
    const NotationStore strict(
        R"([{"name":"pki","x509":{"trustStore":"ca/acme","subject":)" + subject + "}}]", true);
    const TrustDecision refused = decide(strict.load(), {candidate("revoked.jws")});
    REQUIRE(refused.failure.has_value());
    CHECK(
        refused.signatures.at(0).reason ==
        "x509 signer pki: untrusted: notation revocation: certificate \"C=US, ST=WA, L=Seattle, O=Edgeverify "
        "Test, CN=leaf-revoked\" is revoked by " +
            strict.dir.path() + "/crl/intermediate.crl");

    const NotationStore permissive(
        R"([{"name":"pki","x509":{"trustStore":"ca/acme","level":"permissive","subject":)" + subject + "}}]",
        true);
    const TrustDecision logged = decide(permissive.load(), {candidate("revoked.jws")});
    CHECK_FALSE(logged.failure.has_value());
    CHECK(
        logged.signatures.at(0).reason ==
        "verified with x509 signer pki (trust store ca/acme): signing certificate \"C=US, ST=WA, L=Seattle, "
        "O=Edgeverify Test, CN=leaf-revoked\"; logged: revocation: certificate \"C=US, ST=WA, L=Seattle, "
        "O=Edgeverify Test, CN=leaf-revoked\" is revoked by " +
            permissive.dir.path() + "/crl/intermediate.crl");
}

TEST_CASE("notation decision: a tsaStore requires a timestamp unless verifyTimestamp is afterCertExpiry") {
    const NotationStore always(
        R"([{"name":"pki","x509":{"trustStore":"ca/acme","tsaStore":"tsa/acme","subject":)" + kLeaf + "}}]");
    write_file(std::filesystem::path(always.dir.path()) / "tsa/acme/root.pem",
               read_bytes(kData / "root.crt"));
    const TrustStore store = always.load();
    REQUIRE(store.x509_stores.count("tsa/acme") == 1);
    CHECK(store.x509_stores.at("tsa/acme").kind == X509StoreKind::tsa);
    const TrustDecision refused = decide(store, {candidate("es256.jws")});
    REQUIRE(refused.failure.has_value());
    CHECK(refused.signatures.at(0).reason ==
          "x509 signer pki: untrusted: notation authenticTimestamp: the policy requires an RFC 3161 "
          "timestamp and "
          "the signature has none");

    const NotationStore after(R"([{"name":"pki","x509":{"trustStore":"ca/acme","tsaStore":"tsa/acme",)"
                              R"("verifyTimestamp":"afterCertExpiry","subject":)" +
                              kLeaf + "}}]");
    write_file(std::filesystem::path(after.dir.path()) / "tsa/acme/root.pem", read_bytes(kData / "root.crt"));
    const TrustDecision accepted = decide(after.load(), {candidate("es256.jws")});
    CHECK_FALSE(accepted.failure.has_value());
    CHECK(accepted.signatures.at(0).reason == kVerified);
}

TEST_CASE("notation decision: a scope without x509 signers refuses a Notation signature by name") {
    const NotationStore dir(
        R"([{"name":"ci","sigstore":{"issuer":"https://issuer.example","identity":"ci"}}])");
    const TrustDecision decision = decide(dir.load(), {candidate("es256.jws")});
    REQUIRE(decision.failure.has_value());
    CHECK(decision.signatures.at(0).reason ==
          "scope fleet has no x509 signer to verify a Notation signature");
}
