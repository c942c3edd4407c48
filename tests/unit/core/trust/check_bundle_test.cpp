// Key-based Sigstore bundles against an image and the scope's key signers: DSSE and
// messageSignature bindings checked before the key material, hints that only order the search,
// a malformed keyless certificate refused (check_keyless_test.cpp has real ones), each refusal with
// its exact reason.
#include "check_fixture.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

TEST_SUITE("trust") {
    TEST_CASE("a DSSE bundle whose in-toto subject is the image verifies with the signer's key") {
        Fixture f;
        const SignatureCheck check =
            f.check(bundle_candidate(dsse_bundle(f.b, f.statement(f.image.manifest_digest))));
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.kind == "sigstore-bundle");
        CHECK(check.signer == "b");
        CHECK(check.signed_digest == f.image.manifest_digest.str());
        CHECK(check.reason.starts_with("verified with keys/b.pub (ecdsa-p256, DSSE)"));
        CHECK_FALSE(check.transparency_log_verified);
    }

    TEST_CASE("a DSSE bundle over the index the image was selected from is accepted") {
        Fixture f;
        f.image.index_digest = sha256_of("the index");
        const SignatureCheck check =
            f.check(bundle_candidate(dsse_bundle(f.a, f.statement(*f.image.index_digest))));
        CHECK(check.accepted);
        CHECK(check.signed_digest == f.image.index_digest->str());
    }

    TEST_CASE("a DSSE bundle naming another subject digest is refused as not this image") {
        Fixture f;
        const Digest other = sha256_of(kOtherManifest);
        const SignatureCheck check = f.check(bundle_candidate(dsse_bundle(f.a, f.statement(other))));
        CHECK_FALSE(check.accepted);
        CHECK(check.reason == "in-toto subject " + other.str() + ", not this image (manifest " +
                                  f.image.manifest_digest.str() + ")");
    }

    TEST_CASE("a second image's bundle made by the writer is refused for the first image") {
        Fixture f;
        const Digest other = sha256_of(kOtherManifest);
        const std::string bundle =
            make_key_dsse_bundle(f.a, sigstore::kInTotoPayloadType, f.statement(other)).value();
        const SignatureCheck check = f.check(bundle_candidate(Json::parse(bundle)));
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with("in-toto subject " + other.str() + ", not this image"));
    }

    TEST_CASE("a DSSE envelope of another payload type is refused") {
        Fixture f;
        const SignatureCheck check = f.check(
            bundle_candidate(dsse_bundle(f.a, f.statement(f.image.manifest_digest), "application/json")));
        CHECK(check.reason == "DSSE payload type application/json is not application/vnd.in-toto+json");
    }

    TEST_CASE("a tampered DSSE payload still naming the image does not verify") {
        Fixture f;
        Json bundle = dsse_bundle(f.a, f.statement(f.image.manifest_digest));
        std::string tampered = f.statement(f.image.manifest_digest);
        tampered.replace(tampered.find("fleet/app"), 9, "fleet/xyz");
        bundle["dsseEnvelope"]["payload"] = base64_encode(tampered);
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CHECK_FALSE(check.accepted);
        CHECK(check.signed_digest == f.image.manifest_digest.str());
        CHECK(check.reason == "no key signer of scope fleet verifies the signature");
    }

    TEST_CASE("a hint naming a key the store lacks only orders the search: the right key still verifies") {
        Fixture f;
        Json bundle = dsse_bundle(f.a, f.statement(f.image.manifest_digest));
        bundle["verificationMaterial"]["publicKey"]["hint"] = new_key().public_key().value().hint();
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.signer == "a");
        CHECK(check.reason.find("the bundle's key hint names another key") != std::string::npos);
    }

    TEST_CASE("a hint naming a trusted key does not admit a signature made with another key") {
        Fixture f;
        Json bundle = dsse_bundle(new_key(), f.statement(f.image.manifest_digest));
        bundle["verificationMaterial"]["publicKey"]["hint"] = f.a.public_key().value().hint();
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CHECK_FALSE(check.accepted);
        CHECK(check.reason == "no key signer of scope fleet verifies the signature");
    }

    TEST_CASE("a hex sha256(SPKI) hint, as sigstore-js writes it, is accepted as a hint") {
        Fixture f;
        Json bundle = dsse_bundle(f.b, f.statement(f.image.manifest_digest));
        bundle["verificationMaterial"]["publicKey"]["hint"] =
            sha256_of(f.b.public_key().value().spki_der()).hex();
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CHECK(check.accepted);
        CHECK(check.reason.find("hint names another key") == std::string::npos);
    }

    TEST_CASE("a certificate bundle whose certificate is not DER is refused, after its content binding") {
        Fixture f;
        Json bundle = dsse_bundle(f.a, f.statement(f.image.manifest_digest));
        bundle["verificationMaterial"] = {{"certificate", {{"rawBytes", base64_encode("not really DER")}}}};
        SignatureCheck check = f.check(bundle_candidate(bundle));
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason == "keyless (Fulcio certificate) bundle: key-malformed: --bundle test.sigstore.json signing "
                              "certificate: not an X.509 certificate (mbedTLS error -0x2180)");

        bundle["dsseEnvelope"]["payload"] = base64_encode(f.statement(sha256_of(kOtherManifest)));
        check = f.check(bundle_candidate(bundle));
        CHECK(check.reason.find("not this image") != std::string::npos);
    }

    TEST_CASE("a messageSignature over the manifest itself verifies against the manifest digest") {
        Fixture f;
        const SignatureCheck check = f.check(bundle_candidate(message_bundle(f.a, kManifest)));
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.reason.starts_with("verified with keys/a.pub (ecdsa-p256, messageSignature)"));
        CHECK(check.signed_digest == f.image.manifest_digest.str());
    }

    TEST_CASE("a messageSignature over another manifest is refused without an artifact") {
        Fixture f;
        const SignatureCheck check = f.check(bundle_candidate(message_bundle(f.a, kOtherManifest)));
        CHECK(check.reason == "message digest " + sha256_of(kOtherManifest).str() +
                                  " is not this image (manifest " + f.image.manifest_digest.str() +
                                  "), and no detached artifact was given");
    }

    TEST_CASE("a messageSignature over a simple-signing artifact binds the artifact's digest and reference") {
        Fixture f;
        const std::string artifact = f.payload(f.image.manifest_digest);
        SignatureCheck check = f.check(bundle_candidate(message_bundle(f.a, artifact), artifact));
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.signed_reference == "registry.example.com/fleet/app");

        const std::string elsewhere = f.payload(f.image.manifest_digest, "registry.example.com/other/app");
        check = f.check(bundle_candidate(message_bundle(f.a, elsewhere), elsewhere));
        CHECK(check.reason ==
              "signed for repository registry.example.com/other/app, the image is "
              "registry.example.com/fleet/app");
    }

    TEST_CASE("a messageDigest that does not match the artifact is refused") {
        Fixture f;
        const std::string artifact = f.payload(f.image.manifest_digest);
        Json bundle = message_bundle(f.a, artifact);
        bundle["messageSignature"]["messageDigest"]["digest"] =
            base64_encode(raw_bytes(sha256_of("something else")));
        const SignatureCheck check = f.check(bundle_candidate(bundle, artifact));
        CHECK_FALSE(check.accepted);
        CHECK(check.reason == "message digest does not match the artifact");
    }

    TEST_CASE("an artifact that is not a simple-signing payload is refused") {
        Fixture f;
        const std::string artifact = "hello";
        const SignatureCheck check = f.check(bundle_candidate(message_bundle(f.a, artifact), artifact));
        CHECK(check.reason.starts_with("the artifact is not a simple-signing payload: json-"));
    }

    TEST_CASE("a bundle with an unknown media type is refused with the parser's error") {
        Fixture f;
        Json bundle = dsse_bundle(f.a, f.statement(f.image.manifest_digest));
        bundle["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.4+json";
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with("schema-violation: "));
        CHECK(check.reason.find("mediaType") != std::string::npos);
    }

    TEST_CASE("a candidate whose layer media type is not a bundle is refused before parsing") {
        Fixture f;
        SignatureCandidate candidate =
            bundle_candidate(dsse_bundle(f.a, f.statement(f.image.manifest_digest)));
        candidate.media_type = "application/vnd.cncf.notary.signature";
        CHECK(f.check(candidate).reason ==
              "media type application/vnd.cncf.notary.signature is not a Sigstore bundle");
    }

    TEST_CASE("a bundle whose JSON is broken is refused with a json error") {
        Fixture f;
        SignatureCandidate candidate = bundle_candidate(Json::object());
        candidate.payload = "{\"mediaType\":";
        CHECK(f.check(candidate).reason.starts_with("json-"));
    }
}
