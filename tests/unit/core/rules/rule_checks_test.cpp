// Each image rule, pass and fail, with the exact evidence it gives.
#include <doctest/doctest.h>

#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

const std::string kBase = "sha256:" + std::string(64, 'b');
const std::string kManifest = "sha256:" + std::string(64, 'c');

ImageFacts sample_facts() {
    ImageFacts f;
    f.manifest_digest = kManifest;
    f.layers = {{0, "sha256:" + std::string(64, '1'), 100, 1000}, {1, "sha256:" + std::string(64, '2'), 50, 400}};
    f.compressed_bytes = 150;
    f.uncompressed_bytes = 1400;
    f.user = "1000:1000";
    f.created = "2026-11-01T00:00:00Z";
    f.base_digest = kBase;
    f.base_name = "docker.io/library/debian:12";
    return f;
}

RuleContext context_for(const std::string& reference) {
    auto ref = parse_image_reference(reference);
    REQUIRE(ref);
    return RuleContext{*ref, kManifest, "", *parse_rfc3339_seconds("2026-11-28T00:00:00Z"), {}, {}};
}

constexpr RuleOutcome kFail = RuleOutcome::fail;

}  // namespace

TEST_SUITE("rules checks") {
    TEST_CASE("trustedBases: a listed digest or a matching name passes") {
        CHECK(check_trusted_bases({RuleMode::enforce, {kBase}, {}, false}, sample_facts(), kFail).evidence ==
              "base digest " + kBase + " is listed");
        const auto by_name = check_trusted_bases({RuleMode::enforce, {}, {"docker.io/library/*"}, false}, sample_facts(), kFail);
        CHECK(by_name.outcome == RuleOutcome::pass);
        CHECK(by_name.evidence == "base name docker.io/library/debian:12 matches \"docker.io/library/*\"");
    }

    TEST_CASE("trustedBases: an unlisted base fails, naming it") {
        const auto r = check_trusted_bases({RuleMode::enforce, {"sha256:" + std::string(64, 'e')}, {"docker.io/library/alpine"}, false},
                                           sample_facts(), kFail);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence == "base digest " + kBase + ", name docker.io/library/debian:12 is not in the trusted bases");
    }

    TEST_CASE("trustedBases: no annotation fails only with requireAnnotation") {
        ImageFacts f = sample_facts();
        f.base_digest.clear();
        f.base_name.clear();
        const auto required = check_trusted_bases({RuleMode::enforce, {kBase}, {}, true}, f, RuleOutcome::audit_fail);
        CHECK(required.outcome == RuleOutcome::audit_fail);
        CHECK(required.evidence ==
              "the image names no base (no org.opencontainers.image.base.digest or .base.name annotation)");
        CHECK(check_trusted_bases({RuleMode::enforce, {kBase}, {}, false}, f, kFail).outcome == RuleOutcome::pass);
    }

    TEST_CASE("registries: the registry must be listed") {
        const RegistriesRule rule{RuleMode::enforce, {"registry.example.com"}, false};
        CHECK(check_registries(rule, context_for("registry.example.com/fleet/app:1.0"), kFail).outcome == RuleOutcome::pass);
        const auto r = check_registries(rule, context_for("ghcr.io/fleet/app:1.0"), kFail);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence == "registry ghcr.io of ghcr.io/fleet/app:1.0 is not in the allowed registries");
    }

    TEST_CASE("registries: requireDigestReference refuses a tag with the digest it resolved to") {
        const RegistriesRule rule{RuleMode::enforce, {}, true};
        const auto r = check_registries(rule, context_for("registry.example.com/fleet/app:1.0"), kFail);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence == "reference registry.example.com/fleet/app:1.0 names a tag, not a digest: use "
                            "registry.example.com/fleet/app@" + kManifest + " (the digest it resolved to)");
        CHECK(check_registries(rule, context_for("registry.example.com/fleet/app@" + kManifest), kFail).outcome ==
              RuleOutcome::pass);
        const std::string other = "sha256:" + std::string(64, 'd');
        CHECK(check_registries(rule, context_for("registry.example.com/fleet/app@" + other), kFail).evidence ==
              "reference registry.example.com/fleet/app@" + other + " names " + other + ", not the verified image " +
                  kManifest);
    }

    TEST_CASE("layers: each limit is named when exceeded") {
        CHECK(check_layers({RuleMode::enforce, 2, 150, 100, 1400, 1000}, sample_facts(), kFail).outcome == RuleOutcome::pass);
        CHECK(check_layers({RuleMode::enforce, 1, {}, {}, {}, {}}, sample_facts(), kFail).evidence ==
              "layer count 2 is over maxCount 1");
        CHECK(check_layers({RuleMode::enforce, {}, 149, {}, {}, {}}, sample_facts(), kFail).evidence ==
              "total size 150 is over maxTotalBytes 149");
        CHECK(check_layers({RuleMode::enforce, {}, {}, 99, {}, {}}, sample_facts(), kFail).evidence ==
              "layer 0 (sha256:" + std::string(64, '1') + ") size 100 is over maxLayerBytes 99");
        CHECK(check_layers({RuleMode::enforce, {}, {}, {}, 1399, {}}, sample_facts(), kFail).evidence ==
              "total uncompressed size 1400 is over maxTotalUncompressedBytes 1399");
        CHECK(check_layers({RuleMode::enforce, {}, {}, {}, {}, 999}, sample_facts(), kFail).evidence ==
              "layer 0 (sha256:" + std::string(64, '1') + ") uncompressed size 1000 is over maxLayerUncompressedBytes 999");
    }

    TEST_CASE("leastPrivilege: root user in every spelling") {
        for (const char* user : {"", "0", "root", "0:0", "root:root"}) {
            CAPTURE(user);
            ImageFacts f = sample_facts();
            f.user = user;
            const auto r = check_least_privilege(LeastPrivilegeRule{}, f, kFail);
            CHECK(r.outcome == RuleOutcome::fail);
            CHECK(r.evidence == "config User \"" + std::string(user) + "\" runs as root");
        }
        CHECK(check_least_privilege(LeastPrivilegeRule{}, sample_facts(), kFail).evidence ==
              "no root user and no forbidden entries");
    }

    TEST_CASE("leastPrivilege: findings name the layer and path; switched-off kinds pass") {
        ImageFacts f = sample_facts();
        const std::string layer = "sha256:" + std::string(64, '2');
        f.findings = {{1, layer, FindingKind::setuid, "usr/bin/passwd", "4755", std::nullopt},
                      {1, layer, FindingKind::world_writable, "data", "0777", std::nullopt},
                      {1, layer, FindingKind::device_node, "dev/sda", "block 8:0", std::nullopt},
                      {1, layer, FindingKind::watched_path, "bin/sh", "present", std::nullopt}};
        LeastPrivilegeRule rule;
        rule.forbidden_paths = {"bin/sh"};
        const auto r = check_least_privilege(rule, f, kFail);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence == "setuid usr/bin/passwd (4755) in layer 1 (" + layer + "); world-writable data (0777) in layer 1 (" +
                                layer + "); device-node dev/sda (block 8:0) in layer 1 (" + layer +
                                "); watched-path bin/sh (present) in layer 1 (" + layer + ")");
        LeastPrivilegeRule off;
        off.forbid_setuid = off.forbid_world_writable = off.forbid_device_nodes = false;
        CHECK(check_least_privilege(off, f, kFail).outcome == RuleOutcome::pass);  // bin/sh not forbidden here
    }

    TEST_CASE("leastPrivilege: findings past the per-layer limit fail closed") {
        ImageFacts f = sample_facts();
        f.findings_not_listed = 3;
        CHECK(check_least_privilege(LeastPrivilegeRule{}, f, kFail).evidence ==
              "3 finding(s) not listed (over limits::kMaxFindingsPerLayer)");
    }

    TEST_CASE("freshness: age and future skew against the device clock") {
        const FreshnessRule rule{RuleMode::enforce, 30, 300};
        const RuleContext ctx = context_for("registry.example.com/fleet/app:1.0");
        const auto fresh = check_freshness(rule, sample_facts(), ctx, kFail);
        CHECK(fresh.outcome == RuleOutcome::pass);
        CHECK(fresh.evidence == "created 2026-11-01T00:00:00Z, 27 days old (now 2026-11-28T00:00:00Z from the device clock)");
        const auto stale = check_freshness({RuleMode::enforce, 20, 300}, sample_facts(), ctx, kFail);
        CHECK(stale.evidence ==
              "created 2026-11-01T00:00:00Z is 27 days old, over maxAgeDays 20 (now 2026-11-28T00:00:00Z from the device clock)");
        ImageFacts future = sample_facts();
        future.created = "2026-11-28T00:10:00Z";
        CHECK(check_freshness(rule, future, ctx, kFail).evidence ==
              "created 2026-11-28T00:10:00Z is 600 s in the future, over maxFutureSkewSeconds 300 (now "
              "2026-11-28T00:00:00Z from the device clock)");
    }

    TEST_CASE("freshness: a clock behind the time floor is not trusted") {
        RuleContext ctx = context_for("registry.example.com/fleet/app:1.0");
        ctx.clock_now = 0;  // a gateway without RTC, booted in 1970
        ctx.time_floor = *parse_rfc3339_seconds("2027-06-01T00:00:00Z");
        const auto r = check_freshness({RuleMode::enforce, 90, 300}, sample_facts(), ctx, kFail);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence == "created 2026-11-01T00:00:00Z is 212 days old, over maxAgeDays 90 (now 2027-06-01T00:00:00Z "
                            "from the time floor (the device clock 1970-01-01T00:00:00Z is behind it))");
    }

    TEST_CASE("freshness: no or unreadable created time fails") {
        ImageFacts f = sample_facts();
        f.created = "";
        CHECK(check_freshness({}, f, context_for("a.io/b:1"), kFail).evidence == "the image config has no created time");
        f.created = "last tuesday";
        CHECK(check_freshness({}, f, context_for("a.io/b:1"), kFail).evidence ==
              "config created \"last tuesday\" is not an RFC 3339 time");
    }

    TEST_CASE("rollback: semver against the floor, else created") {
        RuleContext ctx = context_for("registry.example.com/fleet/app:1.0");
        ImageFacts f = sample_facts();
        f.version = "1.2.0";
        CHECK(check_rollback({}, f, ctx, kFail).evidence == "no floor yet for registry.example.com/fleet/app");
        ctx.rollback_floor = Json{{"version", "1.10.0"}, {"created", "2026-01-01T00:00:00Z"}, {"digest", "sha256:x"},
                                  {"admittedAt", "2026-02-01T00:00:00Z"}};
        const auto below = check_rollback({}, f, ctx, kFail);
        CHECK(below.outcome == RuleOutcome::fail);
        CHECK(below.evidence == "registry.example.com/fleet/app: version 1.2.0 against the floor 1.10.0 is a rollback "
                                "(floor set by sha256:x admitted 2026-02-01T00:00:00Z)");
        f.version = "1.10.0";
        CHECK(check_rollback({}, f, ctx, kFail).outcome == RuleOutcome::pass);
        f.version = "";  // no version: created decides (2026-11-01 is after the floor's 2026-01-01)
        CHECK(check_rollback({}, f, ctx, kFail).evidence ==
              "registry.example.com/fleet/app: created 2026-11-01T00:00:00Z against the floor's created "
              "2026-01-01T00:00:00Z, not below it");
    }

    TEST_CASE("evaluate_rules: enforce vs audit rule modes and scopes") {
        RulesPolicy policy;
        policy.layers = LayersRule{RuleMode::enforce, 1, {}, {}, {}, {}};
        policy.least_privilege = LeastPrivilegeRule{};
        policy.least_privilege->mode = RuleMode::audit;
        ImageFacts f = sample_facts();
        f.user = "root";
        const auto ctx = context_for("a.io/b:1");
        auto enforced = evaluate_rules(policy, PolicyMode::enforce, f, ctx);
        REQUIRE(enforced.size() == 2);
        CHECK(enforced[0].rule == "layers");
        CHECK(enforced[0].outcome == RuleOutcome::fail);
        CHECK(enforced[1].rule == "leastPrivilege");
        CHECK(enforced[1].outcome == RuleOutcome::audit_fail);
        auto audited = evaluate_rules(policy, PolicyMode::audit, f, ctx);
        CHECK(audited[0].outcome == RuleOutcome::audit_fail);
        CHECK(rules_to_json(enforced)[0] == Json{{"rule", "layers"}, {"outcome", "fail"},
                                                 {"evidence", "layer count 2 is over maxCount 1"}});
    }
}

}  // namespace edgeverify
