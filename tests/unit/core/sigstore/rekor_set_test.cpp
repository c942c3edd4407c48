// Rekor signed entry timestamps: cosign's bundle annotation parsed strictly, the RFC 8785
// message a SET signs, and verification with the trusted key of that log id and its window.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/rekor.hpp"

using namespace edgeverify;

namespace {

const std::string kLogIdHex = "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d";

std::string raw_log_id() {
    std::string raw;
    for (std::size_t i = 0; i < kLogIdHex.size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(kLogIdHex.substr(i, 2), nullptr, 16)));
    return raw;
}

std::string raw_sha256(std::string_view bytes) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, bytes).hex();
    std::string raw;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return raw;
}

std::string annotation(const std::string& set, const std::string& payload_members) {
    return R"({"SignedEntryTimestamp":")" + set + R"(","Payload":{)" + payload_members + "}}";
}

const std::string kGoodPayload =
    R"("body":"eyJhIjoxfQ==","integratedTime":1670870899,"logIndex":8949589,"logID":")" + kLogIdHex + "\"";

// A Rekor key made here, and an entry whose SET it signed.
struct SignedFixture {
    PrivateKey signer = generate_ecdsa_p256_key().value();
    std::vector<RekorKey> keys;
    RekorSignedEntry entry;
    SignedFixture() {
        auto public_key = signer.public_key();
        REQUIRE(public_key);
        const std::string log_id = raw_sha256(public_key->spki_der());
        keys.push_back(RekorKey{"rekor/test.pub", std::move(*public_key), log_id, {}, {}, {}});
        entry.body = R"({"a":1})";
        entry.integrated_time = 1000;
        entry.log_index = 7;
        entry.log_id = log_id;
        auto set = signer.sign(rekor_set_message(entry));
        REQUIRE(set);
        entry.signed_entry_timestamp = *set;
    }
};

}  // namespace

TEST_CASE("rekor SET message is RFC 8785 canonical JSON of body, integratedTime, logID, logIndex") {
    RekorSignedEntry entry;
    entry.body = R"({"a":1})";
    entry.integrated_time = 1670870899;
    entry.log_index = 8949589;
    entry.log_id = raw_log_id();
    CHECK(rekor_set_message(entry) == R"({"body":"eyJhIjoxfQ==","integratedTime":1670870899,"logID":")" +
                                          kLogIdHex + R"(","logIndex":8949589})");
}

TEST_CASE("rekor cosign bundle annotation parses into raw body, times and log id") {
    auto entry = parse_cosign_rekor_bundle(annotation("MEUCAQA=", kGoodPayload), "signature-1");
    REQUIRE(entry);
    CHECK(entry->body == R"({"a":1})");
    CHECK(entry->integrated_time == 1670870899);
    CHECK(entry->log_index == 8949589);
    CHECK(entry->log_id == raw_log_id());
    CHECK(entry->signed_entry_timestamp == std::string("\x30\x45\x02\x01\x00", 5));
}

TEST_CASE("rekor cosign bundle annotation refuses every malformed member, naming it") {
    struct Case {
        std::string text, fragment;
        Errc code = Errc::schema_violation;
    };
    const std::string good_rest = R"(,"integratedTime":1,"logIndex":2,"logID":")" + kLogIdHex + "\"";
    const std::vector<Case> cases = {
        {"{", "", Errc::json_malformed},
        {"[]", "not a JSON object"},
        {R"({"Payload":{)" + kGoodPayload + "}}", "SignedEntryTimestamp is missing"},
        {annotation("MEUCAQA=", kGoodPayload).insert(1, R"("extra":1,)"), "unknown member \"extra\""},
        {annotation("not base64!", kGoodPayload), "SignedEntryTimestamp"},
        {annotation("", kGoodPayload), "SignedEntryTimestamp is empty"},
        {R"({"SignedEntryTimestamp":"MEUCAQA="})", "Payload is missing"},
        {R"({"SignedEntryTimestamp":"MEUCAQA=","Payload":[]})", "Payload is not an object"},
        {annotation("MEUCAQA=", kGoodPayload + R"(,"other":1)"), "unknown member \"Payload.other\""},
        {annotation("MEUCAQA=", R"("integratedTime":1,"logIndex":2,"logID":")" + kLogIdHex + "\""),
         "Payload.body is missing"},
        {annotation("MEUCAQA=", R"("body":"%%%")" + good_rest), "Payload.body"},
        {annotation("MEUCAQA=",
                    R"("body":"e30=","integratedTime":"1","logIndex":2,"logID":")" + kLogIdHex + "\""),
         "Payload.integratedTime is not an integer"},
        {annotation("MEUCAQA=",
                    R"("body":"e30=","integratedTime":1.5,"logIndex":2,"logID":")" + kLogIdHex + "\""),
         "Payload.integratedTime is not an integer"},
        {annotation("MEUCAQA=",
                    R"("body":"e30=","integratedTime":1,"logIndex":-2,"logID":")" + kLogIdHex + "\""),
         "Payload.logIndex is negative"},
        {annotation("MEUCAQA=", R"("body":"e30=","integratedTime":1,"logID":")" + kLogIdHex + "\""),
         "Payload.logIndex is missing"},
        {annotation("MEUCAQA=", R"("body":"e30=","integratedTime":1,"logIndex":2,"logID":"c0d2")"),
         "Payload.logID is not 64 hex digits"},
        {annotation("MEUCAQA=", R"("body":"e30=","integratedTime":1,"logIndex":2,"logID":")" +
                                    std::string(64, 'g') + "\""),
         "Payload.logID is not 64 hex digits"},
        {annotation("MEUCAQA=", R"("body":"e30=","integratedTime":1,"logIndex":2,"logID":7)"),
         "Payload.logID is not a string"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto entry = parse_cosign_rekor_bundle(c.text, "signature-1");
        REQUIRE_FALSE(entry);
        CHECK(entry.error().code == c.code);
        CHECK(entry.error().message.find("signature-1") != std::string::npos);
        CHECK(entry.error().message.find(c.fragment) != std::string::npos);
    }
}

TEST_CASE("rekor SET verifies with the key whose log id matches and returns it") {
    SignedFixture f;
    auto used = verify_rekor_set(f.entry, f.keys);
    REQUIRE(used);
    CHECK((*used)->origin == "rekor/test.pub");
}

TEST_CASE("rekor SET from a log no trusted key has is untrusted, naming the hex log id") {
    SignedFixture f;
    f.entry.log_id = raw_log_id();
    auto used = verify_rekor_set(f.entry, f.keys);
    REQUIRE_FALSE(used);
    CHECK(used.error().code == Errc::untrusted);
    CHECK(used.error().message.find(kLogIdHex) != std::string::npos);
}

TEST_CASE("rekor SET that is absent or does not verify is signature_invalid") {
    SignedFixture f;
    RekorSignedEntry unsigned_entry = f.entry;
    unsigned_entry.signed_entry_timestamp.clear();
    auto absent = verify_rekor_set(unsigned_entry, f.keys);
    REQUIRE_FALSE(absent);
    CHECK(absent.error().code == Errc::signature_invalid);
    CHECK(absent.error().message.find("no signed entry timestamp") != std::string::npos);

    RekorSignedEntry moved = f.entry;
    moved.log_index += 1;  // the SET covers the index: any change breaks it
    auto bad = verify_rekor_set(moved, f.keys);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::signature_invalid);
    CHECK(bad.error().message.find("does not verify with rekor/test.pub") != std::string::npos);
}

TEST_CASE("rekor SET validity window is inclusive at both ends and untrusted outside") {
    SignedFixture f;
    f.keys[0].valid_from = 1000;
    f.keys[0].valid_until = 1000;
    CHECK(verify_rekor_set(f.entry, f.keys));

    f.keys[0].valid_from = 1001;
    f.keys[0].valid_until = std::nullopt;
    auto early = verify_rekor_set(f.entry, f.keys);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == Errc::untrusted);
    CHECK(early.error().message.find("before rekor/test.pub became valid") != std::string::npos);

    f.keys[0].valid_from = std::nullopt;
    f.keys[0].valid_until = 999;
    auto late = verify_rekor_set(f.entry, f.keys);
    REQUIRE_FALSE(late);
    CHECK(late.error().code == Errc::untrusted);
    CHECK(late.error().message.find("after rekor/test.pub stopped being valid") != std::string::npos);
}

TEST_CASE("rekor SET uses another trusted copy of the same log key when one window excludes the time") {
    SignedFixture f;
    auto again = f.signer.public_key();
    REQUIRE(again);
    f.keys[0].valid_until = 10;  // e.g. a rotated-out trusted_root entry
    f.keys.push_back(RekorKey{"rekor/again.pub", std::move(*again), f.keys[0].log_id, {}, {}, {}});
    auto used = verify_rekor_set(f.entry, f.keys);
    REQUIRE(used);
    CHECK((*used)->origin == "rekor/again.pub");
}
