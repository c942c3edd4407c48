// The key-based DSSE bundle writer: its JSON shape, and a round trip through the strict parser
// and signature verification over the PAE.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/sigstore_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;

namespace {
const std::string kHex = "732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
}

TEST_SUITE("sigstore") {
    TEST_CASE("bundle writer: round trip parses and the signature verifies over the PAE") {
        auto key = generate_ecdsa_p256_key();
        REQUIRE(key);
        auto public_key = key->public_key();
        REQUIRE(public_key);
        auto digest = Digest::parse("sha256:" + kHex);
        REQUIRE(digest);
        const std::string statement = make_cosign_sign_statement("registry.example/app", *digest);

        auto text = make_key_dsse_bundle(*key, sigstore::kInTotoPayloadType, statement);
        REQUIRE(text);
        auto bundle = parse_sigstore_bundle(*text, "written");
        REQUIRE(bundle);
        CHECK(bundle->media_type == sigstore::kBundleMediaTypeV03);
        CHECK(bundle->minor_version == 3);
        CHECK(bundle->material == BundleMaterial::public_key);
        CHECK(bundle->public_key_hint == public_key->hint());
        CHECK(bundle->tlog_entries.empty());
        REQUIRE(bundle->dsse);
        CHECK(bundle->dsse->payload == statement);
        CHECK(bundle->dsse->payload_type == sigstore::kInTotoPayloadType);
        CHECK(bundle->dsse->keyid.empty());
        CHECK(verify_signature(*public_key, dsse_pae(bundle->dsse->payload_type, bundle->dsse->payload),
                               bundle->dsse->signature));
        // The signature covers the PAE, not the bare payload.
        CHECK_FALSE(verify_signature(*public_key, bundle->dsse->payload, bundle->dsse->signature));

        auto subjects = intoto_subject_digests(bundle->dsse->payload, "payload");
        REQUIRE(subjects);
        REQUIRE(subjects->size() == 1);
        CHECK((*subjects)[0] == *digest);
    }

    TEST_CASE("bundle writer: the JSON has the bundle v0.3 members in order") {
        auto key = generate_ecdsa_p256_key();
        REQUIRE(key);
        auto public_key = key->public_key();
        REQUIRE(public_key);
        auto text = make_key_dsse_bundle(*key, "text/plain", "hello");
        REQUIRE(text);
        const std::string prefix = R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json",)"
                                   R"("verificationMaterial":{"publicKey":{"hint":")" +
                                   public_key->hint() +
                                   R"("},"tlogEntries":[]},"dsseEnvelope":{"payload":"aGVsbG8=",)"
                                   R"("payloadType":"text/plain","signatures":[{"sig":")";
        CHECK(text->substr(0, prefix.size()) == prefix);
        CHECK(text->substr(text->size() - 16) == R"(","keyid":""}]}})");
    }
}
