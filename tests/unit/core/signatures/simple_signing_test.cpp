// Simple-signing payloads (FORMATS.md A.4): exact members, strict types, optional null or object.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/signatures.hpp"

using namespace edgeverify;

namespace {
// cosign's exact bytes (FORMATS.md A.4, from containers/image's fixtures).
const std::string kCosignPayload =
    R"({"critical":{"identity":{"docker-reference":"192.168.64.2:5000/cosign-signed-single-sample"},)"
    R"("image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},)"
    R"("type":"cosign container image signature"},"optional":null})";

std::string with(const std::string& from, const std::string& to) {
    std::string out = kCosignPayload;
    const auto at = out.find(from);
    REQUIRE(at != std::string::npos);
    out.replace(at, from.size(), to);
    return out;
}
}  // namespace

TEST_SUITE("signatures") {
    TEST_CASE("simple signing: cosign's payload gives its reference and digest") {
        auto payload = parse_simple_signing_payload(kCosignPayload, "payload");
        REQUIRE(payload);
        CHECK(payload->docker_reference == "192.168.64.2:5000/cosign-signed-single-sample");
        CHECK(payload->manifest_digest.str() ==
              "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00");
        CHECK(payload->optional.is_null());
    }

    TEST_CASE("simple signing: optional annotations are kept, unknown members in them allowed") {
        auto payload = parse_simple_signing_payload(
            with(R"("optional":null)", R"("optional":{"creator":"x","timestamp":1657296609,"extra":[1]})"),
            "p");
        REQUIRE(payload);
        CHECK(payload->optional["creator"] == "x");
    }

    TEST_CASE("simple signing: every deviation from the exact shape is refused with its path") {
        struct Case {
            std::string from, to, message;
        };
        const Case cases[] = {
            {R"("optional":null)", R"("optional":null,"extra":1)", "payload: unknown member \"extra\""},
            {R"(,"optional":null)", "", "payload: required member \"optional\" is missing"},
            {R"("type":"cosign container image signature")",
             R"("type":"cosign container image signature","x":1)", "critical: unknown member \"x\""},
            {R"("type":"cosign container image signature")", R"("type":"atomic container signature")",
             "critical.type: \"atomic container signature\" is not \"cosign container image signature\""},
            {R"("type":"cosign container image signature")", R"("type":7)",
             "critical.type: expected a string"},
            {R"({"docker-reference")", R"({"docker-reference":"a","more")",
             "critical.identity: unknown member"},
            {R"("docker-manifest-digest":"sha256:634a)", R"("docker-manifest-digest":"sha256:634A)",
             "critical.image.docker-manifest-digest: digest"},
            {R"("optional":null)", R"("optional":[])", "optional: expected an object or null"},
            {R"({"docker-reference":"192.168.64.2:5000/cosign-signed-single-sample"})", R"([])",
             "critical.identity: expected an object"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.message);
            auto payload = parse_simple_signing_payload(with(c.from, c.to), "p");
            REQUIRE_FALSE(payload);
            CHECK(payload.error().message.find(c.message) != std::string::npos);
        }
    }

    TEST_CASE("simple signing: a bad digest keeps the digest error code") {
        auto payload = parse_simple_signing_payload(with("sha256:634a", "md5:634a"), "p");
        REQUIRE_FALSE(payload);
        CHECK(payload.error().code == Errc::digest_unsupported);
    }

    TEST_CASE("simple signing: duplicated members and non-JSON are refused") {
        auto duplicated =
            parse_simple_signing_payload(with(R"("optional":null)", R"("optional":null,"optional":{})"), "p");
        REQUIRE_FALSE(duplicated);
        CHECK(duplicated.error().code == Errc::json_duplicate_key);
        auto garbage = parse_simple_signing_payload("\x30\x45\x02", "p");
        REQUIRE_FALSE(garbage);
        CHECK(garbage.error().code == Errc::json_malformed);
    }
}
