// Sigstore bundle parsing (FORMATS.md B.1/B.2): what a valid bundle yields, and every refusal
// rule with its code and the JSON path it names.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/sigstore_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;
using sigstore_test::check_error;
using sigstore_test::entry;
using sigstore_test::material;
using sigstore_test::parse_mutated;
using sigstore_test::valid_bundle;

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
        for (const auto& entry : types) {  // no structured binding: clang 14 cannot capture one
            const std::string& type = entry.first;
            const int minor = entry.second;
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

    TEST_CASE("bundle parse: malformed JSON and duplicate keys are JSON errors") {
        check_error(parse_sigstore_bundle("{\"mediaType\":", "b.json"), Errc::json_malformed, "b.json");
        check_error(parse_sigstore_bundle(R"({"mediaType":"a","mediaType":"b"})", "b.json"),
                    Errc::json_duplicate_key, "b.json");
    }
}
