// Whiteouts of higher layers remove findings about the paths they delete (image_facts.hpp,
// apply_recorded_whiteouts), never findings of their own layer or above, never escaping paths.
#include <doctest/doctest.h>

#include "edgeverify/image_facts.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

ImageFinding at(std::size_t layer, FindingKind kind, std::string path) {
    return ImageFinding{layer, "sha256:" + std::string(64, static_cast<char>('0' + layer)), kind, std::move(path), "", std::nullopt};
}

}  // namespace

TEST_SUITE("rules whiteouts") {
    TEST_CASE("a .wh. file deletes the path and everything under it, from lower layers only") {
        std::vector<ImageFinding> f = {at(0, FindingKind::setuid, "usr/bin/suidhelper"),
                                       at(0, FindingKind::world_writable, "./srv/data/cache"),
                                       at(0, FindingKind::setuid, "usr/bin/suidhelper2"),
                                       at(1, FindingKind::whiteout, "usr/bin/.wh.suidhelper"),
                                       at(1, FindingKind::whiteout, "srv/.wh.data"),
                                       at(1, FindingKind::setuid, "usr/bin/suidhelper"),  // re-added above it
                                       at(2, FindingKind::device_node, "dev/sda")};
        apply_recorded_whiteouts(f);
        CHECK(f[0].deleted_by_layer == std::optional<std::size_t>(1));
        CHECK(f[1].deleted_by_layer == std::optional<std::size_t>(1));
        CHECK_FALSE(f[2].deleted_by_layer);  // "suidhelper2" is not "suidhelper"
        CHECK_FALSE(f[5].deleted_by_layer);  // the whiteout's own layer
        CHECK_FALSE(f[6].deleted_by_layer);
    }

    TEST_CASE("an opaque whiteout hides what is under its directory, not the directory") {
        std::vector<ImageFinding> f = {at(0, FindingKind::world_writable, "var/tmp"),
                                       at(0, FindingKind::world_writable, "var/tmp/x"),
                                       at(0, FindingKind::watched_path, "var/tmp/y/bin/sh"),
                                       at(2, FindingKind::opaque_whiteout, "var/tmp/.wh..wh..opq"),
                                       at(3, FindingKind::world_writable, "var/tmp/z")};
        apply_recorded_whiteouts(f);
        CHECK_FALSE(f[0].deleted_by_layer);
        CHECK(f[1].deleted_by_layer == std::optional<std::size_t>(2));
        CHECK(f[2].deleted_by_layer == std::optional<std::size_t>(2));
        CHECK_FALSE(f[4].deleted_by_layer);
    }

    TEST_CASE("escaping and absolute paths stand even when deleted later; the lowest deleting layer is named") {
        std::vector<ImageFinding> f = {at(0, FindingKind::escaping_link, "a/link"),
                                       at(0, FindingKind::setuid, "a/tool"),
                                       at(3, FindingKind::whiteout, ".wh.a"),
                                       at(1, FindingKind::whiteout, "a/.wh.tool")};
        apply_recorded_whiteouts(f);
        CHECK_FALSE(f[0].deleted_by_layer);
        CHECK(f[1].deleted_by_layer == std::optional<std::size_t>(1));
    }

    TEST_CASE("leastPrivilege ignores a deleted setuid file and still fails on the others") {
        ImageFacts facts;
        facts.user = "1000";
        facts.findings = {at(0, FindingKind::setuid, "usr/bin/gone"), at(0, FindingKind::setuid, "usr/bin/kept"),
                          at(1, FindingKind::whiteout, "usr/bin/.wh.gone")};
        apply_recorded_whiteouts(facts.findings);
        const RuleResult r = check_least_privilege(LeastPrivilegeRule{}, facts, RuleOutcome::fail);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence == "setuid usr/bin/kept () in layer 0 (sha256:" + std::string(64, '0') + ")");
    }
}

}  // namespace edgeverify
