// The vulnerability feed (strict parsing, every refusal naming its JSON path) and the
// vulnerabilities rule's matching of an inventory against it (exact findings).
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

const char* const kFeed = R"({
  "version": 1,
  "generated": "2026-11-20T00:00:00Z",
  "vulnerabilities": [
    {"id": "CVE-2023-4911", "severity": "HIGH", "summary": "glibc tunables overflow",
     "affected": [{"package": {"ecosystem": "Debian:12", "name": "libc6"},
                   "ranges": [{"introduced": "0", "fixed": "2.36-9+deb12u3"}]}]},
    {"id": "CVE-2099-0001", "severity": "LOW",
     "affected": [{"package": {"ecosystem": "Debian", "name": "bash"}, "versions": ["5.2.15-2+b2"]}]},
    {"id": "CVE-2099-0002", "severity": "CRITICAL",
     "affected": [{"package": {"ecosystem": "Debian:11", "name": "libc6"}, "ranges": [{"introduced": "0"}]}]},
    {"id": "CVE-2099-0003", "severity": "MEDIUM",
     "affected": [{"package": {"ecosystem": "Alpine:v3.19", "name": "busybox"},
                   "ranges": [{"introduced": "1.36.0", "fixed": "1.36.1-r16"}]}]}
  ]})";

VulnerabilityFeed feed() {
    auto parsed = parse_vulnerability_feed(kFeed, "feed.json");
    REQUIRE(parsed);
    return std::move(*parsed);
}

// A package built from a source of its own name and version, or from another source.
Package binary(std::string name, std::string version) { return Package{name, version, name, version}; }
Package binary(std::string name, std::string version, std::string source, std::string source_version) {
    return Package{std::move(name), std::move(version), std::move(source), std::move(source_version)};
}

// Entries keyed by source package, as Debian's and Alpine's data are.
const char* const kSourceFeed = R"({
  "version": 1,
  "generated": "2026-11-20T00:00:00Z",
  "vulnerabilities": [
    {"id": "CVE-2099-0010", "severity": "HIGH",
     "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                   "ranges": [{"introduced": "0", "fixed": "3.0.11-1~deb12u2"}]}]},
    {"id": "CVE-2099-0011", "severity": "MEDIUM",
     "affected": [{"package": {"ecosystem": "Debian:12", "name": "foo"},
                   "ranges": [{"introduced": "0", "fixed": "2.0-2"}]}]},
    {"id": "CVE-2099-0012", "severity": "LOW",
     "affected": [{"package": {"ecosystem": "Alpine:v3.19", "name": "openssl"},
                   "ranges": [{"introduced": "0", "fixed": "3.1.4-r6"}]}]}
  ]})";

VulnerabilityFeed source_feed() {
    auto parsed = parse_vulnerability_feed(kSourceFeed, "feed.json");
    REQUIRE(parsed);
    return std::move(*parsed);
}

ImageFacts debian_with(std::vector<Package> packages) {
    ImageFacts facts;
    facts.packages.database = "var/lib/dpkg/status";
    facts.packages.ecosystem = "dpkg";
    facts.packages.os_release = {{"ID", "debian"}, {"VERSION_ID", "12"}};
    facts.packages.packages = std::move(packages);
    return facts;
}

ImageFacts debian_image(std::string libc_version) {
    ImageFacts facts;
    facts.packages.database = "var/lib/dpkg/status";
    facts.packages.ecosystem = "dpkg";
    facts.packages.os_release = {{"ID", "debian"}, {"VERSION_ID", "12"}};
    facts.packages.packages = {binary("bash", "5.2.15-2+b2"), binary("libc6", std::move(libc_version)),
                               binary("zlib1g", "1:1.2.13")};
    return facts;
}

RuleResult check(const VulnerabilitiesRule& rule, const ImageFacts& facts, const VulnerabilityFeed* with_feed) {
    RuleContext context;
    context.clock_now = *parse_rfc3339_seconds("2026-11-28T00:00:00Z");
    context.vulnerability_feed = with_feed;
    return check_vulnerabilities(rule, facts, context, RuleOutcome::fail);
}

void check_refused(const std::string& text, const std::string& message) {
    auto parsed = parse_vulnerability_feed(text, "feed.json");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::config);
    CHECK(parsed.error().message == message);
}

std::string entry(const std::string& affected) {
    return R"({"version": 1, "generated": "2026-11-20T00:00:00Z", "vulnerabilities": [{"id": "X", "severity": "LOW",
              "affected": [)" + affected + "]}]}";
}

const std::string kAbout = " (Debian 12, 3 packages, feed ";

}  // namespace

TEST_SUITE("vulnerability feed") {
    TEST_CASE("a feed is read with its entries, ranges and versions") {
        const VulnerabilityFeed f = feed();
        CHECK(f.generated == "2026-11-20T00:00:00Z");
        CHECK(f.digest.starts_with("sha256:"));
        REQUIRE(f.vulnerabilities.size() == 4);
        const AffectedPackage& libc = f.vulnerabilities[0].affected[0];
        CHECK(libc.distribution == Distribution::debian);
        CHECK(libc.release == "12");
        CHECK(libc.ranges[0].fixed == "2.36-9+deb12u3");
        CHECK(f.vulnerabilities[2].affected[0].ranges[0].fixed == std::nullopt);
        CHECK(f.vulnerabilities[3].affected[0].distribution == Distribution::alpine);
        CHECK(f.vulnerabilities[3].affected[0].release == "3.19");
        CHECK(f.vulnerabilities[3].severity == Severity::medium);
    }

    TEST_CASE("malformed feeds are refused naming the JSON path") {
        check_refused(R"({"version": 2, "generated": "x", "vulnerabilities": []})", "feed.json: version: must be 1");
        check_refused(R"({"version": 1, "generated": "yesterday", "vulnerabilities": []})",
                      "feed.json: generated: \"yesterday\" is not an RFC 3339 time");
        check_refused(R"({"version": 1, "generated": "2026-11-20T00:00:00Z"})", "feed.json: vulnerabilities: missing");
        check_refused(R"({"version": 1, "generated": "2026-11-20T00:00:00Z", "vulnerabilities": [], "extra": 1})",
                      "feed.json: (top level).extra: unknown key");
        check_refused(R"({"version": 1, "generated": "2026-11-20T00:00:00Z", "vulnerabilities": [{"id": "X",
                      "severity": "SEVERE", "affected": []}]})",
                      "feed.json: vulnerabilities[0].severity: \"SEVERE\" is not LOW, MEDIUM, HIGH or CRITICAL");
        check_refused(entry(R"({"package": {"ecosystem": "Ubuntu:22.04", "name": "a"}, "versions": ["1"]})"),
                      "feed.json: vulnerabilities[0].affected[0].package.ecosystem: \"Ubuntu:22.04\" is not \"Debian\", "
                      "\"Debian:<release>\", \"Alpine\" or \"Alpine:v<release>\"");
        check_refused(entry(R"({"package": {"ecosystem": "Debian", "name": "a"}, "ranges": [{"introduced": "0",
                      "fixed": "x1"}]})"),
                      "feed.json: vulnerabilities[0].affected[0].ranges[0].fixed: invalid Debian version \"x1\": "
                      "upstream version does not start with a digit");
        check_refused(entry(R"({"package": {"ecosystem": "Alpine", "name": "a"}, "versions": ["1.0", "1.0-1"]})"),
                      "feed.json: vulnerabilities[0].affected[0].versions[1]: invalid Alpine version \"1.0-1\": "
                      "unexpected '-' at offset 3");
        check_refused(entry(R"({"package": {"ecosystem": "Debian", "name": "a"}, "ranges": [{"fixed": "1"}]})"),
                      "feed.json: vulnerabilities[0].affected[0].ranges[0].introduced: missing");
        check_refused(entry(R"({"package": {"ecosystem": "Debian", "name": "a"}})"),
                      "feed.json: vulnerabilities[0].affected[0]: lists no ranges and no versions");
        check_refused(entry(R"({"package": {"ecosystem": "Debian", "name": 3}, "versions": ["1"]})"),
                      "feed.json: vulnerabilities[0].affected[0].package.name: expected a string, got number");
        check_refused(entry(R"({"package": {"ecosystem": "Debian", "name": ")" + std::string(257, 'a') +
                            R"("}, "versions": ["1"]})"),
                      "feed.json: vulnerabilities[0].affected[0].package.name: 257 bytes, more than "
                      "limits::kMaxFeedStringBytes (256)");
    }

    TEST_CASE("an affected version is a finding with its id, severity and fixed version") {
        const VulnerabilityFeed f = feed();
        const RuleResult result = check(VulnerabilitiesRule{}, debian_image("2.36-9+deb12u1"), &f);
        CHECK(result.rule == "vulnerabilities");
        CHECK(result.outcome == RuleOutcome::fail);
        CHECK(result.evidence == "2 vulnerabilities at or above LOW: bash 5.2.15-2+b2 has CVE-2099-0001 (LOW, no fixed "
                                 "version listed); libc6 2.36-9+deb12u1 has CVE-2023-4911 (HIGH, fixed in 2.36-9+deb12u3)" +
                                     kAbout + f.digest + " generated 2026-11-20T00:00:00Z)");
    }

    TEST_CASE("the fixed version and later are not affected; other releases' entries do not apply") {
        const VulnerabilityFeed f = feed();
        VulnerabilitiesRule rule;
        rule.min_severity = Severity::medium;
        const RuleResult result = check(rule, debian_image("2.36-9+deb12u3"), &f);
        CHECK(result.outcome == RuleOutcome::pass);
        CHECK(result.evidence == "no vulnerability at or above MEDIUM; below MEDIUM: bash 5.2.15-2+b2 has CVE-2099-0001 "
                                 "(LOW, no fixed version listed)" + kAbout + f.digest + " generated 2026-11-20T00:00:00Z)");
    }

    TEST_CASE("allowed ids never fail") {
        const VulnerabilityFeed f = feed();
        VulnerabilitiesRule rule;
        rule.allow = {"CVE-2023-4911", "CVE-2099-0001"};
        const RuleResult result = check(rule, debian_image("2.36-9"), &f);
        CHECK(result.outcome == RuleOutcome::pass);
        CHECK(result.evidence.starts_with("no vulnerability at or above LOW; allowed: bash 5.2.15-2+b2 has CVE-2099-0001 "
                                          "(LOW, no fixed version listed); libc6 2.36-9 has CVE-2023-4911 (HIGH, fixed "
                                          "in 2.36-9+deb12u3) (Debian 12"));
    }

    TEST_CASE("Alpine releases match by major.minor, with apk ordering") {
        const VulnerabilityFeed f = feed();
        ImageFacts facts;
        facts.packages.database = "lib/apk/db/installed";
        facts.packages.ecosystem = "apk";
        facts.packages.os_release = {{"ID", "alpine"}, {"VERSION_ID", "3.19.1"}};
        facts.packages.packages = {binary("busybox", "1.36.1-r15")};
        CHECK(check(VulnerabilitiesRule{}, facts, &f).evidence.starts_with(
            "1 vulnerability at or above LOW: busybox 1.36.1-r15 has CVE-2099-0003 (MEDIUM, fixed in 1.36.1-r16) "
            "(Alpine 3.19, 1 package,"));
        facts.packages.packages = {binary("busybox", "1.36.1-r16")};
        CHECK(check(VulnerabilitiesRule{}, facts, &f).outcome == RuleOutcome::pass);
        facts.packages.os_release["VERSION_ID"] = "3.20.0";
        facts.packages.packages = {binary("busybox", "1.36.1-r15")};
        CHECK(check(VulnerabilitiesRule{}, facts, &f).outcome == RuleOutcome::pass);
    }

    TEST_CASE("an entry about a source package catches every binary package built from it") {
        const VulnerabilityFeed f = source_feed();
        const RuleResult result =
            check(VulnerabilitiesRule{}, debian_with({binary("libssl3", "3.0.11-1~deb12u1", "openssl", "3.0.11-1~deb12u1"),
                                                      binary("openssl", "3.0.11-1~deb12u1"), binary("zlib1g", "1:1.2.13")}),
                  &f);
        CHECK(result.outcome == RuleOutcome::fail);
        CHECK(result.evidence == "2 vulnerabilities at or above LOW: libssl3 (source openssl) 3.0.11-1~deb12u1 has "
                                 "CVE-2099-0010 (HIGH, fixed in 3.0.11-1~deb12u2); openssl 3.0.11-1~deb12u1 has "
                                 "CVE-2099-0010 (HIGH, fixed in 3.0.11-1~deb12u2)" +
                                     kAbout + f.digest + " generated 2026-11-20T00:00:00Z)");
    }

    TEST_CASE("a source-name match compares the source version, not the binary's") {
        const VulnerabilityFeed f = source_feed();
        // The binary version 1:2.0-1 is above the fixed 2.0-2; the source version 2.0-1 is below it.
        const RuleResult affected = check(VulnerabilitiesRule{}, debian_with({binary("libfoo1", "1:2.0-1", "foo", "2.0-1")}), &f);
        CHECK(affected.evidence.starts_with("1 vulnerability at or above LOW: libfoo1 (source foo 2.0-1) 1:2.0-1 has "
                                            "CVE-2099-0011 (MEDIUM, fixed in 2.0-2) (Debian 12, 1 package, feed "));
        // The binary version 1.0-1 is below 2.0-2, but the source 2.0-2 is fixed.
        const RuleResult fixed = check(VulnerabilitiesRule{}, debian_with({binary("libfoo1", "1.0-1", "foo", "2.0-2")}), &f);
        CHECK(fixed.outcome == RuleOutcome::pass);
        CHECK(fixed.evidence.starts_with("no vulnerability at or above LOW (Debian 12, 1 package, feed "));
    }

    TEST_CASE("a binary package matched by both names is reported once") {
        const VulnerabilityFeed f = source_feed();
        // A binNMU: binary openssl 3.0.11-1~deb12u1+b1 of source openssl 3.0.11-1~deb12u1, both affected.
        const RuleResult both =
            check(VulnerabilitiesRule{}, debian_with({binary("openssl", "3.0.11-1~deb12u1+b1", "openssl", "3.0.11-1~deb12u1")}),
                  &f);
        CHECK(both.evidence.starts_with("1 vulnerability at or above LOW: openssl (source openssl 3.0.11-1~deb12u1) "
                                        "3.0.11-1~deb12u1+b1 has CVE-2099-0010 (HIGH, fixed in 3.0.11-1~deb12u2) (Debian 12"));
        // The source version alone is affected: still one finding.
        const RuleResult source_only =
            check(VulnerabilitiesRule{}, debian_with({binary("openssl", "3.0.11-1~deb12u2+b1", "openssl", "3.0.11-1~deb12u1")}),
                  &f);
        CHECK(source_only.evidence.starts_with("1 vulnerability at or above LOW: openssl (source openssl 3.0.11-1~deb12u1) "
                                               "3.0.11-1~deb12u2+b1 has CVE-2099-0010"));
    }

    TEST_CASE("an apk origin is the source package") {
        const VulnerabilityFeed f = source_feed();
        ImageFacts facts;
        facts.packages.database = "lib/apk/db/installed";
        facts.packages.ecosystem = "apk";
        facts.packages.os_release = {{"ID", "alpine"}, {"VERSION_ID", "3.19.1"}};
        facts.packages.packages = {binary("libcrypto3", "3.1.4-r5", "openssl", "3.1.4-r5"),
                                   binary("libssl3", "3.1.4-r6", "openssl", "3.1.4-r6"), binary("musl", "1.2.4-r2")};
        CHECK(check(VulnerabilitiesRule{}, facts, &f).evidence.starts_with(
            "1 vulnerability at or above LOW: libcrypto3 (source openssl) 3.1.4-r5 has CVE-2099-0012 (LOW, fixed in "
            "3.1.4-r6) (Alpine 3.19, 3 packages,"));
    }

    TEST_CASE("a source version that cannot be compared fails the rule, naming the source") {
        const VulnerabilityFeed f = source_feed();
        const RuleResult bad = check(VulnerabilitiesRule{}, debian_with({binary("libfoo1", "2.0-1", "foo", "x1")}), &f);
        CHECK(bad.outcome == RuleOutcome::fail);
        CHECK(bad.evidence.starts_with("versions that cannot be compared: libfoo1 (source foo x1) 2.0-1: invalid Debian "
                                       "version \"x1\": upstream version does not start with a digit (Debian 12"));
    }

    TEST_CASE("no feed, a stale feed, an unknown distribution, an unreadable version") {
        const VulnerabilityFeed f = feed();
        VulnerabilitiesRule rule;
        CHECK(check(rule, debian_image("2.36-9"), nullptr).evidence ==
              "the trust store holds no vulnerability feed (vulnerabilities/feed.json)");
        CHECK(check(rule, debian_image("2.36-9"), nullptr).outcome == RuleOutcome::fail);
        rule.feed_required = false;
        CHECK(check(rule, debian_image("2.36-9"), nullptr).outcome == RuleOutcome::pass);
        rule.max_feed_age_days = 7;
        const RuleResult stale = check(rule, debian_image("2.36-9+deb12u3"), &f);
        CHECK(stale.outcome == RuleOutcome::fail);
        CHECK(stale.evidence == "feed " + f.digest + " generated 2026-11-20T00:00:00Z is 8 days old, over maxFeedAgeDays 7 "
                                                    "(now 2026-11-28T00:00:00Z)");
        ImageFacts ubuntu = debian_image("2.35-0ubuntu3");
        ubuntu.packages.os_release["ID"] = "ubuntu";
        CHECK(check(VulnerabilitiesRule{}, ubuntu, &f).evidence ==
              "the dpkg packages of an image whose os-release ID is \"ubuntu\" cannot be checked: the feed covers Debian "
              "(dpkg) and Alpine (apk)");
        const RuleResult bad = check(VulnerabilitiesRule{}, debian_image("two.36"), &f);
        CHECK(bad.outcome == RuleOutcome::fail);
        CHECK(bad.evidence.starts_with("versions that cannot be compared: libc6 two.36: invalid Debian version \"two.36\": "
                                       "upstream version does not start with a digit"));
        ImageFacts scratch;
        CHECK(check(VulnerabilitiesRule{}, scratch, &f).outcome == RuleOutcome::pass);
        ImageFacts truncated = debian_image("2.36-9+deb12u3");
        truncated.packages.database_truncated = true;
        CHECK(check(VulnerabilitiesRule{}, truncated, &f).evidence ==
              "var/lib/dpkg/status was not read completely (over the capture limits): its packages cannot all be checked");
    }

    TEST_CASE("the rule's keys are parsed strictly") {
        auto json = parse_json_strict(R"({"vulnerabilities": {"key": "keys/feed.pub", "feed": "optional",
            "minSeverity": "HIGH", "maxFeedAgeDays": 30, "allow": ["CVE-1"], "mode": "audit"}})", "test");
        REQUIRE(json);
        auto policy = parse_rules_policy(*json, "policy.json", "scopes[0].rules");
        REQUIRE(policy);
        REQUIRE(policy->vulnerabilities);
        CHECK(policy->vulnerabilities->key == "keys/feed.pub");
        CHECK_FALSE(policy->vulnerabilities->feed_required);
        CHECK(policy->vulnerabilities->min_severity == Severity::high);
        CHECK(policy->vulnerabilities->max_feed_age_days == 30);
        CHECK(policy->vulnerabilities->allow == std::vector<std::string>{"CVE-1"});
        CHECK(policy->vulnerabilities->mode == RuleMode::audit);
        const auto refused = [](const std::string& text, const std::string& message) {
            auto j = parse_json_strict(text, "test");
            REQUIRE(j);
            auto p = parse_rules_policy(*j, "policy.json", "scopes[0].rules");
            REQUIRE_FALSE(p);
            CHECK(p.error().message == message);
        };
        refused(R"({"vulnerabilities": {}})",
                "policy.json: scopes[0].rules.vulnerabilities.key: missing: the trust-store key that signs "
                "vulnerabilities/feed.json");
        refused(R"({"vulnerabilities": {"key": "k.pub", "minSeverity": "high"}})",
                "policy.json: scopes[0].rules.vulnerabilities.minSeverity: \"high\" is not LOW, MEDIUM, HIGH or CRITICAL");
        refused(R"({"vulnerabilities": {"key": "k.pub", "feed": "maybe"}})",
                "policy.json: scopes[0].rules.vulnerabilities.feed: \"maybe\" is neither \"required\" nor \"optional\"");
        refused(R"({"vulnerabilities": {"key": "k.pub", "severity": "LOW"}})",
                "policy.json: scopes[0].rules.vulnerabilities.severity: unknown key");
    }
}

}  // namespace edgeverify
