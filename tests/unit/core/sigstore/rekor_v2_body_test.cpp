// Rekor v2 hashedrekord 0.0.2 bodies against the signature they must vouch for (rekor.hpp
// check_rekor_body, src/core/sigstore/rekor_v2_body.cpp): hand-made bodies for each field, and a
// real Rekor v2 entry of the sigstore-conformance set read in place.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;

namespace {

std::string raw_of(const Digest& digest) {
    std::string raw;
    const std::string hex = digest.hex();
    for (std::size_t i = 0; i < hex.size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return raw;
}

struct V2Fixture {
    PublicKey key = generate_ecdsa_p256_key().value().public_key().value();
    PublicKey other = generate_ecdsa_p256_key().value().public_key().value();
    RekorBinding binding;
    Json body;

    V2Fixture() {
        binding.signature = "the signature bytes";
        binding.public_key_der = key.spki_der();
        binding.signed_message_digest = digest_of(DigestAlgorithm::sha256, "the artifact");
        body = {{"apiVersion", "0.0.2"},
                {"kind", "hashedrekord"},
                {"spec",
                 {{"hashedRekordV002",
                   {{"data",
                     {{"algorithm", "SHA2_256"},
                      {"digest", base64_encode(raw_of(*binding.signed_message_digest))}}},
                    {"signature",
                     {{"content", base64_encode(binding.signature)},
                      {"verifier",
                       {{"keyDetails", "PKIX_ECDSA_P256_SHA_256"},
                        {"publicKey", {{"rawBytes", base64_encode(key.spki_der())}}}}}}}}}}}};
    }
    Json& entry() { return body["spec"]["hashedRekordV002"]; }
    Status check() const { return check_rekor_body(body.dump(), binding, "e"); }
};

void check_refusal(const Status& status, Errc code, const std::string& message) {
    REQUIRE_FALSE(status);
    CHECK(std::string(errc_name(status.error().code)) == std::string(errc_name(code)));
    CHECK(status.error().message == message);
}

const std::string kPrefix = "e: Rekor entry body: spec.hashedRekordV002.";

}  // namespace

TEST_SUITE("rekor v2 body") {
    TEST_CASE("a hashedrekord 0.0.2 body naming the signed digest, signature and key binds") {
        V2Fixture f;
        CHECK(f.check());
    }

    TEST_CASE("a hashedrekord 0.0.2 body logging another digest is refused naming both digests") {
        V2Fixture f;
        const Digest other = digest_of(DigestAlgorithm::sha256, "another artifact");
        f.entry()["data"]["digest"] = base64_encode(raw_of(other));
        check_refusal(f.check(), Errc::signature_invalid,
                      kPrefix + "data.digest " + other.str() + " is not the digest of what was signed (" +
                          f.binding.signed_message_digest->str() + ")");
    }

    TEST_CASE("a hashedrekord 0.0.2 body logging another signature, key or algorithm is refused") {
        V2Fixture f;
        f.entry()["signature"]["content"] = base64_encode("another signature");
        check_refusal(f.check(), Errc::signature_invalid,
                      kPrefix + "signature.content is not the signature being verified");
        V2Fixture g;
        g.entry()["signature"]["verifier"]["publicKey"]["rawBytes"] = base64_encode(g.other.spki_der());
        check_refusal(g.check(), Errc::signature_invalid,
                      kPrefix + "signature.verifier.publicKey is not the key being verified");
        V2Fixture h;
        h.entry()["signature"]["verifier"]["keyDetails"] = "PKIX_ED25519";
        check_refusal(h.check(), Errc::signature_invalid,
                      kPrefix +
                          "signature.verifier.keyDetails PKIX_ED25519 does not name the key's algorithm "
                          "(ecdsa-p256)");
        V2Fixture i;
        i.entry()["data"]["algorithm"] = "SHA2_384";
        check_refusal(i.check(), Errc::signature_invalid,
                      kPrefix + "data.algorithm is \"SHA2_384\", the signed content's is SHA2_256");
    }

    TEST_CASE("a hashedrekord 0.0.2 body with a member the proto lacks, or two verifiers, is malformed") {
        V2Fixture f;
        f.entry()["data"]["hash"] = "x";
        check_refusal(f.check(), Errc::schema_violation,
                      kPrefix + "data.hash is not a member of a hashedrekord 0.0.2 entry");
        V2Fixture g;
        g.entry()["signature"]["verifier"]["x509Certificate"] = {{"rawBytes", base64_encode("der")}};
        check_refusal(g.check(), Errc::schema_violation,
                      kPrefix + "signature.verifier needs exactly one of publicKey and x509Certificate");
        V2Fixture h;
        h.entry().erase("signature");
        check_refusal(h.check(), Errc::schema_violation, kPrefix + "signature is missing");
    }

    TEST_CASE("a hashedrekord 0.0.2 body for a signature without a signed-bytes digest is refused") {
        V2Fixture f;
        f.binding.signed_message_digest.reset();
        check_refusal(f.check(), Errc::signature_invalid,
                      kPrefix + "data logs the digest of signed bytes this signature does not have");
    }

    TEST_CASE("the Rekor v2 entry of a sigstore-conformance bundle binds its certificate and signature") {
        const auto set = sigstore_test::vector_set("sigstore-conformance");
        if (set.empty()) return;
        const auto dir = set / "bundle-verify";
        auto bundle = parse_sigstore_bundle(
            sigstore_test::read_all(dir / "rekor2-checkpoint-multiple-cosigs" / "bundle.sigstore.json"), "b");
        REQUIRE(bundle);
        REQUIRE(bundle->message_signature);
        REQUIRE(bundle->tlog_entries.size() == 1);
        RekorBinding binding;
        binding.signature = bundle->message_signature->signature;
        binding.public_key_der = bundle->certificates.front();
        binding.signed_message_digest =
            digest_of(DigestAlgorithm::sha256, sigstore_test::read_all(dir / "a.txt"));
        CHECK(check_rekor_body(bundle->tlog_entries[0].entry.body, binding, "e"));
        binding.signed_message_digest = digest_of(DigestAlgorithm::sha256, "not a.txt");
        CHECK(check_rekor_body(bundle->tlog_entries[0].entry.body, binding, "e").error().code ==
              Errc::signature_invalid);
    }
}
