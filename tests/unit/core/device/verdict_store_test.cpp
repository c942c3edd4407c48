// Verdict files: JSON round trip, strict parsing (each bad input names its error), the store's
// files under verdicts/sha256/.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "edgeverify/verdict_store.hpp"

using namespace edgeverify;
namespace fs = std::filesystem;

namespace {
struct TempState {
    StateDirectory state;
    TempState() {
        std::string pattern = (fs::temp_directory_path() / "ev-verdicts-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        state.root = pattern;
        REQUIRE(prepare_state_directory(state));
    }
    ~TempState() { fs::remove_all(state.root); }
};

Digest digest_of(char c) { return *Digest::parse("sha256:" + std::string(64, c)); }

StoredVerdict sample(char c = 'a') {
    StoredVerdict v;
    v.digest = digest_of(c);
    v.role = "manifest";
    v.index_digest = digest_of('f');
    v.reference = "registry.example.com/fleet/app:1.0";
    v.containerd_name = "registry.example.com/fleet/app:1.0";
    v.scope = "fleet";
    v.mode = "enforce";
    v.passed = true;
    v.trust_store_digest = "sha256:" + std::string(64, '1');
    v.verified_at = "2026-11-28T01:00:00Z";
    v.agent_version = "0.1.0";
    return v;
}

void check_rejected(const std::string& json, const std::string& part) {
    auto parsed = parse_verdict_json(json, "verdict.json");
    REQUIRE_FALSE(parsed);
    CAPTURE(parsed.error().message);
    CHECK(parsed.error().message.find(part) != std::string::npos);
}

// The sample as JSON with one textual substitution.
std::string sample_json_with(const std::string& from, const std::string& to) {
    std::string json = verdict_to_json(sample());
    const auto at = json.find(from);
    REQUIRE(at != std::string::npos);
    return json.replace(at, from.size(), to);
}
}  // namespace

TEST_SUITE("verdict_store") {
    TEST_CASE("a verdict survives the JSON round trip field for field") {
        const StoredVerdict v = sample();
        auto back = parse_verdict_json(verdict_to_json(v), "v");
        REQUIRE(back);
        CHECK(back->digest == v.digest);
        CHECK(back->role == v.role);
        REQUIRE(back->index_digest);
        CHECK(*back->index_digest == *v.index_digest);
        CHECK(back->reference == v.reference);
        CHECK(back->containerd_name == v.containerd_name);
        CHECK(back->scope == v.scope);
        CHECK(back->mode == v.mode);
        CHECK(back->passed == v.passed);
        CHECK(back->trust_store_digest == v.trust_store_digest);
        CHECK(back->verified_at == v.verified_at);
        CHECK(back->agent_version == v.agent_version);
    }

    TEST_CASE("without an index digest the key is absent and comes back absent") {
        StoredVerdict v = sample();
        v.index_digest.reset();
        CHECK(verdict_to_json(v).find("indexDigest") == std::string::npos);
        auto back = parse_verdict_json(verdict_to_json(v), "v");
        REQUIRE(back);
        CHECK_FALSE(back->index_digest);
    }

    TEST_CASE("strict parsing: each bad verdict is refused with a specific message") {
        check_rejected("not json", "verdict.json");
        check_rejected("[]", "must be a JSON object");
        check_rejected(sample_json_with("\"role\"", "\"extra\": 1,\n  \"role\""), "unknown key \"extra\"");
        check_rejected(sample_json_with("\"passed\": true", "\"passed\": \"yes\""), "\"passed\" must be a boolean");
        check_rejected(sample_json_with("\"role\": \"manifest\"", "\"role\": \"blob\""), "\"role\" must be");
        check_rejected(sample_json_with("\"mode\": \"enforce\"", "\"mode\": \"lax\""), "\"mode\" must be");
        check_rejected(sample_json_with("\"schemaVersion\": 1", "\"schemaVersion\": 2"), "\"schemaVersion\" must be 1");
        check_rejected(sample_json_with("\"reference\"", "\"referenceX\""), "unknown key");
        check_rejected(sample_json_with("\"sha256:aaaa", "\"sha256:AAAA"), "\"digest\"");
        check_rejected(sample_json_with("\"scope\": \"fleet\"", "\"scope\": 7"), "\"scope\" must be a string");
    }

    TEST_CASE("a strict-parse failure carries schema_violation, a syntax error json_malformed") {
        auto bad = parse_verdict_json(sample_json_with("\"passed\": true", "\"passed\": 1"), "v");
        REQUIRE_FALSE(bad);
        CHECK(bad.error().code == Errc::schema_violation);
        auto broken = parse_verdict_json("{", "v");
        REQUIRE_FALSE(broken);
        CHECK(broken.error().code == Errc::json_malformed);
    }

    TEST_CASE("write, read, list and remove through the store") {
        TempState t;
        REQUIRE(write_verdict(t.state, sample('b')));
        REQUIRE(write_verdict(t.state, sample('a')));
        CHECK(fs::exists(t.state.verdicts() + "/" + std::string(64, 'a') + ".json"));
        auto read = read_verdict(t.state, digest_of('a'));
        REQUIRE(read);
        REQUIRE(*read);
        CHECK((*read)->reference == "registry.example.com/fleet/app:1.0");
        auto absent = read_verdict(t.state, digest_of('c'));
        REQUIRE(absent);
        CHECK_FALSE(*absent);
        auto all = list_verdicts(t.state);
        REQUIRE(all);
        REQUIRE(all->size() == 2);
        CHECK((*all)[0].digest == digest_of('a'));  // sorted
        REQUIRE(remove_verdict(t.state, digest_of('a')));
        all = list_verdicts(t.state);
        REQUIRE(all);
        CHECK(all->size() == 1);
    }

    TEST_CASE("a verdict file under another digest's name is refused") {
        TempState t;
        REQUIRE(write_verdict(t.state, sample('a')));
        fs::rename(t.state.verdicts() + "/" + std::string(64, 'a') + ".json",
                   t.state.verdicts() + "/" + std::string(64, 'b') + ".json");
        auto read = read_verdict(t.state, digest_of('b'));
        REQUIRE_FALSE(read);
        CHECK(read.error().message.find("not the digest of its file name") != std::string::npos);
    }

    TEST_CASE("list_verdicts names a corrupt file; a missing store lists nothing") {
        TempState t;
        REQUIRE(write_file_durably(t.state.verdicts() + "/" + std::string(64, 'd') + ".json", "{oops"));
        auto all = list_verdicts(t.state);
        REQUIRE_FALSE(all);
        CHECK(all.error().message.find(std::string(64, 'd')) != std::string::npos);
        const StateDirectory nowhere{t.state.root + "/nothing"};
        auto none = list_verdicts(nowhere);
        REQUIRE(none);
        CHECK(none->empty());
    }
}
