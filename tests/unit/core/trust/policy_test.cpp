// policy.json parsing: the happy paths with their defaults, and one refusal per strictness rule,
// each a configuration error that names the JSON path.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/trust_policy.hpp"

using namespace edgeverify;

namespace {

const char* const kDesignExample = R"({
  "version": 1,
  "default": "reject",
  "scopes": [
    {
      "name": "fleet",
      "match": "registry.example.com/fleet/*",
      "mode": "enforce",
      "signatures": {
        "threshold": 1,
        "signers": [
          {"name": "release", "key": "keys/release.pub"},
          {"name": "ci", "sigstore": {"issuer": "https://token.actions.githubusercontent.com",
                                      "identityRegExp": "^https://github.com/acme/"}},
          {"name": "pki", "x509": {"trustStore": "ca/acme", "subject": "C=US, ST=WA, O=Acme, CN=release"}}
        ]
      },
      "rules": {}
    }
  ]
})";

// A policy with one scope whose body is `scope` (JSON members without braces).
std::string one_scope(const std::string& scope) {
    return R"({"version":1,"scopes":[{"name":"s","match":"docker.io/library/alpine",)" + scope + "}]}";
}
std::string signers(const std::string& list, const std::string& extra = "") {
    return R"("signatures":{)" + extra + R"("signers":[)" + list + "]}";
}
const std::string kKey = R"({"name":"a","key":"keys/a.pub"})";

void check_refused(const std::string& text, const std::string& part) {
    auto policy = parse_trust_policy(text, "policy.json");
    CAPTURE(text);
    REQUIRE_FALSE(policy);
    CHECK(policy.error().code == Errc::config);
    CAPTURE(policy.error().message);
    CHECK(policy.error().message.find(part) != std::string::npos);
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("the DESIGN.md example parses into scopes and signers") {
        auto policy = parse_trust_policy(kDesignExample, "policy.json");
        REQUIRE(policy);
        CHECK(policy->version == 1);
        CHECK(policy->default_action == DefaultAction::reject);
        REQUIRE(policy->scopes.size() == 1);
        const Scope& scope = policy->scopes[0];
        CHECK(scope.name == "fleet");
        CHECK(scope.match == "registry.example.com/fleet/*");
        CHECK(scope.mode == PolicyMode::enforce);
        CHECK(scope.threshold == 1);
        CHECK_FALSE(scope.require_transparency_log);
        REQUIRE(scope.signers.size() == 3);
        REQUIRE(scope.signers[0].key);
        CHECK(scope.signers[0].key->path == "keys/release.pub");
        REQUIRE(scope.signers[1].sigstore);
        CHECK(scope.signers[1].sigstore->issuer == "https://token.actions.githubusercontent.com");
        CHECK(scope.signers[1].sigstore->identity_regexp == "^https://github.com/acme/");
        CHECK(scope.signers[1].sigstore->issuer_regexp.empty());
        REQUIRE(scope.signers[2].x509);
        CHECK(scope.signers[2].x509->trust_store == "ca/acme");
        CHECK(scope.signers[2].x509->subject == "C=US, ST=WA, O=Acme, CN=release");
        CHECK(scope.rules == Json::object());
    }

    TEST_CASE("defaults: default reject, no scopes, mode enforce, threshold 1, no transparency log") {
        auto empty = parse_trust_policy(R"({"version":1})", "policy.json");
        REQUIRE(empty);
        CHECK(empty->default_action == DefaultAction::reject);
        CHECK(empty->scopes.empty());
        auto policy = parse_trust_policy(one_scope(signers(kKey)), "policy.json");
        REQUIRE(policy);
        CHECK(policy->scopes[0].mode == PolicyMode::enforce);
        CHECK(policy->scopes[0].threshold == 1);
        CHECK_FALSE(policy->scopes[0].require_transparency_log);
        CHECK(policy->scopes[0].rules == Json::object());
    }

    TEST_CASE("audit default, audit mode, transparency log and rules are read") {
        auto policy = parse_trust_policy(
            R"({"version":1,"default":"audit","scopes":[{"name":"s","match":"*","mode":"audit",)"
            R"("signatures":{"requireTransparencyLog":true,"signers":[{"name":"a","key":"keys/a.pub"}]},)"
            R"("rules":{"layers":{"maxCount":2}}}]})",
            "policy.json");
        REQUIRE(policy);
        CHECK(policy->default_action == DefaultAction::audit);
        CHECK(policy->scopes[0].mode == PolicyMode::audit);
        CHECK(policy->scopes[0].require_transparency_log);
        CHECK(policy->scopes[0].rules["layers"]["maxCount"] == 2);
    }

    TEST_CASE("threshold counts distinct signers: two entries naming one key count once") {
        const std::string twice = kKey + R"(,{"name":"b","key":"keys/a.pub"})";
        check_refused(one_scope(signers(twice, R"("threshold":2,)")),
                      "policy.json: scopes[0].signatures.threshold: 2 exceeds the 1 distinct signers");
        const std::string two = kKey + R"(,{"name":"b","key":"keys/b.pub"})";
        CHECK(parse_trust_policy(one_scope(signers(two, R"("threshold":2,)")), "policy.json"));
    }

    TEST_CASE("a threshold above the signer count is refused with the path") {
        const std::string two = kKey + R"(,{"name":"b","key":"keys/b.pub"})";
        check_refused(one_scope(signers(two, R"("threshold":3,)")),
                      "policy.json: scopes[0].signatures.threshold: 3 exceeds the 2 distinct signers");
    }

    TEST_CASE("a threshold below 1 or not an integer is refused") {
        check_refused(one_scope(signers(kKey, R"("threshold":0,)")),
                      "scopes[0].signatures.threshold: 0 is below 1");
        check_refused(one_scope(signers(kKey, R"("threshold":-1,)")), "scopes[0].signatures.threshold: -1");
        check_refused(one_scope(signers(kKey, R"("threshold":1.5,)")),
                      "scopes[0].signatures.threshold: expected an integer");
        check_refused(one_scope(signers(kKey, R"("threshold":"1",)")),
                      "scopes[0].signatures.threshold: expected an integer");
    }

    TEST_CASE("unknown keys are refused at every level") {
        check_refused(R"({"version":1,"defualt":"reject"})", "policy.json: defualt: unknown key");
        check_refused(one_scope(signers(kKey) + R"(,"extra":1)"), "scopes[0].extra: unknown key");
        check_refused(one_scope(signers(kKey, R"("treshold":1,)")),
                      "scopes[0].signatures.treshold: unknown key");
        check_refused(one_scope(signers(R"({"name":"a","key":"keys/a.pub","comment":"x"})")),
                      "scopes[0].signatures.signers[0].comment: unknown key");
        check_refused(
            one_scope(signers(R"({"name":"a","sigstore":{"issuer":"i","identity":"x","subject":"s"}})")),
            "scopes[0].signatures.signers[0].sigstore.subject: unknown key");
        check_refused(one_scope(signers(R"({"name":"a","x509":{"trustStore":"ca/a","subject":"s","x":1}})")),
                      "scopes[0].signatures.signers[0].x509.x: unknown key");
    }

    TEST_CASE("wrong types are refused with the path") {
        check_refused(R"([])", "policy.json: top level: expected an object");
        check_refused(R"({"version":1,"scopes":{}})", "policy.json: scopes: expected an array");
        check_refused(R"({"version":1,"scopes":["x"]})", "scopes[0]: expected an object");
        check_refused(R"({"version":1,"default":true})", "policy.json: default: expected a string");
        check_refused(one_scope(R"("mode":1,)" + signers(kKey)), "scopes[0].mode: expected a string");
        check_refused(one_scope(R"("signatures":[])"), "scopes[0].signatures: expected an object");
        check_refused(one_scope(R"("signatures":{"signers":{}})"),
                      "scopes[0].signatures.signers: expected an array");
        check_refused(one_scope(signers(kKey, R"("requireTransparencyLog":"yes",)")),
                      "scopes[0].signatures.requireTransparencyLog: expected true or false");
        check_refused(one_scope(signers(kKey) + R"(,"rules":[])"), "scopes[0].rules: expected an object");
        check_refused(one_scope(signers(R"({"name":"a","key":7})")),
                      "scopes[0].signatures.signers[0].key: expected a string");
        check_refused(one_scope(signers(R"({"name":"a","sigstore":"x"})")),
                      "scopes[0].signatures.signers[0].sigstore: expected an object");
    }

    TEST_CASE("missing required fields are refused") {
        check_refused(R"({"default":"reject"})", "policy.json: version: required");
        check_refused(R"({"version":1,"scopes":[{"match":"*","signatures":{"signers":[]}}]})",
                      "scopes[0].name: required string is missing");
        check_refused(R"({"version":1,"scopes":[{"name":"s","signatures":{"signers":[]}}]})",
                      "scopes[0].match: required string is missing");
        check_refused(one_scope(R"("mode":"audit")"), "scopes[0].signatures: required object is missing");
        check_refused(one_scope(R"("signatures":{})"),
                      "scopes[0].signatures.signers: required array is missing");
        check_refused(one_scope(signers("")), "scopes[0].signatures.signers: empty");
        check_refused(one_scope(signers(R"({"key":"keys/a.pub"})")),
                      "scopes[0].signatures.signers[0].name: required string is missing");
        check_refused(one_scope(signers(R"({"name":"a","x509":{"trustStore":"ca/a"}})")),
                      "scopes[0].signatures.signers[0].x509.subject: required string is missing");
    }

    TEST_CASE("version must be 1 and default, mode must be known words") {
        check_refused(R"({"version":2})", "policy.json: version: 2 is not a supported version (expected 1)");
        check_refused(R"({"version":"1"})", "version: \"1\" is not a supported version");
        check_refused(R"({"version":1,"default":"accept"})", "default: \"accept\" is neither");
        check_refused(one_scope(R"("mode":"permissive",)" + signers(kKey)),
                      "scopes[0].mode: \"permissive\" is neither");
    }

    TEST_CASE("duplicate scope names and duplicate match strings are refused") {
        const std::string scope_a =
            R"({"name":"a","match":"docker.io/*","signatures":{"signers":[{"name":"k","key":"keys/k.pub"}]}})";
        const std::string scope_a2 =
            R"({"name":"a","match":"quay.io/*","signatures":{"signers":[{"name":"k","key":"keys/k.pub"}]}})";
        const std::string scope_b =
            R"({"name":"b","match":"docker.io/*","signatures":{"signers":[{"name":"k","key":"keys/k.pub"}]}})";
        check_refused(R"({"version":1,"scopes":[)" + scope_a + "," + scope_a2 + "]}",
                      "policy.json: scopes[1].name: duplicate scope name \"a\"");
        check_refused(R"({"version":1,"scopes":[)" + scope_a + "," + scope_b + "]}",
                      "policy.json: scopes[1].match: \"docker.io/*\" is already matched by another scope");
    }

    TEST_CASE("duplicate signer names within a scope are refused") {
        check_refused(one_scope(signers(kKey + R"(,{"name":"a","key":"keys/b.pub"})")),
                      "scopes[0].signatures.signers[1].name: duplicate signer name \"a\"");
    }

    TEST_CASE("a signer needs exactly one kind") {
        check_refused(one_scope(signers(R"({"name":"a"})")),
                      "scopes[0].signatures.signers[0]: no signer kind");
        check_refused(one_scope(signers(
                          R"({"name":"a","key":"keys/a.pub","x509":{"trustStore":"ca/a","subject":"s"}})")),
                      "scopes[0].signatures.signers[0]: more than one signer kind");
    }

    TEST_CASE("sigstore signers take exactly one of issuer/issuerRegExp and identity/identityRegExp") {
        check_refused(
            one_scope(signers(R"({"name":"a","sigstore":{"issuer":"i","issuerRegExp":"i","identity":"x"}})")),
            "signers[0].sigstore: both \"issuer\" and \"issuerRegExp\"");
        check_refused(one_scope(signers(R"({"name":"a","sigstore":{"identity":"x"}})")),
                      "signers[0].sigstore: neither \"issuer\" nor \"issuerRegExp\"");
        check_refused(one_scope(signers(R"({"name":"a","sigstore":{"issuer":"i"}})")),
                      "signers[0].sigstore: neither \"identity\" nor \"identityRegExp\"");
    }

    TEST_CASE("a regular expression that does not compile is refused") {
        check_refused(
            one_scope(signers(R"({"name":"a","sigstore":{"issuer":"i","identityRegExp":"^(abc"}})")),
            "scopes[0].signatures.signers[0].sigstore.identityRegExp: regular expression does not compile");
        check_refused(one_scope(signers(R"({"name":"a","sigstore":{"issuerRegExp":"[","identity":"x"}})")),
                      "sigstore.issuerRegExp: regular expression does not compile");
    }

    TEST_CASE("key paths must be relative and stay inside the trust directory") {
        for (const char* bad :
             {"/etc/keys/a.pub", "../a.pub", "keys/../../a.pub", "keys//a.pub", "./keys/a.pub", "keys/"}) {
            CAPTURE(bad);
            check_refused(one_scope(signers(std::string(R"({"name":"a","key":")") + bad + "\"}")),
                          "scopes[0].signatures.signers[0].key: \"" + std::string(bad) +
                              "\" must be a path relative to the trust directory");
        }
        check_refused(one_scope(signers(R"({"name":"a","x509":{"trustStore":"../ca","subject":"s"}})")),
                      "signers[0].x509.trustStore: \"../ca\" must be a path relative");
    }

    TEST_CASE("match is a normalized name or a glob with one trailing '*'") {
        const auto with_match = [](const std::string& match) {
            return R"({"version":1,"scopes":[{"name":"s","match":")" + match + R"(",)" + signers(kKey) +
                   "}]}";
        };
        CHECK(parse_trust_policy(with_match("*"), "policy.json"));
        CHECK(parse_trust_policy(with_match("registry.example.com/fleet/*"), "policy.json"));
        CHECK(parse_trust_policy(with_match("localhost:5000/a/b"), "policy.json"));
        check_refused(with_match("registry.example.com/*/app"),
                      "scopes[0].match: \"registry.example.com/*/app\": '*'");
        check_refused(
            with_match("alpine"),
            "scopes[0].match: \"alpine\" is not a normalized name \"registry/repository\" (did you mean "
            "\"docker.io/library/alpine\"?)");
        check_refused(with_match("docker.io/library/alpine:3"), "did you mean \"docker.io/library/alpine\"");
        check_refused(with_match("docker.io/Library/*"),
                      "scopes[0].match: \"docker.io/Library/*\": character 'L'");
        check_refused(with_match("docker.io/a b*"), "scopes[0].match: \"docker.io/a b*\": character ' '");
    }

    TEST_CASE("malformed JSON and duplicate keys are configuration errors naming the document") {
        check_refused(R"({"version":1,)", "policy.json: not valid JSON");
        check_refused(R"({"version":1,"version":1})", "policy.json: duplicate key \"version\"");
    }
}
