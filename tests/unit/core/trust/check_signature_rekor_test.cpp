// Rekor SETs in the trust decision: cosign's dev.sigstore.cosign/bundle annotation and a
// bundle's inclusionPromise, verified with a fake log whose key the store trusts, bound to the
// signature; unknown logs; requireTransparencyLog.
#include "check_fixture.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

// A cosign candidate by `key` for the fixture's image with a SET from `log`.
SignatureCandidate logged_cosign(Fixture& f, const PrivateKey& key, const FakeLog& log) {
    SignatureCandidate c = cosign_candidate(key, f.payload(f.image.manifest_digest));
    const RekorSignedEntry entry = log.entry(hashedrekord_body(c.signature, key, sha256_of(c.payload)));
    c.annotations[std::string(cosign::kBundleAnnotation)] = cosign_set_annotation(entry);
    return c;
}

// A v0.1 messageSignature bundle over the manifest by `key`, logged in `log`.
Json logged_bundle(const PrivateKey& key, const FakeLog& log) {
    Json bundle = message_bundle(key, kManifest);
    bundle["mediaType"] = kBundleV01;
    const std::string signature =
        base64_decode(bundle["messageSignature"]["signature"].get<std::string>(), "").value();
    const RekorSignedEntry entry = log.entry(hashedrekord_body(signature, key, sha256_of(kManifest)));
    bundle["verificationMaterial"]["tlogEntries"] = Json::array({bundle_tlog_entry(entry)});
    return bundle;
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("a cosign signature with a SET from a trusted log records the log and integrated time") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        const SignatureCheck check = f.check(logged_cosign(f, f.a, log));
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.kind == "cosign");
        CHECK(check.transparency_log_verified);
        CHECK(check.transparency_log == "rekor/test.pub");
        CHECK(check.integrated_time == 1700000000);
        CHECK(check.reason ==
              "verified with keys/a.pub (ecdsa-p256); Rekor SET verified with rekor/test.pub, "
              "integrated time 1700000000");
    }

    TEST_CASE("a cosign SET from a log the store does not know refuses the signature") {
        Fixture f;
        FakeLog log, other;
        f.store.rekor_keys.push_back(other.rekor_key());
        const SignatureCheck check = f.check(logged_cosign(f, f.a, log));
        CHECK_FALSE(check.accepted);
        CHECK(check.reason == "verified with keys/a.pub, but Rekor SET is from log " +
                                  hex_bytes(log.rekor_key().log_id) +
                                  ", which the trust store does not know");
    }

    TEST_CASE("a cosign SET whose integrated time was changed does not verify") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        SignatureCandidate c = cosign_candidate(f.a, f.payload(f.image.manifest_digest));
        RekorSignedEntry entry = log.entry(hashedrekord_body(c.signature, f.a, sha256_of(c.payload)));
        entry.integrated_time += 1;
        c.annotations[std::string(cosign::kBundleAnnotation)] = cosign_set_annotation(entry);
        const SignatureCheck check = f.check(c);
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with("verified with keys/a.pub, but Rekor SET: signature-invalid: "));
    }

    TEST_CASE("a cosign SET logging another signature refuses the signature") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        SignatureCandidate c = cosign_candidate(f.a, f.payload(f.image.manifest_digest));
        const std::string other_signature = f.a.sign("another payload").value();
        const RekorSignedEntry entry =
            log.entry(hashedrekord_body(other_signature, f.a, sha256_of(c.payload)));
        c.annotations[std::string(cosign::kBundleAnnotation)] = cosign_set_annotation(entry);
        const SignatureCheck check = f.check(c);
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(
            check.reason.starts_with("verified with keys/a.pub, but Rekor SET does not log this signature: "
                                     "signature-invalid: "));
    }

    TEST_CASE("a cosign SET is not checked when the store holds no Rekor key") {
        Fixture f;
        FakeLog log;
        const SignatureCheck check = f.check(logged_cosign(f, f.a, log));
        CHECK(check.accepted);
        CHECK_FALSE(check.transparency_log_verified);
    }

    TEST_CASE("requireTransparencyLog refuses a signature without a SET and admits one with a verified SET") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        f.scope().require_transparency_log = true;
        SignatureCheck check = f.check(cosign_candidate(f.a, f.payload(f.image.manifest_digest)));
        CHECK_FALSE(check.accepted);
        CHECK(check.signer.empty());
        CHECK(check.reason ==
              "scope fleet requires a verified Rekor entry (SET) and this signature has none "
              "(no dev.sigstore.cosign/bundle annotation)");
        check = f.check(logged_cosign(f, f.a, log));
        CHECK(check.accepted);
        CHECK(check.transparency_log_verified);
    }

    TEST_CASE("a bundle's inclusion promise from a trusted log is verified and bound to the signature") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        const SignatureCheck check = f.check(bundle_candidate(logged_bundle(f.b, log)));
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.signer == "b");
        CHECK(check.transparency_log_verified);
        CHECK(check.integrated_time == 1700000000);
    }

    TEST_CASE("a DSSE bundle logged as a dsse entry is verified") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        const std::string statement = f.statement(f.image.manifest_digest);
        Json bundle = dsse_bundle(f.a, statement);
        bundle["mediaType"] = kBundleV01;
        const std::string signature =
            base64_decode(bundle["dsseEnvelope"]["signatures"][0]["sig"].get<std::string>(), "").value();
        const RekorSignedEntry entry = log.entry(dsse_body(statement, signature, f.a));
        bundle["verificationMaterial"]["tlogEntries"] = Json::array({bundle_tlog_entry(entry, "dsse")});
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK(check.transparency_log_verified);
    }

    TEST_CASE("a bundle SET from an unknown log is ignored, and requireTransparencyLog then refuses") {
        Fixture f;
        FakeLog log, other;
        f.store.rekor_keys.push_back(other.rekor_key());
        const SignatureCandidate candidate = bundle_candidate(logged_bundle(f.a, log));
        SignatureCheck check = f.check(candidate);
        CAPTURE(check.reason);
        CHECK(check.accepted);
        CHECK_FALSE(check.transparency_log_verified);
        const std::string note = "tlog entry 0 is from log " + hex_bytes(log.rekor_key().log_id) +
                                 ", unknown to the trust store: ignored";
        CHECK(check.reason.find(note) != std::string::npos);

        f.scope().require_transparency_log = true;
        check = f.check(candidate);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason ==
              "scope fleet requires a verified Rekor entry (SET) and this signature has none (" + note + ")");
    }

    TEST_CASE("a bundle SET from a trusted log that does not verify refuses the signature") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        Json bundle = logged_bundle(f.a, log);
        bundle["verificationMaterial"]["tlogEntries"][0]["integratedTime"] = "1700000001";
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with("verified with keys/a.pub, but tlog entry 0: signature-invalid: "));
    }

    TEST_CASE("a bundle SET logging another key refuses the signature") {
        Fixture f;
        FakeLog log;
        f.store.rekor_keys.push_back(log.rekor_key());
        Json bundle = message_bundle(f.a, kManifest);
        bundle["mediaType"] = kBundleV01;
        const std::string signature =
            base64_decode(bundle["messageSignature"]["signature"].get<std::string>(), "").value();
        const RekorSignedEntry entry = log.entry(hashedrekord_body(signature, f.b, sha256_of(kManifest)));
        bundle["verificationMaterial"]["tlogEntries"] = Json::array({bundle_tlog_entry(entry)});
        const SignatureCheck check = f.check(bundle_candidate(bundle));
        CAPTURE(check.reason);
        CHECK_FALSE(check.accepted);
        CHECK(check.reason.starts_with(
            "verified with keys/a.pub, but tlog entry 0 does not log this signature: "));
    }
}
