// Alpine (apk) version ordering: the documented cases of src/core/rules/version_apk.hpp.
#include <doctest/doctest.h>

#include <string>

#include "core/rules/version_apk.hpp"

namespace edgeverify {
namespace {

struct Case {
    const char* a;
    const char* b;
    int expected;  // sign of compare(a, b)
    const char* why;
};

int sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

}  // namespace

TEST_SUITE("apk versions") {
    TEST_CASE("ordering cases") {
        const Case cases[] = {
            {"1.0", "1.0", 0, "identical"},
            {"1.2", "1.10", -1, "numbers compare numerically"},
            {"1.2", "1.2.1", -1, "more numbers is later"},
            {"1", "1.0", -1, "1.0 is later than 1"},
            {"1.01", "1.1", -1, "a leading zero makes a fraction: string comparison"},
            {"1.01", "1.010", -1, "fractions: a prefix first"},
            {"1.001", "1.01", -1, "fractions: byte by byte"},
            {"1.09", "1.1", -1, "fractions: 09 before 1 as strings"},
            {"01.2", "1.2", 0, "the first number is always numeric"},
            {"1.2", "1.2a", -1, "a letter is later than none"},
            {"1.2a", "1.2b", -1, "letters alphabetically"},
            {"1.2a", "1.2.1", -1, "a letter is before a further number"},
            {"1.0_alpha", "1.0_beta", -1, "alpha < beta"},
            {"1.0_beta", "1.0_pre", -1, "beta < pre"},
            {"1.0_pre", "1.0_rc", -1, "pre < rc"},
            {"1.0_rc", "1.0", -1, "rc < release"},
            {"1.0", "1.0_cvs", -1, "release < cvs"},
            {"1.0_cvs", "1.0_svn", -1, "cvs < svn"},
            {"1.0_svn", "1.0_git", -1, "svn < git"},
            {"1.0_git", "1.0_hg", -1, "git < hg"},
            {"1.0_hg", "1.0_p", -1, "hg < p"},
            {"1.0_rc", "1.0_rc1", -1, "a suffix number is later than none"},
            {"1.0_rc1", "1.0_rc2", -1, "suffix numbers"},
            {"1.0_rc9", "1.0_rc10", -1, "suffix numbers numerically"},
            {"1.0_p1", "1.0_p1_p1", -1, "suffixes repeat"},
            {"1.0_rc1", "1.0_rc1_alpha", 1, "a pre-release suffix after a suffix is earlier"},
            {"1.0a", "1.0_p1", 1, "a letter is later than a suffix"},
            {"1.0", "1.0-r0", -1, "a missing revision is before -r0 (apk does not read it as -r0)"},
            {"1.0-r1", "1.0-r2", -1, "revisions"},
            {"1.0-r9", "1.0-r10", -1, "revisions numerically"},
            {"1.0_rc1-r5", "1.0-r0", -1, "the release candidate whatever its revision"},
            {"1.0_p1", "1.0-r9", 1, "a post-release suffix is after every revision of the release"},
            {"1.0~abc-r1", "1.0~abd-r0", -1, "commit hashes as strings, before the revision"},
            {"1.0", "1.0~abc", -1, "a hash is later than none"},
            {"3.1.4-r5", "3.1.4-r6", -1, "openssl-style"},
            {"1.36.1-r15", "1.36.1-r20", -1, "busybox-style"},
            {"2.4.58_rc1-r0", "2.4.58-r0", -1, "rc release with revision"},
            {"18446744073709551616", "18446744073709551615", 1, "numbers of any length"},
        };
        for (const Case& c : cases) {
            CAPTURE(std::string(c.a));
            CAPTURE(std::string(c.b));
            CAPTURE(std::string(c.why));
            auto forward = compare_apk_versions(c.a, c.b);
            auto backward = compare_apk_versions(c.b, c.a);
            REQUIRE(forward);
            REQUIRE(backward);
            CHECK(sign(*forward) == c.expected);
            CHECK(sign(*backward) == -c.expected);
        }
    }

    TEST_CASE("invalid versions are errors naming the version") {
        const std::pair<const char*, const char*> cases[] = {
            {"", "invalid Alpine version \"\": does not start with a number"},
            {"v1.0", "invalid Alpine version \"v1.0\": does not start with a number"},
            {"1.", "invalid Alpine version \"1.\": no number after '.'"},
            {"1.0ab", "invalid Alpine version \"1.0ab\": unexpected 'b' at offset 4"},
            {"1.0A", "invalid Alpine version \"1.0A\": unexpected 'A' at offset 3"},
            {"1.0_foo", "invalid Alpine version \"1.0_foo\": unknown suffix \"_foo\""},
            {"1.0_", "invalid Alpine version \"1.0_\": unknown suffix \"_\""},
            {"1.0-r", "invalid Alpine version \"1.0-r\": no number after \"-r\""},
            {"1.0-1", "invalid Alpine version \"1.0-1\": unexpected '-' at offset 3"},
            {"1.0-r1-r2", "invalid Alpine version \"1.0-r1-r2\": unexpected '-' at offset 6"},
            {"1.0-r1_p1", "invalid Alpine version \"1.0-r1_p1\": unexpected '_' at offset 6"},
            {"1.0_p1.2", "invalid Alpine version \"1.0_p1.2\": unexpected '.' at offset 6"},
            {"1.0~", "invalid Alpine version \"1.0~\": no hexadecimal commit after '~'"},
        };
        for (const auto& entry : cases) {  // no structured binding: clang 14 cannot capture one
            const auto& version = entry.first;
            const auto& message = entry.second;
            CAPTURE(std::string(version));
            auto result = compare_apk_versions(version, "1.0");
            REQUIRE_FALSE(result);
            CHECK(result.error().code == Errc::schema_violation);
            CHECK(result.error().message == message);
            CHECK_FALSE(validate_apk_version(version));
        }
        CHECK(validate_apk_version("1.2.3a_rc1_p2~deadbeef-r10"));
    }
}

}  // namespace edgeverify
