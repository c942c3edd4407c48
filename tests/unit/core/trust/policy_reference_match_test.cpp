// signatures.referenceMatch in policy.json: "repository" (default) or "exact", anything else a
// configuration error naming the JSON path.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/trust_policy.hpp"

using namespace edgeverify;

namespace {

std::string policy_with(const std::string& extra) {
    return R"({"version":1,"scopes":[{"name":"s","match":"docker.io/library/alpine","signatures":{)" + extra +
           R"("signers":[{"name":"a","key":"keys/a.pub"}]}}]})";
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("referenceMatch defaults to repository") {
        auto policy = parse_trust_policy(policy_with(""), "policy.json");
        REQUIRE(policy);
        CHECK(policy->scopes[0].reference_match == ReferenceMatch::repository);
    }

    TEST_CASE("referenceMatch accepts repository and exact") {
        auto repository = parse_trust_policy(policy_with(R"("referenceMatch":"repository",)"), "policy.json");
        REQUIRE(repository);
        CHECK(repository->scopes[0].reference_match == ReferenceMatch::repository);
        auto exact = parse_trust_policy(policy_with(R"("referenceMatch":"exact",)"), "policy.json");
        REQUIRE(exact);
        CHECK(exact->scopes[0].reference_match == ReferenceMatch::exact);
    }

    TEST_CASE("referenceMatch refuses other values with the JSON path") {
        auto policy = parse_trust_policy(policy_with(R"("referenceMatch":"Exact",)"), "policy.json");
        REQUIRE_FALSE(policy);
        CHECK(policy.error().code == Errc::config);
        CHECK(policy.error().message ==
              "policy.json: scopes[0].signatures.referenceMatch: \"Exact\": expected \"repository\" or "
              "\"exact\"");
        auto number = parse_trust_policy(policy_with(R"("referenceMatch":1,)"), "policy.json");
        REQUIRE_FALSE(number);
        CHECK(number.error().message ==
              "policy.json: scopes[0].signatures.referenceMatch: expected \"repository\" or \"exact\", got "
              "number");
    }
}
