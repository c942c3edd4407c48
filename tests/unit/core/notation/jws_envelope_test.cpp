// The Notation JWS envelope: headers, crit, payload, x5c; and RFC 3339 times.
#include <doctest/doctest.h>

#include "unit/core/notation/notation_fixtures.hpp"
#include "edgeverify/notation.hpp"

using namespace edgeverify;
using notation_test::read_fixture;

TEST_SUITE("notation") {
    TEST_CASE("RFC 3339 times with Z, offsets and fractions") {
        CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
        CHECK(parse_rfc3339("2020-11-09T07:00:00Z") == 1604905200);
        CHECK(parse_rfc3339("2023-03-14T16:10:02+08:00") == 1678781402);
        CHECK(parse_rfc3339("2023-01-19T13:05:58-08:00") == 1674162358);
        CHECK(parse_rfc3339("2020-11-09T07:00:00.123456Z") == 1604905200);
        for (const char* bad : {"", "2020-11-09", "2020-11-09T07:00:00", "2020-13-09T07:00:00Z", "2020-11-09 07:00:00Z",
                                "2020-11-09T07:00:00+0800", "2020-11-09T07:00:00Zjunk", "2020-11-09T07:00:00.Z"}) {
            CAPTURE(bad);
            CHECK(!parse_rfc3339(bad));
        }
    }

    TEST_CASE("a JWS envelope parses into algorithm, scheme, times, chain and target") {
        auto envelope = parse_jws_envelope(read_fixture("es256.jws"), "es256.jws");
        REQUIRE(envelope);
        CHECK(envelope->algorithm == NotaryAlgorithm::es256);
        CHECK(envelope->scheme == NotationSigningScheme::x509);
        CHECK(envelope->signing_time == parse_rfc3339("2025-01-02T03:04:05Z"));
        CHECK(!envelope->expiry);
        CHECK(envelope->chain.size() == 3);
        CHECK(envelope->target.media_type == "application/vnd.oci.image.manifest.v1+json");
        CHECK(envelope->target.size == 1234);
        CHECK(envelope->signature.size() == 64);
        CHECK(envelope->pss_salt == PssSalt::any);
    }

    TEST_CASE("crit: an unknown critical header or a known one left out of crit is refused") {
        auto unknown = parse_jws_envelope(read_fixture("unknown-critical.jws"), "unknown-critical.jws");
        REQUIRE(!unknown);
        CHECK(unknown.error().code == Errc::signature_invalid);
        CHECK(unknown.error().message.find("unknown critical header \"com.example.mustUnderstand\"") != std::string::npos);
        auto expiry = parse_jws_envelope(read_fixture("expiry-not-critical.jws"), "expiry-not-critical.jws");
        REQUIRE(!expiry);
        CHECK(expiry.error().message.find("\"io.cncf.notary.expiry\" must be listed in \"crit\"") != std::string::npos);
    }

    TEST_CASE("malformed envelopes are refused by name") {
        const std::string good = read_fixture("es256.jws");
        struct Row {
            std::string text, reason;
        };
        const std::vector<Row> rows = {
            {"[]", "a JWS envelope is a JSON object"},
            {R"({"signatures":[]})", "general serialization"},
            {R"({"payload":"e30","protected":"e30","signature":"","header":{},"extra":1})", "unexpected member \"extra\""},
            {R"({"payload":"e30","protected":"e30","header":{"x5c":["AA=="]}})", "\"signature\" is missing"},
            {R"({"payload":"e30","protected":"e30","signature":"","header":{"x5c":[]}})", "\"alg\" is missing"},
            // {"alg":"none"}
            {R"({"payload":"e30","protected":"eyJhbGciOiJub25lIn0","signature":"","header":{}})", "alg \"none\""},
            // padding is not base64url
            {R"({"payload":"e30","protected":"e30=","signature":"","header":{}})", "base64url"},
        };
        for (const Row& row : rows) {
            CAPTURE(row.text);
            auto envelope = parse_jws_envelope(row.text, "bad.jws");
            REQUIRE(!envelope);
            CHECK(envelope.error().message.find(row.reason) != std::string::npos);
        }
    }

    TEST_CASE("trusted identities: escaping, S for ST, required attributes, subset match") {
        auto identity = parse_trusted_identity("x509.subject: C=US, S=WA, O=Acme\\, Inc., CN=signer\\ ");
        REQUIRE(identity);
        REQUIRE(identity->attributes.size() == 4);
        CHECK(identity->attributes[1] == std::make_pair(std::string("ST"), std::string("WA")));
        CHECK(identity->attributes[2].second == "Acme, Inc.");
        CHECK(identity->attributes[3].second == "signer ");
        const std::vector<std::pair<std::string, std::string>> subject = {
            {"C", "US"}, {"ST", "WA"}, {"L", "Seattle"}, {"O", "Acme, Inc."}, {"CN", "signer "}};
        CHECK(identity_matches(*identity, subject));
        auto narrower = parse_trusted_identity("x509.subject:C=US,ST=WA,O=Acme\\, Inc.");
        REQUIRE(narrower);
        CHECK(identity_matches(*narrower, subject));
        auto other = parse_trusted_identity("x509.subject:C=US,ST=WA,O=Acme");
        REQUIRE(other);
        CHECK(!identity_matches(*other, subject));
        CHECK(parse_trusted_identity("x509.subject:C=US,O=Acme").error().message.find("ST is missing") != std::string::npos);
        CHECK(parse_trusted_identity("x509.subject:C=US,ST=WA,O=A,O=B").error().message.find("twice") != std::string::npos);
        CHECK(parse_trusted_identity("email:someone@example.com").error().code == Errc::config);
        CHECK(parse_trusted_identity("x509.subject:C=US,ST=WA,O=Acme\\").error().message.find("lone backslash") !=
              std::string::npos);
    }

    TEST_CASE("levels map each step to enforce, log or skip") {
        CHECK(notation_level("strict")->expiry == CheckAction::enforce);
        auto permissive = notation_level("permissive");
        CHECK(permissive->authenticity == CheckAction::enforce);
        CHECK(permissive->expiry == CheckAction::log);
        auto audit = notation_level("audit");
        CHECK(audit->integrity == CheckAction::enforce);
        CHECK(audit->authenticity == CheckAction::log);
        CHECK(notation_level("skip")->integrity == CheckAction::skip);
        CHECK(notation_level("lenient").error().code == Errc::config);
    }
}
