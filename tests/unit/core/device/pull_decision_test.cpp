// decide_pull: the containerd verifier's answer for each kind of stored verdict and descriptor.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "edgeverify/verdict_store.hpp"

using namespace edgeverify;
namespace fs = std::filesystem;

namespace {
const std::string kTrust = "sha256:" + std::string(64, '1');
const std::string kIndexType = "application/vnd.oci.image.index.v1+json";

struct TempState {
    StateDirectory state;
    TempState() {
        std::string pattern = (fs::temp_directory_path() / "ev-pull-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        state.root = pattern;
        REQUIRE(prepare_state_directory(state));
    }
    ~TempState() { fs::remove_all(state.root); }
};

Digest digest_of(char c) { return *Digest::parse("sha256:" + std::string(64, c)); }

// What containerd writes on stdin: json.Encoder output with its trailing newline.
std::string descriptor(const Digest& d, const std::string& media_type = kIndexType) {
    return R"({"mediaType":")" + media_type + R"(","digest":")" + d.str() + R"(","size":1609})" + "\n";
}

StoredVerdict verdict_for(const Digest& d, bool passed = true, const std::string& mode = "enforce") {
    StoredVerdict v;
    v.digest = d;
    v.role = "index";
    v.reference = "registry.example.com/fleet/app:1.0";
    v.containerd_name = v.reference;
    v.scope = "fleet";
    v.mode = mode;
    v.passed = passed;
    v.trust_store_digest = kTrust;
    v.verified_at = "2026-11-28T01:00:00Z";
    v.agent_version = "0.1.0";
    return v;
}

void check_denied(const PullDecision& decision, const std::string& part) {
    CAPTURE(decision.reason);
    CHECK_FALSE(decision.allowed);
    CHECK(decision.reason.find(part) != std::string::npos);
    CHECK(decision.reason.find('\n') == std::string::npos);
    CHECK(decision.reason.size() <= 1024);
}
}  // namespace

TEST_SUITE("pull_decision") {
    TEST_CASE("a passed verdict under the current trust store allows") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'))));
        const PullDecision decision = decide_pull(t.state, kTrust, digest_of('a'), descriptor(digest_of('a')));
        CAPTURE(decision.reason);
        CHECK(decision.allowed);
        CHECK(decision.reason.find("registry.example.com/fleet/app:1.0") != std::string::npos);
    }

    TEST_CASE("a verdict made under another trust store denies and says so") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'))));
        const std::string now = "sha256:" + std::string(64, '2');
        check_denied(decide_pull(t.state, now, digest_of('a'), descriptor(digest_of('a'))), "trust store");
        check_denied(decide_pull(t.state, now, digest_of('a'), descriptor(digest_of('a'))), "verified again");
    }

    TEST_CASE("an audit-mode admission allows with audit in the reason") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'), false, "audit")));
        const PullDecision decision = decide_pull(t.state, kTrust, digest_of('a'), descriptor(digest_of('a')));
        CHECK(decision.allowed);
        CHECK(decision.reason.find("audit") != std::string::npos);
    }

    TEST_CASE("a failed enforce verdict denies") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'), false, "enforce")));
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), descriptor(digest_of('a'))), "failed verification");
    }

    TEST_CASE("a digest without a verdict denies") {
        TempState t;
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), descriptor(digest_of('a'))), "never admitted");
    }

    TEST_CASE("a descriptor naming another digest denies") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'))));
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), descriptor(digest_of('b'))), "not -digest");
    }

    TEST_CASE("a descriptor that is not an image manifest or index denies") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'))));
        check_denied(decide_pull(t.state, kTrust, digest_of('a'),
                                 descriptor(digest_of('a'), "application/vnd.oci.image.layer.v1.tar+gzip")),
                     "not an image manifest or index");
    }

    TEST_CASE("bad descriptor JSON denies") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'))));
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), "{\"digest\":"), "not valid JSON");
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), ""), "not valid JSON");
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), "[]"), "not a JSON object");
    }

    TEST_CASE("a corrupt verdict file denies, naming the problem") {
        TempState t;
        REQUIRE(write_file_durably(t.state.verdicts() + "/" + std::string(64, 'a') + ".json", "{\"digest\": 1}"));
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), descriptor(digest_of('a'))), "cannot be read");
    }

    TEST_CASE("an unknown current trust-store digest denies") {
        TempState t;
        REQUIRE(write_verdict(t.state, verdict_for(digest_of('a'))));
        check_denied(decide_pull(t.state, "", digest_of('a'), descriptor(digest_of('a'))), "trust-store digest");
    }

    TEST_CASE("the reason stays one bounded line even with a hostile reference") {
        TempState t;
        StoredVerdict v = verdict_for(digest_of('a'));
        v.reference = std::string(3000, 'r') + "\nsecond line";
        v.trust_store_digest = "sha256:" + std::string(64, '9');
        REQUIRE(write_verdict(t.state, v));
        check_denied(decide_pull(t.state, kTrust, digest_of('a'), descriptor(digest_of('a'))), "denied");
    }
}
