// The example trust stores of docs/trust-policy.md load, and select the scopes the document says.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "edgeverify/trust_policy.hpp"

using namespace edgeverify;

namespace {

// EDGEVERIFY_TEST_DATA_DIR is <source>/tests/data; the examples live in <source>/docs.
const std::string kExamples = (std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR).parent_path().parent_path() /
                               "docs/examples/trust-policy")
                                  .string();

TrustStore load_example(const std::string& name) {
    auto store = load_trust_store(kExamples + "/" + name);
    if (!store) FAIL(store.error().message);
    return std::move(*store);
}

std::string scope_for(const TrustStore& store, const std::string& reference) {
    auto ref = parse_image_reference(reference);
    REQUIRE(ref);
    const Scope* scope = select_scope(store.policy, *ref);
    return scope ? scope->name : "(default)";
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("docs example single-key") {
        const TrustStore store = load_example("single-key");
        CHECK(store.policy.default_action == DefaultAction::reject);
        CHECK(store.keys.size() == 1);
        CHECK(store.keys.at("keys/release.pub").key.type() == KeyType::ecdsa_p256);
        CHECK(scope_for(store, "registry.example.com/fleet/app:1.0") == "fleet");
        CHECK(scope_for(store, "registry.example.com/fleet/tools/probe") == "fleet");
        CHECK(scope_for(store, "registry.example.com/other/app") == "(default)");
        CHECK(scope_for(store, "alpine") == "(default)");
    }

    TEST_CASE("docs example two-keys-threshold") {
        const TrustStore store = load_example("two-keys-threshold");
        CHECK(store.keys.size() == 2);
        CHECK(store.keys.at("keys/ci.pub").key.type() == KeyType::ecdsa_p384);
        CHECK(scope_for(store, "registry.example.com/fleet/camera:2.1") == "fleet");
        CHECK(scope_for(store, "registry.example.com/fleet/gateway:2.1") == "gateway");
        CHECK(scope_for(store, "registry.example.com/fleet/gateway-v2") == "fleet");
        CHECK(scope_for(store, "registry.example.com/staging/camera") == "staging");
        CHECK(scope_for(store, "quay.io/acme/camera") == "(default)");
        const auto& scopes = store.policy.scopes;
        CHECK(scopes[0].threshold == 2);
        CHECK(scopes[0].mode == PolicyMode::enforce);
        CHECK(scopes[1].threshold == 1);
        CHECK(scopes[2].mode == PolicyMode::audit);
    }

    TEST_CASE("docs example default-audit") {
        const TrustStore store = load_example("default-audit");
        CHECK(store.policy.default_action == DefaultAction::audit);
        CHECK(store.keys.at("keys/vendor.pub").key.type() == KeyType::rsa);
        CHECK(scope_for(store, "acme/agent:1.4") == "vendor");
        CHECK(scope_for(store, "docker.io/acme/agent") == "vendor");
        CHECK(scope_for(store, "alpine:3.19") == "official-alpine");
        CHECK(scope_for(store, "library/alpine") == "official-alpine");
        CHECK(scope_for(store, "busybox") == "(default)");
        CHECK(scope_for(store, "acme") == "(default)");
    }
}
