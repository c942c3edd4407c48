// The `rules` object of a scope: strict parsing, every refusal a config error with its JSON path.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

Expected<RulesPolicy> parse(const std::string& text) {
    auto json = parse_json_strict(text, "test");
    REQUIRE(json);
    return parse_rules_policy(*json, "policy.json", "scopes[0].rules");
}

void check_refused(const std::string& text, const std::string& message) {
    auto parsed = parse(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::config);
    CHECK(parsed.error().message == message);
}

}  // namespace

TEST_SUITE("rules policy") {
    TEST_CASE("every rule and key is read, with its defaults") {
        auto policy = parse(R"({
          "trustedBases": {"digests": ["sha256:)" + std::string(64, 'a') + R"("], "names": ["docker.io/library/debian"],
                           "requireAnnotation": true},
          "registries": {"allowed": ["registry.example.com"], "requireDigestReference": true, "mode": "audit"},
          "freshness": {"maxAgeDays": 90},
          "layers": {"maxCount": 10, "maxTotalBytes": 1000, "maxLayerBytes": 100, "maxTotalUncompressedBytes": 5000,
                     "maxLayerUncompressedBytes": 500},
          "rollback": {},
          "leastPrivilege": {"forbidSetuid": false, "forbiddenPaths": ["/bin/sh", "usr/lib/apt/"]}})");
        REQUIRE(policy);
        REQUIRE(policy->trusted_bases);
        CHECK(policy->trusted_bases->require_annotation);
        CHECK(policy->trusted_bases->mode == RuleMode::enforce);
        CHECK(policy->registries->mode == RuleMode::audit);
        CHECK(policy->freshness->max_age_days == 90);
        CHECK(policy->freshness->max_future_skew_seconds == 300);
        CHECK(policy->layers->max_layer_uncompressed_bytes == 500);
        CHECK(policy->rollback->enabled);
        CHECK_FALSE(policy->least_privilege->forbid_setuid);
        CHECK(policy->least_privilege->forbid_root_user);
        CHECK(policy->least_privilege->forbidden_paths == std::vector<std::string>{"bin/sh", "usr/lib/apt/"});
    }

    TEST_CASE("an empty rules object configures nothing") {
        auto policy = parse("{}");
        REQUIRE(policy);
        CHECK_FALSE(policy->layers);
        CHECK_FALSE(policy->least_privilege);
    }

    TEST_CASE("unknown rules and keys are refused with their path") {
        check_refused(R"({"vulns": {}})", "policy.json: scopes[0].rules.vulns: unknown key");
        check_refused(R"({"layers": {"maxCnt": 3}})", "policy.json: scopes[0].rules.layers.maxCnt: unknown key");
    }

    TEST_CASE("wrong types and values are refused with their path") {
        check_refused(R"({"layers": []})", "policy.json: scopes[0].rules.layers: expected an object, got array");
        check_refused(R"({"layers": {"maxCount": "3"}})",
                      "policy.json: scopes[0].rules.layers.maxCount: expected an integer, got string");
        check_refused(R"({"layers": {"maxCount": -1}})", "policy.json: scopes[0].rules.layers.maxCount: -1 is negative");
        check_refused(R"({"rollback": {"enabled": 1}})",
                      "policy.json: scopes[0].rules.rollback.enabled: expected true or false, got number");
        check_refused(R"({"layers": {"mode": "warn"}})",
                      "policy.json: scopes[0].rules.layers.mode: \"warn\" is neither \"enforce\" nor \"audit\"");
        check_refused(R"({"registries": {"allowed": ["a.io", 3]}})",
                      "policy.json: scopes[0].rules.registries.allowed[1]: expected a string, got number");
        check_refused(R"({"registries": {"allowed": ["a.io/fleet"]}})",
                      "policy.json: scopes[0].rules.registries.allowed[0]: \"a.io/fleet\" is not a registry host[:port] "
                      "(no '/')");
        check_refused(R"({"leastPrivilege": {"forbiddenPaths": ["../etc"]}})",
                      "policy.json: scopes[0].rules.leastPrivilege.forbiddenPaths[0]: \"../etc\" is not a path inside "
                      "the image (no \"..\", \"//\" or bare \"/\")");
        check_refused(R"({"trustedBases": {"digests": ["sha256:abc"]}})",
                      "policy.json: scopes[0].rules.trustedBases.digests[0]: " +
                          Digest::parse("sha256:abc").error().message);
    }

    TEST_CASE("a rule that would check nothing is refused") {
        check_refused(R"({"trustedBases": {}})",
                      "policy.json: scopes[0].rules.trustedBases: lists no digests or names and does not "
                      "requireAnnotation: it would check nothing");
        check_refused(R"({"registries": {"allowed": []}})",
                      "policy.json: scopes[0].rules.registries: allows no registry and does not "
                      "requireDigestReference: it would check nothing");
    }

    TEST_CASE("the trust policy parser refuses a bad rules object at load time") {
        auto policy = parse_trust_policy(
            R"({"version":1,"scopes":[{"name":"s","match":"*","signatures":{"signers":[{"name":"a","key":"keys/a.pub"}]},)"
            R"("rules":{"layers":{"maxCount":true}}}]})",
            "policy.json");
        REQUIRE_FALSE(policy);
        CHECK(policy.error().code == Errc::config);
        CHECK(policy.error().message ==
              "policy.json: scopes[0].rules.layers.maxCount: expected an integer, got boolean");
    }
}

}  // namespace edgeverify
