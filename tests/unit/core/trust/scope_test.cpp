// Scope selection: exact beats glob, the longest literal prefix wins, nothing matched -> default.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/trust_policy.hpp"

using namespace edgeverify;

namespace {

TrustPolicy policy_with_matches(std::initializer_list<std::pair<const char*, const char*>> scopes) {
    std::string text = R"({"version":1,"scopes":[)";
    bool first = true;
    for (const auto& [name, match] : scopes) {
        if (!first) text += ",";
        first = false;
        text += std::string(R"({"name":")") + name + R"(","match":")" + match +
                R"(","signatures":{"signers":[{"name":"k","key":"keys/k.pub"}]}})";
    }
    text += "]}";
    auto policy = parse_trust_policy(text, "policy.json");
    REQUIRE(policy);
    return std::move(*policy);
}

std::string scope_for(const TrustPolicy& policy, const std::string& reference) {
    auto ref = parse_image_reference(reference);
    REQUIRE(ref);
    const Scope* scope = select_scope(policy, *ref);
    return scope ? scope->name : "(default)";
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("an exact match beats any glob, wherever it appears") {
        const auto policy = policy_with_matches({{"all-fleet", "registry.example.com/fleet/*"},
                                                 {"everything", "*"},
                                                 {"app", "registry.example.com/fleet/app"}});
        CHECK(scope_for(policy, "registry.example.com/fleet/app:1.0") == "app");
        CHECK(scope_for(policy, "registry.example.com/fleet/app@sha256:" + std::string(64, 'a')) == "app");
        CHECK(scope_for(policy, "registry.example.com/fleet/other") == "all-fleet");
    }

    TEST_CASE("among globs the longest literal prefix wins, regardless of order") {
        const auto policy = policy_with_matches({{"everything", "*"},
                                                 {"registry", "registry.example.com/*"},
                                                 {"fleet", "registry.example.com/fleet/*"},
                                                 {"fleet-edge", "registry.example.com/fleet/edge/*"}});
        CHECK(scope_for(policy, "registry.example.com/fleet/edge/camera") == "fleet-edge");
        CHECK(scope_for(policy, "registry.example.com/fleet/app") == "fleet");
        CHECK(scope_for(policy, "registry.example.com/tools/x") == "registry");
        CHECK(scope_for(policy, "quay.io/a/b") == "everything");
    }

    TEST_CASE("no matching scope selects nothing: the policy default applies") {
        const auto policy = policy_with_matches({{"fleet", "registry.example.com/fleet/*"}});
        CHECK(scope_for(policy, "registry.example.com/other/app") == "(default)");
        CHECK(scope_for(policy, "alpine") == "(default)");
        // The glob's prefix is literal: "fleet/*" does not match the repository "fleet" itself.
        CHECK(scope_for(policy, "registry.example.com/fleet") == "(default)");
        CHECK(scope_for(TrustPolicy{}, "alpine") == "(default)");
    }

    TEST_CASE("short names expand before matching") {
        const auto policy = policy_with_matches({{"alpine", "docker.io/library/alpine"},
                                                 {"official", "docker.io/library/*"},
                                                 {"hub", "docker.io/*"}});
        CHECK(scope_for(policy, "alpine") == "alpine");
        CHECK(scope_for(policy, "alpine:3.19") == "alpine");
        CHECK(scope_for(policy, "library/alpine") == "alpine");
        CHECK(scope_for(policy, "busybox") == "official");
        CHECK(scope_for(policy, "acme/app") == "hub");
        CHECK(scope_for(policy, "index.docker.io/acme/app") == "hub");
    }
}
