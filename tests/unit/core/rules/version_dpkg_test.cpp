// Debian version ordering (Debian Policy 5.6.12): documented cases, each also true for
// `dpkg --compare-versions` (tests/integration/test_version_dpkg.sh checks thousands more).
#include <doctest/doctest.h>

#include <string>

#include "core/rules/version_dpkg.hpp"

namespace edgeverify {
namespace {

struct Case {
    const char* a;
    const char* b;
    int expected;  // sign of compare(a, b)
    const char* why;
};

int sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

void check_invalid(const std::string& version, const std::string& message) {
    auto result = compare_dpkg_versions(version, "1.0");
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::schema_violation);
    CHECK(result.error().message == message);
    CHECK_FALSE(validate_dpkg_version(version));
}

}  // namespace

TEST_SUITE("dpkg versions") {
    TEST_CASE("ordering cases") {
        const Case cases[] = {
            {"1.0", "1.0", 0, "identical"},
            {"1.0", "1.0-0", 0, "a missing revision compares like 0"},
            {"0:1.0", "1.0", 0, "a missing epoch is 0"},
            {"00:1.0", "0:1.0", 0, "epoch leading zeros"},
            {"1.0", "1:0.1", -1, "the epoch comes first"},
            {"2:1.0", "10:0.1", -1, "epochs compare as numbers"},
            {"1.0~rc1", "1.0", -1, "~ sorts before the end"},
            {"1.0~~", "1.0~", -1, "~~ before ~"},
            {"1.0~~a", "1.0~~", 1, "the end after ~~ sorts before a letter"},
            {"1.0~rc1", "1.0~rc2", -1, "numbers after ~"},
            {"1.0", "1.0a", -1, "the end before a letter"},
            {"1.0a", "1.0+", -1, "letters before non-letters"},
            {"1.0+", "1.0.", -1, "non-letters by character code: + before ."},
            {"1.0Z", "1.0a", -1, "uppercase before lowercase (ASCII)"},
            {"1.0~", "1.0a", -1, "~ before a letter"},
            {"1.2", "1.10", -1, "digits numerically"},
            {"1.002", "1.2", 0, "leading zeros ignored"},
            {"1.0", "1.0.0", -1, "a longer version is later"},
            {"1.0-1", "1.0-1.1", -1, "revision parts"},
            {"1.0-1", "1.0-1~bpo1", 1, "revision ~"},
            {"2.36-9", "2.36-9+deb12u3", -1, "Debian security update"},
            {"2.36-9+deb12u3", "2.36-9+deb12u10", -1, "security update numbers"},
            {"1:2.0-1", "1:2.0-1", 0, "identical with epoch and revision"},
            {"1.0-a-1", "1.0-a-2", -1, "hyphens in upstream; the revision after the last"},
            {"1:1:0", "1:1:1", -1, "colons in upstream after an epoch"},
            {"99999999999999999999", "99999999999999999998", 1, "digits of any length"},
            {"1.0 ", " 1.0", 0, "surrounding blanks are ignored"},
        };
        for (const Case& c : cases) {
            CAPTURE(std::string(c.a));
            CAPTURE(std::string(c.b));
            CAPTURE(std::string(c.why));
            auto forward = compare_dpkg_versions(c.a, c.b);
            auto backward = compare_dpkg_versions(c.b, c.a);
            REQUIRE(forward);
            REQUIRE(backward);
            CHECK(sign(*forward) == c.expected);
            CHECK(sign(*backward) == -c.expected);
        }
    }

    TEST_CASE("invalid versions are errors naming the version") {
        check_invalid("", "invalid Debian version \"\": empty");
        check_invalid("1.0 1", "invalid Debian version \"1.0 1\": embedded blank");
        check_invalid(":1.0", "invalid Debian version \":1.0\": empty epoch before ':'");
        check_invalid("a:1.0", "invalid Debian version \"a:1.0\": epoch is not a number");
        check_invalid("-1:1.0", "invalid Debian version \"-1:1.0\": epoch is not a number");
        check_invalid("2147483648:1.0", "invalid Debian version \"2147483648:1.0\": epoch is too big");
        check_invalid("1:", "invalid Debian version \"1:\": nothing after the epoch's ':'");
        check_invalid("1.0-", "invalid Debian version \"1.0-\": empty revision after '-'");
        check_invalid("-1", "invalid Debian version \"-1\": empty upstream version");
        check_invalid("a1.0", "invalid Debian version \"a1.0\": upstream version does not start with a digit");
        check_invalid("1.0_1", "invalid Debian version \"1.0_1\": character '_' is not allowed in the upstream version");
        check_invalid("1:1.0-1:2", "invalid Debian version \"1:1.0-1:2\": character ':' is not allowed in the revision");
        CHECK(validate_dpkg_version("2147483647:1.0"));
        CHECK(validate_dpkg_version("1:2.36-9+deb12u3"));
    }

    TEST_CASE("the second version is validated too") {
        auto result = compare_dpkg_versions("1.0", "x");
        REQUIRE_FALSE(result);
        CHECK(result.error().message == "invalid Debian version \"x\": upstream version does not start with a digit");
    }
}

}  // namespace edgeverify
