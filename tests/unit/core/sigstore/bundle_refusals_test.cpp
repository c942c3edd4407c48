// Sigstore bundle parsing (FORMATS.md B.1/B.2): one table of refusals, each a mutation of a valid
// bundle with the schema_violation fragment it must produce (rule and JSON path).
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "edgeverify/sigstore_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;
using sigstore_test::check_error;
using sigstore_test::entry;
using sigstore_test::material;
using sigstore_test::parse_mutated;

namespace {

struct Refusal {
    const char* rule;
    std::function<void(Json&)> mutate;
    const char* fragment;
};

}  // namespace

TEST_SUITE("sigstore") {
    TEST_CASE("bundle refusals: every rule names its JSON path") {
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
            {"checkpoint without envelope",
             [](Json& b) { entry(b)["inclusionProof"]["checkpoint"].erase("envelope"); },
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
}
