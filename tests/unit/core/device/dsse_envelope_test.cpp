// DSSE envelopes for reports: the spec's PAE test vector through the signing code, sign/verify
// round trips, and the strict reading the fleet server relies on.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/report.hpp"

using namespace edgeverify;

namespace {

DeviceIdentity make_identity() {
    auto key = generate_ecdsa_p256_key();
    REQUIRE(key.has_value());
    DeviceIdentity identity;
    identity.public_key_pem = key->public_key_pem();
    auto public_key = key->public_key();
    REQUIRE(public_key.has_value());
    identity.fingerprint = digest_of(DigestAlgorithm::sha256, public_key->spki_der()).str();
    identity.device_id = "ev-" + identity.fingerprint.substr(7, 20);
    identity.key = std::move(*key);
    return identity;
}

PublicKey public_key_of(const DeviceIdentity& identity) {
    auto key = parse_public_key_pem(identity.public_key_pem, "device");
    REQUIRE(key.has_value());
    return std::move(*key);
}

std::string b64(std::string_view bytes) {
    return base64_encode(bytes);
}

}  // namespace

TEST_SUITE("device") {
    TEST_CASE("DSSE spec vector: the signature covers exactly the PAE of protocol.md") {
        // https://github.com/secure-systems-lab/dsse/blob/master/protocol.md, "Test vectors".
        const DeviceIdentity device = make_identity();
        auto envelope = sign_dsse_envelope(device, "http://example.com/HelloWorld", "hello world");
        REQUIRE(envelope.has_value());
        auto json = parse_json_strict(*envelope, "envelope");
        REQUIRE(json.has_value());
        CHECK((*json)["payloadType"] == "http://example.com/HelloWorld");
        CHECK((*json)["payload"] == "aGVsbG8gd29ybGQ=");
        REQUIRE((*json)["signatures"].size() == 1);
        CHECK((*json)["signatures"][0]["keyid"] == device.fingerprint);
        auto signature = base64_decode((*json)["signatures"][0]["sig"].get<std::string>(), "sig");
        REQUIRE(signature.has_value());
        const PublicKey key = public_key_of(device);
        CHECK(verify_signature(key, "DSSEv1 29 http://example.com/HelloWorld 11 hello world", *signature));
        CHECK_FALSE(verify_signature(key, "hello world", *signature));
        auto payload = verify_dsse_envelope(key, *envelope, "http://example.com/HelloWorld");
        REQUIRE(payload.has_value());
        CHECK(*payload == "hello world");
    }

    TEST_CASE("sign then verify returns the payload, including an empty one") {
        const DeviceIdentity device = make_identity();
        for (const std::string& payload :
             {std::string(R"({"_type":"https://in-toto.io/Statement/v1"})"), std::string()}) {
            auto envelope = sign_dsse_envelope(device, kInTotoPayloadType, payload);
            REQUIRE(envelope.has_value());
            auto verified = verify_dsse_envelope(public_key_of(device), *envelope);
            REQUIRE_MESSAGE(verified.has_value(), verified.error().message);
            CHECK(*verified == payload);
        }
    }

    TEST_CASE("a tampered payload, a tampered type or another device's key is signature_invalid") {
        const DeviceIdentity device = make_identity();
        const DeviceIdentity other = make_identity();
        auto envelope = sign_dsse_envelope(device, kInTotoPayloadType, "{\"a\":1}");
        REQUIRE(envelope.has_value());
        Json json = *parse_json_strict(*envelope, "envelope");

        Json tampered = json;
        tampered["payload"] = b64("{\"a\":2}");
        auto refused = verify_dsse_envelope(public_key_of(device), tampered.dump());
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().code == Errc::signature_invalid);

        Json retyped = json;
        retyped["payloadType"] = "application/json";
        auto wrong_type = verify_dsse_envelope(public_key_of(device), retyped.dump(), "application/json");
        REQUIRE_FALSE(wrong_type.has_value());
        CHECK(wrong_type.error().code == Errc::signature_invalid);

        auto wrong_key = verify_dsse_envelope(public_key_of(other), *envelope);
        REQUIRE_FALSE(wrong_key.has_value());
        CHECK(wrong_key.error().code == Errc::signature_invalid);
    }

    TEST_CASE("one verifying signature among several is enough; keyids do not decide") {
        const DeviceIdentity device = make_identity();
        const DeviceIdentity other = make_identity();
        auto mine = sign_dsse_envelope(device, kInTotoPayloadType, "x");
        auto theirs = sign_dsse_envelope(other, kInTotoPayloadType, "x");
        REQUIRE((mine.has_value() && theirs.has_value()));
        Json envelope = *parse_json_strict(*theirs, "envelope");
        Json my_signature = (*parse_json_strict(*mine, "envelope"))["signatures"][0];
        my_signature["keyid"] = "misleading";
        envelope["signatures"].push_back(my_signature);
        auto verified = verify_dsse_envelope(public_key_of(device), envelope.dump());
        REQUIRE_MESSAGE(verified.has_value(), verified.error().message);
        CHECK(*verified == "x");
    }

    TEST_CASE("malformed envelopes are refused with the specific error") {
        const DeviceIdentity device = make_identity();
        auto signed_envelope = sign_dsse_envelope(device, kInTotoPayloadType, "x");
        REQUIRE(signed_envelope.has_value());
        const Json good = *parse_json_strict(*signed_envelope, "envelope");
        const std::string sig = good["signatures"][0]["sig"];
        const struct {
            const char* name;
            std::string text;
            Errc code;
        } rows[] = {
            {"not JSON", "{", Errc::json_malformed},
            {"duplicate key",
             R"({"payload":"eA==","payload":"eA==","payloadType":"application/vnd.in-toto+json","signatures":[]})",
             Errc::json_duplicate_key},
            {"array", "[]", Errc::schema_violation},
            {"unknown member",
             [&] {
                 Json j = good;
                 j["extra"] = 1;
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"no payload",
             [&] {
                 Json j = good;
                 j.erase("payload");
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"no payloadType",
             [&] {
                 Json j = good;
                 j.erase("payloadType");
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"other payloadType",
             [&] {
                 Json j = good;
                 j["payloadType"] = "text/plain";
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"payload not base64",
             [&] {
                 Json j = good;
                 j["payload"] = "eA";
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"no signatures",
             [&] {
                 Json j = good;
                 j.erase("signatures");
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"empty signatures",
             [&] {
                 Json j = good;
                 j["signatures"] = Json::array();
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"signature without sig",
             [&] {
                 Json j = good;
                 j["signatures"][0].erase("sig");
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"signature with unknown member",
             [&] {
                 Json j = good;
                 j["signatures"][0]["cert"] = "x";
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"keyid not a string",
             [&] {
                 Json j = good;
                 j["signatures"][0]["keyid"] = 5;
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"sig not base64",
             [&] {
                 Json j = good;
                 j["signatures"][0]["sig"] = "@@";
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"a malformed entry beside a good one",
             [&] {
                 Json j = good;
                 j["signatures"].push_back(Json{{"sig", 1}});
                 return j.dump();
             }(),
             Errc::schema_violation},
            {"too many signatures",
             [&] {
                 Json j = good;
                 j["signatures"] = Json::array();
                 for (std::size_t i = 0; i <= kMaxDsseSignatures; ++i)
                     j["signatures"].push_back(Json{{"sig", sig}});
                 return j.dump();
             }(),
             Errc::limit_exceeded},
        };
        const PublicKey key = public_key_of(device);
        for (const auto& row : rows) {
            CAPTURE(row.name);
            auto result = verify_dsse_envelope(key, row.text);
            REQUIRE_FALSE(result.has_value());
            CHECK(errc_name(result.error().code) == errc_name(row.code));
        }
    }
}
