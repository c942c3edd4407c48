// Sigstore bundle parsing (FORMATS.md B.1/B.2): what a valid bundle yields, and every refusal
// rule with its code and the JSON path it names.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "edgeverify/sigstore_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;
using sigstore_test::check_error;
using sigstore_test::valid_bundle;

namespace {

Expected<SigstoreBundle> parse_mutated(const std::function<void(Json&)>& mutate) {
    Json bundle = valid_bundle();
    mutate(bundle);
    return parse_sigstore_bundle(bundle.dump(), "b.json");
}

Json& material(Json& b) {
    return b["verificationMaterial"];
}
Json& entry(Json& b) {
    return b["verificationMaterial"]["tlogEntries"][0];
}

struct Refusal {
    const char* rule;
    std::function<void(Json&)> mutate;
    const char* fragment;
};

}  // namespace

TEST_SUITE("sigstore") {
    TEST_CASE("bundle parse: a v0.3 key DSSE bundle gives every field") {
        auto bundle = parse_sigstore_bundle(valid_bundle().dump(), "b.json");
        REQUIRE(bundle);
        CHECK(bundle->media_type == "application/vnd.dev.sigstore.bundle.v0.3+json");
        CHECK(bundle->minor_version == 3);
        CHECK(bundle->material == BundleMaterial::public_key);
        CHECK(bundle->public_key_hint == "key-1");
        CHECK(bundle->certificates.empty());
        CHECK(bundle->rfc3161_timestamps == 1);
        REQUIRE(bundle->tlog_entries.size() == 1);
        const BundleTlogEntry& e = bundle->tlog_entries[0];
        CHECK(e.kind == "dsse");
        CHECK(e.version == "0.0.1");
        CHECK(e.has_inclusion_promise);
        CHECK(e.has_inclusion_proof);
        CHECK(e.entry.body == R"({"kind":"dsse"})");
        CHECK(e.entry.log_index == 42);
        CHECK(e.entry.integrated_time == 1740770291);
        CHECK(e.entry.log_id.size() == 32);
        CHECK(e.entry.signed_entry_timestamp == "hello");
        CHECK_FALSE(bundle->message_signature);
        REQUIRE(bundle->dsse);
        CHECK(bundle->dsse->payload == "hello");
        CHECK(bundle->dsse->payload_type == "application/vnd.in-toto+json");
        CHECK(bundle->dsse->signature == "hello");
        CHECK(bundle->dsse->keyid == "key-1");
    }

    TEST_CASE("bundle parse: every supported media type and its version") {
        const std::vector<std::pair<std::string, int>> types = {
            {"application/vnd.dev.sigstore.bundle+json;version=0.1", 1},
            {"application/vnd.dev.sigstore.bundle+json;version=0.2", 2},
            {"application/vnd.dev.sigstore.bundle+json;version=0.3", 3},
            {"application/vnd.dev.sigstore.bundle.v0.3+json", 3},
        };
        for (const auto& [type, minor] : types) {
            CAPTURE(type);
            auto bundle = parse_mutated([&](Json& b) { b["mediaType"] = type; });
            REQUIRE(bundle);
            CHECK(bundle->minor_version == minor);
        }
    }

    TEST_CASE("bundle parse: proto3 defaults and int64 spellings") {
        auto bundle = parse_mutated([](Json& b) {
            entry(b).erase("logIndex");               // proto3 omits 0
            entry(b)["integratedTime"] = 1740770291;  // protobuf JSON parsers accept numbers too
            entry(b)["inclusionProof"].erase("hashes");
            material(b).erase("timestampVerificationData");
            material(b)["publicKey"].erase("hint");
            b["dsseEnvelope"]["signatures"][0].erase("keyid");
            b["dsseEnvelope"]["signatures"][0]["keyid"] = nullptr;  // null is the default too
        });
        REQUIRE(bundle);
        CHECK(bundle->tlog_entries[0].entry.log_index == 0);
        CHECK(bundle->tlog_entries[0].entry.integrated_time == 1740770291);
        CHECK(bundle->rfc3161_timestamps == 0);
        CHECK(bundle->public_key_hint.empty());
        CHECK(bundle->dsse->keyid.empty());
    }

    TEST_CASE("bundle parse: a v0.1 inclusion proof may lack a checkpoint") {
        auto bundle = parse_mutated([](Json& b) {
            b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1";
            entry(b)["inclusionProof"].erase("checkpoint");
        });
        REQUIRE(bundle);
        CHECK(bundle->tlog_entries[0].has_inclusion_proof);
    }

    TEST_CASE("bundle parse: a message signature bundle with a certificate chain (v0.2)") {
        auto bundle = parse_mutated([](Json& b) {
            b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.2";
            material(b).erase("publicKey");
            material(b)["x509CertificateChain"] = {
                {"certificates", Json::array({{{"rawBytes", "TEVBRg=="}}, {{"rawBytes", "Q0E="}}})}};
            b.erase("dsseEnvelope");
            b["messageSignature"] = {{"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", "ZGlnZXN0"}}},
                                     {"signature", "c2ln"}};
        });
        REQUIRE(bundle);
        CHECK(bundle->material == BundleMaterial::certificate_chain);
        CHECK(bundle->certificates == std::vector<std::string>{"LEAF", "CA"});
        REQUIRE(bundle->message_signature);
        CHECK(bundle->message_signature->algorithm == "SHA2_256");
        CHECK(bundle->message_signature->digest == "digest");
        CHECK(bundle->message_signature->signature == "sig");
        CHECK_FALSE(bundle->dsse);
    }

    TEST_CASE("bundle parse: a single certificate (v0.3) and no tlog entries") {
        auto bundle = parse_mutated([](Json& b) {
            material(b).erase("publicKey");
            material(b)["certificate"] = {{"rawBytes", "TEVBRg=="}};
            material(b)["tlogEntries"] = Json::array();
        });
        REQUIRE(bundle);
        CHECK(bundle->material == BundleMaterial::certificate);
        CHECK(bundle->certificates == std::vector<std::string>{"LEAF"});
        CHECK(bundle->tlog_entries.empty());
    }

    TEST_CASE("bundle parse: refusals name the rule and the JSON path") {
        const std::vector<Refusal> refusals = {
            {"old-style v0.4",
             [](Json& b) { b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.4"; },
             "b.json: mediaType: unsupported bundle media type"},
            {"new-style v0.4",
             [](Json& b) { b["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.4+json"; },
             "unsupported bundle media type \"application/vnd.dev.sigstore.bundle.v0.4+json\""},
            {"other media type", [](Json& b) { b["mediaType"] = "application/json"; },
             "unsupported bundle media type"},
            {"missing media type", [](Json& b) { b.erase("mediaType"); },
             "b.json: mediaType: required member is missing"},
            {"media type not a string", [](Json& b) { b["mediaType"] = 3; }, "mediaType: expected a string"},
            {"unknown top-level member", [](Json& b) { b["extra"] = 1; }, "b.json: unknown member \"extra\""},
            {"unknown nested member", [](Json& b) { entry(b)["logId"]["extra"] = 1; },
             "verificationMaterial.tlogEntries[0].logId: unknown member \"extra\""},
            {"missing material", [](Json& b) { b.erase("verificationMaterial"); },
             "verificationMaterial: required member is missing"},
            {"no key material", [](Json& b) { material(b).erase("publicKey"); },
             "verificationMaterial: one of publicKey, x509CertificateChain, certificate is required"},
            {"two key materials",
             [](Json& b) {
                 material(b)["certificate"] = {{"rawBytes", "TEVBRg=="}};
             },
             "only one of publicKey, x509CertificateChain, certificate"},
            {"empty certificate chain",
             [](Json& b) {
                 b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.2";
                 material(b).erase("publicKey");
                 material(b)["x509CertificateChain"] = {{"certificates", Json::array()}};
             },
             "verificationMaterial.x509CertificateChain.certificates: empty certificate chain"},
            {"chain in v0.3",
             [](Json& b) {
                 material(b).erase("publicKey");
                 material(b)["x509CertificateChain"] = {
                     {"certificates", Json::array({{{"rawBytes", "TEVBRg=="}}})}};
             },
             "x509CertificateChain: not allowed in a v0.3 bundle"},
            {"empty certificate",
             [](Json& b) {
                 material(b).erase("publicKey");
                 material(b)["certificate"] = {{"rawBytes", ""}};
             },
             "verificationMaterial.certificate.rawBytes: must not be empty"},
            {"bad base64 certificate",
             [](Json& b) {
                 material(b).erase("publicKey");
                 material(b)["certificate"] = {{"rawBytes", "TEVBRg"}};
             },
             "verificationMaterial.certificate.rawBytes: invalid base64"},
            {"bad base64 signature", [](Json& b) { b["dsseEnvelope"]["signatures"][0]["sig"] = "!!!!"; },
             "dsseEnvelope.signatures[0].sig: invalid base64"},
            {"bad base64 body", [](Json& b) { entry(b)["canonicalizedBody"] = "e30"; },
             "tlogEntries[0].canonicalizedBody: invalid base64"},
            {"bad base64 SET", [](Json& b) { entry(b)["inclusionPromise"]["signedEntryTimestamp"] = "a b="; },
             "inclusionPromise.signedEntryTimestamp: invalid base64"},
            {"bad base64 proof hash", [](Json& b) { entry(b)["inclusionProof"]["hashes"][0] = "x"; },
             "inclusionProof.hashes[0]: invalid base64"},
            {"bad base64 timestamp",
             [](Json& b) {
                 material(b)["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"] = "?";
             },
             "timestampVerificationData.rfc3161Timestamps[0].signedTimestamp: invalid base64"},
            {"negative log index (string)", [](Json& b) { entry(b)["logIndex"] = "-1"; },
             "tlogEntries[0].logIndex: must not be negative"},
            {"negative log index (number)", [](Json& b) { entry(b)["logIndex"] = -1; },
             "tlogEntries[0].logIndex: must not be negative"},
            {"int64 not decimal", [](Json& b) { entry(b)["integratedTime"] = "12a"; },
             "tlogEntries[0].integratedTime: expected a decimal int64 string"},
            {"int64 fraction", [](Json& b) { entry(b)["integratedTime"] = 1.5; },
             "integratedTime: expected an int64"},
            {"int64 overflow",
             [](Json& b) { entry(b)["inclusionProof"]["treeSize"] = "9223372036854775808"; },
             "inclusionProof.treeSize: out of the int64 range"},
            {"missing log id", [](Json& b) { entry(b).erase("logId"); },
             "tlogEntries[0].logId: required member is missing"},
            {"missing kind version", [](Json& b) { entry(b).erase("kindVersion"); },
             "tlogEntries[0].kindVersion: required"},
            {"empty kind", [](Json& b) { entry(b)["kindVersion"]["kind"] = ""; },
             "kindVersion.kind: must not be empty"},
            {"missing body", [](Json& b) { entry(b).erase("canonicalizedBody"); },
             "canonicalizedBody: required member"},
            {"v0.2 entry without proof",
             [](Json& b) {
                 b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.2";
                 entry(b).erase("inclusionProof");
             },
             "tlogEntries[0]: inclusionProof is required in a v0.2+ bundle"},
            {"v0.3 entry without proof", [](Json& b) { entry(b).erase("inclusionProof"); },
             "inclusionProof is required in a v0.2+ bundle"},
            {"v0.1 entry without promise",
             [](Json& b) {
                 b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1";
                 entry(b).erase("inclusionPromise");
             },
             "tlogEntries[0]: inclusionPromise is required in a v0.1 bundle"},
            {"proof without checkpoint", [](Json& b) { entry(b)["inclusionProof"].erase("checkpoint"); },
             "inclusionProof.checkpoint: required member is missing"},
            {"v0.2 proof without checkpoint",
             [](Json& b) {
                 b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.2";
                 entry(b)["inclusionProof"].erase("checkpoint");
             },
             "inclusionProof.checkpoint: required member is missing"},
            {"checkpoint without envelope", [](Json& b) { entry(b)["inclusionProof"]["checkpoint"].erase("envelope"); },
             "inclusionProof.checkpoint.envelope: required member is missing"},
            {"proof without root hash", [](Json& b) { entry(b)["inclusionProof"].erase("rootHash"); },
             "inclusionProof.rootHash: required member is missing"},
            {"tlog entries not an array", [](Json& b) { material(b)["tlogEntries"] = Json::object(); },
             "verificationMaterial.tlogEntries: expected an array"},
            {"no content", [](Json& b) { b.erase("dsseEnvelope"); },
             "one of messageSignature, dsseEnvelope is required"},
            {"both contents",
             [](Json& b) {
                 b["messageSignature"] = {{"signature", "c2ln"}};
             },
             "only one of messageSignature, dsseEnvelope may be set"},
            {"message without signature",
             [](Json& b) {
                 b.erase("dsseEnvelope");
                 b["messageSignature"] = {
                     {"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", "ZGlnZXN0"}}}};
             },
             "messageSignature.signature: required member is missing"},
            {"unknown digest algorithm",
             [](Json& b) {
                 b.erase("dsseEnvelope");
                 b["messageSignature"] = {{"messageDigest", {{"algorithm", "MD5"}, {"digest", "ZGlnZXN0"}}},
                                          {"signature", "c2ln"}};
             },
             "messageSignature.messageDigest.algorithm: unknown hash algorithm \"MD5\""},
            {"DSSE without signatures", [](Json& b) { b["dsseEnvelope"]["signatures"] = Json::array(); },
             "dsseEnvelope.signatures: exactly one signature is required, found 0"},
            {"DSSE with two signatures",
             [](Json& b) {
                 b["dsseEnvelope"]["signatures"].push_back(Json{{"sig", "c2ln"}});
             },
             "exactly one signature is required, found 2"},
            {"DSSE without payload type", [](Json& b) { b["dsseEnvelope"].erase("payloadType"); },
             "dsseEnvelope.payloadType: required member is missing"},
            {"DSSE without payload", [](Json& b) { b["dsseEnvelope"].erase("payload"); },
             "dsseEnvelope.payload: required member is missing"},
            {"DSSE signature without sig", [](Json& b) { b["dsseEnvelope"]["signatures"][0].erase("sig"); },
             "dsseEnvelope.signatures[0].sig: required member is missing"},
            {"hint differs from keyid",
             [](Json& b) { b["dsseEnvelope"]["signatures"][0]["keyid"] = "key-2"; },
             "dsseEnvelope.signatures[0].keyid: \"key-2\" differs from verificationMaterial.publicKey.hint "
             "\"key-1\""},
            {"timestamp data member", [](Json& b) { material(b)["timestampVerificationData"]["other"] = 1; },
             "timestampVerificationData: unknown member \"other\""},
            {"root not an object", [](Json& b) { b = Json::array(); },
             "b.json: expected an object, got an array"},
        };
        for (const Refusal& refusal : refusals) {
            CAPTURE(refusal.rule);
            check_error(parse_mutated(refusal.mutate), Errc::schema_violation, refusal.fragment);
        }
    }

    TEST_CASE("bundle parse: malformed JSON and duplicate keys are JSON errors") {
        check_error(parse_sigstore_bundle("{\"mediaType\":", "b.json"), Errc::json_malformed, "b.json");
        check_error(parse_sigstore_bundle(R"({"mediaType":"a","mediaType":"b"})", "b.json"),
                    Errc::json_duplicate_key, "b.json");
    }
}
