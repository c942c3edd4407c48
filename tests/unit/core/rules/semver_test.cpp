// Semantic Versioning 2.0.0 precedence (semver.org section 11) and RFC 3339 times for the rules.
#include <doctest/doctest.h>

#include "edgeverify/rules.hpp"

namespace edgeverify {

TEST_SUITE("rules semver") {
    TEST_CASE("the precedence chain of semver.org section 11 is strictly increasing") {
        const char* chain[] = {"1.0.0-alpha",      "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                               "1.0.0-beta.2",     "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0",
                               "1.0.1",            "1.1.0",         "1.10.0",           "2.0.0"};
        for (std::size_t i = 0; i + 1 < std::size(chain); ++i) {
            CAPTURE(chain[i]);
            CHECK(compare_semver(chain[i], chain[i + 1]) == -1);
            CHECK(compare_semver(chain[i + 1], chain[i]) == 1);
            CHECK(compare_semver(chain[i], chain[i]) == 0);
        }
    }

    TEST_CASE("build metadata is ignored and a leading v is accepted") {
        CHECK(compare_semver("1.2.3+build.5", "1.2.3+other") == 0);
        CHECK(compare_semver("v1.2.3", "1.2.3") == 0);
        CHECK(compare_semver("1.2.3-rc.1+b", "1.2.3") == -1);
    }

    TEST_CASE("what is not a semantic version is not comparable") {
        for (const char* bad : {"1.2", "latest", "1.2.3.4", "01.2.3", "1.2.3-01", "1.2.3-", "1..3", "", "1.2.3-a_b"}) {
            CAPTURE(bad);
            CHECK_FALSE(compare_semver(bad, "1.0.0"));
            CHECK_FALSE(compare_semver("1.0.0", bad));
        }
    }

    TEST_CASE("RFC 3339 times: zones, fractions, and refusals") {
        CHECK(parse_rfc3339_seconds("1970-01-01T00:00:00Z") == 0);
        CHECK(parse_rfc3339_seconds("2026-11-28T01:50:00Z") == 1795830600);
        CHECK(parse_rfc3339_seconds("2026-11-28T03:50:00.123456789+02:00") == 1795830600);
        CHECK(parse_rfc3339_seconds("2026-11-27T20:50:00-05:00") == 1795830600);
        CHECK(format_rfc3339(1795830600) == "2026-11-28T01:50:00Z");
        // Without time_t (32-bit on armhf): after 2038, leap days, before 1970.
        CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
        CHECK(format_rfc3339(2147483648) == "2038-01-19T03:14:08Z");
        CHECK(format_rfc3339(4070908800) == "2099-01-01T00:00:00Z");
        CHECK(format_rfc3339(951782400) == "2000-02-29T00:00:00Z");
        CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
        for (const std::int64_t t : {std::int64_t{-86400 * 400}, std::int64_t{0}, std::int64_t{1795830600},
                                     std::int64_t{4070908799}, std::int64_t{253402300799}}) {
            CAPTURE(t);
            CHECK(parse_rfc3339_seconds(format_rfc3339(t)) == t);
        }
        for (const char* bad : {"2026-11-28", "2026-13-01T00:00:00Z", "2026-11-28T01:50:00", "yesterday",
                                "2026-11-28T01:50:00.Z", "2026-11-28T01:50:00+0200"}) {
            CAPTURE(bad);
            CHECK_FALSE(parse_rfc3339_seconds(bad));
        }
    }
}

}  // namespace edgeverify
