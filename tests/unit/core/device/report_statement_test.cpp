// Report statements: the in-toto Statement v1 with the SLSA VSA v1 predicate as the spec names
// its fields, edgeverify's extensions, and the device report.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/report.hpp"
#include "edgeverify/sigstore_bundle.hpp"

using namespace edgeverify;

namespace {

DeviceIdentity make_identity() {
    auto key = generate_ecdsa_p256_key();
    REQUIRE(key.has_value());
    DeviceIdentity identity;
    identity.public_key_pem = key->public_key_pem();
    identity.fingerprint = digest_of(DigestAlgorithm::sha256, key->public_key()->spki_der()).str();
    identity.device_id = "ev-" + identity.fingerprint.substr(7, 20);
    identity.key = std::move(*key);
    return identity;
}

const std::string kManifestHex(64, 'a');
const std::string kTrustHex(64, 'b');

VerificationRecord make_record(bool passed) {
    VerificationRecord record;
    record.reference = "registry.example/app:1.0";
    record.manifest_digest = *Digest::parse("sha256:" + kManifestHex);
    record.admitted = passed;
    record.passed = passed;
    record.trust_store_digest = "sha256:" + kTrustHex;
    record.policy_uri = "file:///etc/edgeverify/trust/policy.json";
    record.time_verified = "2026-11-28T01:50:00Z";
    record.checks = {{"integrity", "pass"}, {"signatures", {{"threshold", 1}}}};
    return record;
}

}  // namespace

TEST_SUITE("device") {
    TEST_CASE("a passing verification statement carries every VSA v1 field") {
        const DeviceIdentity device = make_identity();
        const std::string text = make_verification_statement(device, 17, make_record(true));
        auto parsed = parse_json_strict(text, "statement");
        REQUIRE(parsed.has_value());
        const Json& statement = *parsed;
        CHECK(statement["_type"] == "https://in-toto.io/Statement/v1");
        CHECK(statement["predicateType"] == "https://slsa.dev/verification_summary/v1");
        REQUIRE(statement["subject"].size() == 1);
        CHECK(statement["subject"][0]["name"] == "registry.example/app:1.0");
        CHECK(statement["subject"][0]["digest"]["sha256"] == kManifestHex);
        const Json& predicate = statement["predicate"];
        CHECK(predicate["verifier"]["id"] == "https://edgeverify.dev/verifier/device/" + device.device_id);
        CHECK(predicate["verifier"]["version"]["edgeverify"] == EDGEVERIFY_VERSION);
        CHECK(predicate["timeVerified"] == "2026-11-28T01:50:00Z");
        CHECK(predicate["resourceUri"] == "registry.example/app:1.0");
        CHECK(predicate["policy"]["uri"] == "file:///etc/edgeverify/trust/policy.json");
        CHECK(predicate["policy"]["digest"]["sha256"] == kTrustHex);
        CHECK(predicate["verificationResult"] == "PASSED");
        CHECK(predicate["verifiedLevels"] == Json::array({"SLSA_BUILD_LEVEL_0"}));
        CHECK(predicate["slsaVersion"] == "1.0");
        CHECK_FALSE(predicate.contains("inputAttestations"));
        CHECK(predicate[std::string(kCheckDetailExtension)]["signatures"]["threshold"] == 1);
        const Json& context = predicate[std::string(kReportContextExtension)];
        CHECK(context["deviceId"] == device.device_id);
        CHECK(context["sequence"] == 17);
        CHECK(context["admitted"] == true);
        CHECK(context["trustStoreDigest"] == "sha256:" + kTrustHex);
        CHECK_FALSE(context.contains("indexDigest"));
        // What the Sigstore code reads from any in-toto statement agrees.
        auto subjects = intoto_subject_digests(text, "statement");
        REQUIRE(subjects.has_value());
        CHECK(subjects->at(0).hex() == kManifestHex);
    }

    TEST_CASE(
        "a failed verification says FAILED in both result and levels; optional fields appear when set") {
        VerificationRecord record = make_record(false);
        record.index_digest = *Digest::parse("sha256:" + std::string(64, 'c'));
        record.input_attestations.push_back(
            {"registry.example/app:sha256-aaaa.sig", *Digest::parse("sha256:" + std::string(64, 'd'))});
        auto parsed = parse_json_strict(make_verification_statement(make_identity(), 1, record), "statement");
        REQUIRE(parsed.has_value());
        const Json& predicate = (*parsed)["predicate"];
        CHECK(predicate["verificationResult"] == "FAILED");
        CHECK(predicate["verifiedLevels"] == Json::array({"FAILED"}));
        CHECK(predicate[std::string(kReportContextExtension)]["admitted"] == false);
        CHECK(predicate[std::string(kReportContextExtension)]["indexDigest"] ==
              "sha256:" + std::string(64, 'c'));
        REQUIRE(predicate["inputAttestations"].size() == 1);
        CHECK(predicate["inputAttestations"][0]["uri"] == "registry.example/app:sha256-aaaa.sig");
        CHECK(predicate["inputAttestations"][0]["digest"]["sha256"] == std::string(64, 'd'));
    }

    TEST_CASE("check detail with invalid UTF-8 (a hostile archive path) still makes a statement") {
        VerificationRecord record = make_record(false);
        record.checks = {{"path", std::string("bad\xff\xfe")}};
        const std::string text = make_verification_statement(make_identity(), 2, record);
        CHECK(parse_json_strict(text, "statement").has_value());
    }

    TEST_CASE("the device report names the device, its images, alarms, boot id and sequence") {
        const DeviceIdentity device = make_identity();
        DeviceReport report;
        report.agent_version = "0.4.0";
        report.trust_store_digest = "sha256:" + kTrustHex;
        report.boot_id = "0b5c1c5e-7f3a-4f53-9a8e-1d2c3b4a5f60";
        report.time = "2026-11-28T02:00:00Z";
        report.images.push_back({"registry.example/app:1.0", *Digest::parse("sha256:" + kManifestHex),
                                 "admitted", "2026-11-28T01:50:00Z", "sha256:" + kTrustHex});
        report.images.push_back({"docker.io/library/busybox:latest",
                                 *Digest::parse("sha256:" + std::string(64, 'e')), "not-admitted", "", ""});
        report.alarms.push_back({"image-not-admitted", "containerd holds an image the agent never admitted",
                                 *Digest::parse("sha256:" + std::string(64, 'e'))});
        auto parsed = parse_json_strict(make_device_report_statement(device, 99, report), "device report");
        REQUIRE(parsed.has_value());
        const Json& statement = *parsed;
        CHECK(statement["_type"] == "https://in-toto.io/Statement/v1");
        CHECK(statement["predicateType"] == "https://edgeverify.dev/device-report/v1");
        CHECK(statement["subject"][0]["name"] == device.device_id);
        CHECK("sha256:" + statement["subject"][0]["digest"]["sha256"].get<std::string>() ==
              device.fingerprint);
        const Json& predicate = statement["predicate"];
        CHECK(predicate["deviceId"] == device.device_id);
        CHECK(predicate["sequence"] == 99);
        CHECK(predicate["agentVersion"] == "0.4.0");
        CHECK(predicate["bootId"] == report.boot_id);
        CHECK(predicate["time"] == "2026-11-28T02:00:00Z");
        REQUIRE(predicate["images"].size() == 2);
        CHECK(predicate["images"][0]["verdict"] == "admitted");
        CHECK(predicate["images"][0]["verifiedAt"] == "2026-11-28T01:50:00Z");
        CHECK_FALSE(predicate["images"][1].contains("verifiedAt"));
        REQUIRE(predicate["alarms"].size() == 1);
        CHECK(predicate["alarms"][0]["kind"] == "image-not-admitted");
        CHECK(predicate["alarms"][0]["digest"] == "sha256:" + std::string(64, 'e'));
    }

    TEST_CASE("boot id and time have the documented shapes") {
        auto boot_id = read_boot_id();
        REQUIRE_MESSAGE(boot_id.has_value(), boot_id.error().message);
        CHECK(boot_id->size() == 36);
        const std::string now = rfc3339_utc_now();
        CHECK(now.size() == 20);
        CHECK(now[10] == 'T');
        CHECK(now.back() == 'Z');
    }
}

TEST_SUITE("device") {
    TEST_CASE("the enrollment statement names the device and verifies with the key it carries") {
        const DeviceIdentity device = make_identity();
        const std::string statement = make_enrollment_statement(device, "2026-11-28T02:00:00Z");
        auto envelope = sign_dsse_envelope(device, kInTotoPayloadType, statement);
        REQUIRE(envelope.has_value());
        auto parsed = parse_json_strict(statement, "enrollment");
        REQUIRE(parsed.has_value());
        CHECK((*parsed)["predicateType"] == "https://edgeverify.dev/device-enrollment/v1");
        CHECK((*parsed)["predicate"]["fingerprint"] == device.fingerprint);
        auto carried =
            parse_public_key_pem((*parsed)["predicate"]["publicKey"].get<std::string>(), "carried");
        REQUIRE(carried.has_value());
        auto payload = verify_dsse_envelope(*carried, *envelope);
        REQUIRE(payload.has_value());
        CHECK(*payload == statement);
    }
}
