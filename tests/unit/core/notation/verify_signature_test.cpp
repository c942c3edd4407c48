// Notation verification steps on envelopes signed here (tests/data/notation/generate.sh).
#include <doctest/doctest.h>

#include <filesystem>

#include "unit/core/notation/notation_fixtures.hpp"
#include "edgeverify/notation.hpp"

using namespace edgeverify;
using notation_test::certificate;
using notation_test::kNow;
using notation_test::read_fixture;

namespace {

NotationEnvelope envelope(const std::string& name) {
    auto parsed = parse_jws_envelope(read_fixture(name), name);
    REQUIRE(parsed);
    return std::move(*parsed);
}

struct Setup {
    X509Store roots;
    NotationVerification how;
    Setup() {
        roots.name = "acme";
        roots.certificates.push_back(certificate("root.crt"));
        how.artifact.media_type = "application/vnd.oci.image.manifest.v1+json";
        std::string hex;
        for (int i = 0; i < 32; ++i) hex += "ab";
        how.artifact.digest = *Digest::parse("sha256:" + hex);
        how.artifact.size = 1234;
        how.ca_stores = {&roots};
        how.any_identity = true;
        how.now = kNow;
        how.level = *notation_level("strict");
    }
};

std::string rejection(const Expected<NotationResult>& result) {
    return result ? std::string("accepted") : result.error().message;
}

}  // namespace

TEST_SUITE("notation") {
    TEST_CASE("ES256 and PS384 envelopes chained to the store are accepted at strict") {
        Setup setup;
        for (const char* name : {"es256.jws", "ps384.jws"}) {
            CAPTURE(name);
            auto result = verify_notation_signature(envelope(name), setup.how);
            REQUIRE_MESSAGE(result, rejection(result));
            CHECK(result->steps.size() == 5);
            for (const NotationStep& step : result->steps) CHECK(!step.failed);
        }
    }

    TEST_CASE("integrity: a flipped signature bit, another artifact, a mismatched alg") {
        Setup setup;
        NotationEnvelope tampered = envelope("es256.jws");
        tampered.signature[5] ^= 0x01;
        auto bad_signature = verify_notation_signature(tampered, setup.how);
        REQUIRE(!bad_signature);
        CHECK(bad_signature.error().code == Errc::signature_invalid);
        NotationVerification other = setup.how;
        other.artifact.size = 1235;
        auto mismatch = verify_notation_signature(envelope("es256.jws"), other);
        CHECK(rejection(mismatch).find("content descriptor mismatch") != std::string::npos);
        auto alg = verify_notation_signature(envelope("alg-mismatch.jws"), setup.how);
        CHECK(rejection(alg).find("algorithm ES384 does not match the ecdsa-p256 signing key (ES256)") != std::string::npos);
        // Integrity is enforced even at audit.
        other.level = *notation_level("audit");
        CHECK(!verify_notation_signature(tampered, other));
    }

    TEST_CASE("authenticity: foreign store and identity mismatch reject at strict, are logged at audit") {
        Setup setup;
        X509Store foreign;
        foreign.name = "foreign";
        foreign.certificates.push_back(certificate("foreign-root.crt"));
        NotationVerification how = setup.how;
        how.ca_stores = {&foreign};
        auto untrusted = verify_notation_signature(envelope("es256.jws"), how);
        CHECK(rejection(untrusted).find("notation authenticity: the signature's certificate chain contains no certificate of trust store \"foreign\"") !=
              std::string::npos);
        how = setup.how;
        how.any_identity = false;
        how.identities.push_back(*parse_trusted_identity("x509.subject:C=US,ST=WA,O=Edgeverify Test,CN=someone-else"));
        CHECK(rejection(verify_notation_signature(envelope("es256.jws"), how)).find("matches none of the trusted identities") !=
              std::string::npos);
        how.identities.push_back(*parse_trusted_identity("x509.subject:C=US,ST=WA,O=Edgeverify Test,CN=leaf"));
        CHECK(verify_notation_signature(envelope("es256.jws"), how));
        how.ca_stores = {&foreign};
        how.level = *notation_level("audit");
        auto audited = verify_notation_signature(envelope("es256.jws"), how);
        REQUIRE(audited);
        CHECK(audited->steps[1].name == "authenticity");
        CHECK(audited->steps[1].failed);
        CHECK(audited->steps[1].action == CheckAction::log);
    }

    TEST_CASE("expiry: enforced at strict, logged at permissive") {
        Setup setup;
        CHECK(rejection(verify_notation_signature(envelope("expired.jws"), setup.how)).find("notation expiry") !=
              std::string::npos);
        setup.how.level = *notation_level("permissive");
        auto logged = verify_notation_signature(envelope("expired.jws"), setup.how);
        REQUIRE(logged);
        CHECK(logged->steps[3].name == "expiry");
        CHECK(logged->steps[3].failed);
    }

    TEST_CASE("authentic timestamp: the chain must be valid now without a TSA store") {
        Setup setup;
        setup.how.now = 6000000000;  // year 2160: every certificate has expired
        CHECK(rejection(verify_notation_signature(envelope("es256.jws"), setup.how)).find("notation authenticTimestamp") !=
              std::string::npos);
    }

    TEST_CASE("a TSA store with verifyTimestamp always needs a countersignature") {
        Setup setup;
        setup.how.tsa_store = &setup.roots;
        CHECK(rejection(verify_notation_signature(envelope("es256.jws"), setup.how))
                  .find("requires an RFC 3161 timestamp and the signature has none") != std::string::npos);
        // A countersignature that is not a timestamp token fails the step, naming the structure;
        // at audit the step only logs.
        NotationEnvelope stamped = envelope("es256.jws");
        stamped.timestamp_token = "not a token";
        CHECK(rejection(verify_notation_signature(stamped, setup.how)) ==
              "notation authenticTimestamp: the signature's timestamp countersignature: timestamp token ContentInfo: "
              "not one DER SEQUENCE");
        setup.how.level = *notation_level("audit");
        auto logged = verify_notation_signature(stamped, setup.how);
        REQUIRE(logged.has_value());
        CHECK(logged->steps[2].name == "authenticTimestamp");
        CHECK(logged->steps[2].failed);
    }

    TEST_CASE("revocation from trust/crl: a revoked leaf, and an unknown status without the CRL") {
        Setup setup;
        const auto temp = std::filesystem::temp_directory_path() / "edgeverify-notation-crl-test";
        std::filesystem::remove_all(temp);
        std::filesystem::create_directories(temp);
        std::filesystem::copy_file(notation_test::fixture_path("intermediate.crl"), temp / "intermediate.crl");
        auto crls = load_revocation_lists(temp.string());
        std::filesystem::remove_all(temp);
        REQUIRE(crls);
        setup.how.crls = &*crls;
        CHECK(rejection(verify_notation_signature(envelope("revoked.jws"), setup.how)).find("is revoked by") !=
              std::string::npos);
        CHECK(verify_notation_signature(envelope("crl-pointer.jws"), setup.how));
        std::vector<RevocationList> none;
        setup.how.crls = &none;
        CHECK(rejection(verify_notation_signature(envelope("crl-pointer.jws"), setup.how))
                  .find("notation revocation: certificate \"C=US, ST=WA, L=Seattle, O=Edgeverify Test, CN=leaf-crl\" names a revocation source") !=
              std::string::npos);
        setup.how.level = *notation_level("permissive");
        CHECK(verify_notation_signature(envelope("crl-pointer.jws"), setup.how));
    }

    TEST_CASE("a signature that needs a verification plugin is rejected at every level but skip") {
        Setup setup;
        setup.how.level = *notation_level("audit");
        CHECK(rejection(verify_notation_signature(envelope("plugin.jws"), setup.how)).find("plugins are not supported") !=
              std::string::npos);
        setup.how.level = *notation_level("skip");
        CHECK(verify_notation_signature(envelope("plugin.jws"), setup.how));
    }
}
