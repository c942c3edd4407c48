// The logged Rekor entry body must name the same signature, key and signed digest as the
// signature being verified: one case per kind, one per disagreement, one per malformed shape.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"

using namespace edgeverify;

namespace {

struct BodyFixture {
    std::string pem;
    RekorBinding binding;
    BodyFixture() {
        auto key = generate_ecdsa_p256_key();
        REQUIRE(key);
        pem = key->public_key_pem();
        auto public_key = key->public_key();
        REQUIRE(public_key);
        binding.signature = "raw signature bytes";
        binding.public_key_der = public_key->spki_der();
        binding.signed_bytes_digest = digest_of(DigestAlgorithm::sha256, "the signed payload");
        binding.envelope_payload_digest = digest_of(DigestAlgorithm::sha256, "the DSSE payload");
    }
    Json hash(const std::optional<Digest>& digest) const {
        return {{"algorithm", "sha256"}, {"value", digest->hex()}};
    }
    Json hashedrekord(const std::string& kind = "hashedrekord") const {
        return {{"apiVersion", "0.0.1"},
                {"kind", kind},
                {"spec",
                 {{"data", {{"hash", hash(binding.signed_bytes_digest)}}},
                  {"signature",
                   {{"content", base64_encode(binding.signature)},
                    {"publicKey", {{"content", base64_encode(pem)}}}}}}}};
    }
    Json dsse() const {
        return {{"apiVersion", "0.0.1"},
                {"kind", "dsse"},
                {"spec",
                 {{"envelopeHash", hash(digest_of(DigestAlgorithm::sha256, "{}"))},
                  {"payloadHash", hash(binding.envelope_payload_digest)},
                  {"signatures", Json::array({{{"signature", base64_encode(binding.signature)},
                                               {"verifier", base64_encode(pem)}}})}}}};
    }
    Json intoto_v1() const {
        return {{"apiVersion", "0.0.1"},
                {"kind", "intoto"},
                {"spec",
                 {{"content",
                   {{"hash", hash(digest_of(DigestAlgorithm::sha256, "{}"))},
                    {"payloadHash", hash(binding.envelope_payload_digest)}}},
                  {"publicKey", base64_encode(pem)}}}};
    }
    Json intoto_v2() const {
        return {{"apiVersion", "0.0.2"},
                {"kind", "intoto"},
                {"spec",
                 {{"content",
                   {{"envelope",
                     {{"payloadType", "application/vnd.in-toto+json"},
                      {"signatures", Json::array({{{"sig", base64_encode(base64_encode(binding.signature))},
                                                   {"publicKey", base64_encode(pem)}}})}}},
                    {"hash", hash(digest_of(DigestAlgorithm::sha256, "{}"))},
                    {"payloadHash", hash(binding.envelope_payload_digest)}}}}}};
    }
};

void check_refused(const Json& body, const RekorBinding& binding, Errc code, const std::string& fragment) {
    const Status status = check_rekor_body(body.dump(), binding, "signature-1");
    REQUIRE_FALSE(status);
    CHECK(status.error().code == code);
    CHECK(status.error().message.find("signature-1") != std::string::npos);
    CHECK(status.error().message.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("rekor body of every supported kind that names the signature, key and digest is accepted") {
    BodyFixture f;
    CHECK(check_rekor_body(f.hashedrekord().dump(), f.binding, "s"));
    CHECK(check_rekor_body(f.hashedrekord("rekord").dump(), f.binding, "s"));
    CHECK(check_rekor_body(f.dsse().dump(), f.binding, "s"));
    CHECK(check_rekor_body(f.intoto_v1().dump(), f.binding, "s"));
    CHECK(check_rekor_body(f.intoto_v2().dump(), f.binding, "s"));
}

TEST_CASE("rekor hashedrekord body that disagrees is signature_invalid naming the field") {
    BodyFixture f;
    Json body = f.hashedrekord();
    body["spec"]["data"]["hash"]["value"] = digest_of(DigestAlgorithm::sha256, "other").hex();
    check_refused(body, f.binding, Errc::signature_invalid, "spec.data.hash.value");

    body = f.hashedrekord();
    body["spec"]["data"]["hash"]["algorithm"] = "sha512";
    check_refused(body, f.binding, Errc::signature_invalid, "spec.data.hash.algorithm");

    body = f.hashedrekord();
    body["spec"]["signature"]["content"] = base64_encode("another signature");
    check_refused(body, f.binding, Errc::signature_invalid, "spec.signature.content");

    BodyFixture other;  // a different key
    body = f.hashedrekord();
    body["spec"]["signature"]["publicKey"]["content"] = base64_encode(other.pem);
    check_refused(body, f.binding, Errc::signature_invalid, "spec.signature.publicKey.content");

    RekorBinding dsse_binding = f.binding;  // a DSSE signature has no signed-bytes digest
    dsse_binding.signed_bytes_digest.reset();
    check_refused(f.hashedrekord(), dsse_binding, Errc::signature_invalid, "wrong entry kind");
}

TEST_CASE("rekor dsse and intoto bodies that disagree are signature_invalid naming the field") {
    BodyFixture f;
    RekorBinding other = f.binding;
    other.envelope_payload_digest = digest_of(DigestAlgorithm::sha256, "another payload");
    check_refused(f.dsse(), other, Errc::signature_invalid, "spec.payloadHash.value");
    check_refused(f.intoto_v1(), other, Errc::signature_invalid, "spec.content.payloadHash.value");
    check_refused(f.intoto_v2(), other, Errc::signature_invalid, "spec.content.payloadHash.value");

    other = f.binding;
    other.signature = "another signature";
    check_refused(f.dsse(), other, Errc::signature_invalid, "spec.signatures[0].signature");
    check_refused(f.intoto_v2(), other, Errc::signature_invalid, "spec.content.envelope.signatures[0].sig");

    BodyFixture stranger;
    other = f.binding;
    other.public_key_der = stranger.binding.public_key_der;
    check_refused(f.dsse(), other, Errc::signature_invalid, "spec.signatures[0].verifier");
    check_refused(f.intoto_v1(), other, Errc::signature_invalid, "spec.publicKey");
    check_refused(f.intoto_v2(), other, Errc::signature_invalid,
                  "spec.content.envelope.signatures[0].publicKey");

    Json two = f.dsse();
    two["spec"]["signatures"].push_back(two["spec"]["signatures"][0]);
    check_refused(two, f.binding, Errc::signature_invalid, "spec.signatures holds 2 signatures");
}

TEST_CASE("rekor body of an unknown kind or version is refused with the kind named") {
    BodyFixture f;
    Json body = f.hashedrekord();
    body["apiVersion"] = "0.0.3";  // no such hashedrekord (0.0.2, Rekor v2: rekor_v2_body_test.cpp)
    check_refused(body, f.binding, Errc::schema_violation, "entry kind hashedrekord 0.0.3 is not supported");
    body["apiVersion"] = "0.0.2";  // a v1-shaped body under the Rekor v2 version: not its proto
    check_refused(body, f.binding, Errc::schema_violation,
                  "spec.data is not a member of a hashedrekord 0.0.2 entry");
    body = f.hashedrekord("rpm");
    check_refused(body, f.binding, Errc::schema_violation, "entry kind rpm 0.0.1 is not supported");
}

TEST_CASE("rekor body with a missing or mistyped field is a schema_violation naming the path") {
    BodyFixture f;
    check_refused(Json::array(), f.binding, Errc::schema_violation, "the body is not an object");
    Json body = f.hashedrekord();
    body.erase("kind");
    check_refused(body, f.binding, Errc::schema_violation, "kind is missing");
    body = f.hashedrekord();
    body["spec"]["signature"].erase("publicKey");
    check_refused(body, f.binding, Errc::schema_violation, "spec.signature.publicKey is missing");
    body = f.hashedrekord();
    body["spec"]["data"]["hash"]["value"] = 5;
    check_refused(body, f.binding, Errc::schema_violation, "spec.data.hash.value is not a string");
    body = f.hashedrekord();
    body["spec"]["signature"]["content"] = "%%";
    check_refused(body, f.binding, Errc::schema_violation, "spec.signature.content is not valid base64");
    body = f.hashedrekord();
    body["spec"]["signature"]["publicKey"]["content"] = base64_encode("no armor here");
    check_refused(body, f.binding, Errc::schema_violation, "is not base64 of a PEM key or certificate");
    body = f.dsse();
    body["spec"]["signatures"] = Json::object();
    check_refused(body, f.binding, Errc::schema_violation, "spec.signatures is not an array");
    body = f.intoto_v2();
    body["spec"]["content"]["envelope"]["signatures"][0]["sig"] = base64_encode("%%");
    check_refused(body, f.binding, Errc::schema_violation, "is not base64 of a base64 signature");
    const Status malformed = check_rekor_body("{", f.binding, "signature-1");
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().code == Errc::json_malformed);
}
