// The vulnerabilities rule (docs/rules.md): the image's package inventory (dpkg status or apk
// installed database, and os-release) against the trust store's signed feed, with exact
// Debian and Alpine version ordering.
#include <algorithm>

#include "core/rules/version_apk.hpp"
#include "core/rules/version_dpkg.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

// The distribution and release whose feed entries apply to the image, from its inventory.
struct ImageDistribution {
    Distribution distribution = Distribution::debian;
    std::string release;  // "12", "3.19" ("" when os-release has no VERSION_ID)
    std::string shown;    // "Debian 12"
};

std::optional<ImageDistribution> distribution_of(const PackageInventory& inventory) {
    const auto field = [&](const char* key) {
        auto it = inventory.os_release.find(key);
        return it == inventory.os_release.end() ? std::string() : it->second;
    };
    const std::string id = field("ID"), version = field("VERSION_ID");
    if (inventory.ecosystem == "dpkg" && id == "debian") {
        return ImageDistribution{Distribution::debian, version, "Debian" + (version.empty() ? "" : " " + version)};
    }
    if (inventory.ecosystem == "apk" && id == "alpine") {
        // VERSION_ID 3.19.1 is the release 3.19 (the feed's "Alpine:v3.19").
        const std::size_t first = version.find('.');
        const std::size_t second = first == std::string::npos ? first : version.find('.', first + 1);
        const std::string release = version.substr(0, second);
        return ImageDistribution{Distribution::alpine, release, "Alpine " + release};
    }
    return std::nullopt;
}

Expected<int> compare(Distribution distribution, std::string_view a, std::string_view b) {
    return distribution == Distribution::debian ? compare_dpkg_versions(a, b) : compare_apk_versions(a, b);
}

struct Finding {
    std::string text;
    Severity severity = Severity::low;
};

// Whether `version` is affected; `fixed` gets the fixed version of the matching range.
Expected<bool> affects(const AffectedPackage& affected, const std::string& version, std::string& fixed) {
    for (const std::string& listed : affected.versions) {
        auto c = compare(affected.distribution, version, listed);
        if (!c) return c.take_error();
        if (*c == 0) {
            fixed.clear();
            return true;
        }
    }
    for (const AffectedPackage::Range& range : affected.ranges) {
        if (range.introduced != "0") {
            auto c = compare(affected.distribution, version, range.introduced);
            if (!c) return c.take_error();
            if (*c < 0) continue;
        }
        if (range.fixed) {
            auto c = compare(affected.distribution, version, *range.fixed);
            if (!c) return c.take_error();
            if (*c >= 0) continue;
        }
        fixed = range.fixed.value_or("");
        return true;
    }
    return false;
}

std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < 5; ++i) out += (i ? "; " : "") + items[i];
    if (items.size() > 5) out += "; and " + std::to_string(items.size() - 5) + " more";
    return out;
}

}  // namespace

RuleResult check_vulnerabilities(const VulnerabilitiesRule& rule, const ImageFacts& facts, const RuleContext& context,
                                 RuleOutcome failed) {
    const auto verdict = [&](bool ok, std::string evidence) {
        return RuleResult{"vulnerabilities", ok ? RuleOutcome::pass : failed, std::move(evidence)};
    };
    const VulnerabilityFeed* feed = context.vulnerability_feed;
    if (feed == nullptr) {
        if (rule.feed_required) return verdict(false, "the trust store holds no vulnerability feed (vulnerabilities/feed.json)");
        return verdict(true, "the trust store holds no vulnerability feed: not checked (feed is optional)");
    }
    const std::string about_feed = "feed " + feed->digest + " generated " + feed->generated;
    if (rule.max_feed_age_days) {
        // "Now" is never behind the time floor, as for freshness.
        const std::int64_t now = std::max(context.clock_now, context.time_floor.value_or(context.clock_now));
        if (now - feed->generated_seconds > *rule.max_feed_age_days * 86400) {
            return verdict(false, about_feed + " is " + std::to_string((now - feed->generated_seconds) / 86400) +
                                      " days old, over maxFeedAgeDays " + std::to_string(*rule.max_feed_age_days) +
                                      " (now " + format_rfc3339(now) + ")");
        }
    }
    const PackageInventory& inventory = facts.packages;
    if (inventory.database.empty()) return verdict(true, "the image has no package database: nothing to check (" + about_feed + ")");
    if (inventory.database_truncated || inventory.packages_not_listed > 0) {
        return verdict(false, inventory.database + " was not read completely (over the capture limits): its packages "
                                                   "cannot all be checked");
    }
    const auto distribution = distribution_of(inventory);
    if (!distribution) {
        const auto id = inventory.os_release.find("ID");
        return verdict(false, "the " + inventory.ecosystem + " packages of an image whose os-release ID is \"" +
                                  (id == inventory.os_release.end() ? "" : id->second) +
                                  "\" cannot be checked: the feed covers Debian (dpkg) and Alpine (apk)");
    }
    std::vector<std::string> blocking, below, allowed, unreadable;
    for (const Package& package : inventory.packages) {
        for (const Vulnerability& entry : feed->vulnerabilities) {
            for (const AffectedPackage& affected : entry.affected) {
                if (affected.name != package.name || affected.distribution != distribution->distribution) continue;
                if (!affected.release.empty() && affected.release != distribution->release) continue;
                std::string fixed;
                auto hit = affects(affected, package.version, fixed);
                if (!hit) {
                    unreadable.push_back(package.name + " " + package.version + ": " + hit.error().message);
                    break;
                }
                if (!*hit) continue;
                const std::string text = package.name + " " + package.version + " has " + entry.id + " (" +
                                         std::string(severity_name(entry.severity)) + ", " +
                                         (fixed.empty() ? "no fixed version listed" : "fixed in " + fixed) + ")";
                if (std::find(rule.allow.begin(), rule.allow.end(), entry.id) != rule.allow.end()) {
                    allowed.push_back(text);
                } else if (entry.severity >= rule.min_severity) {
                    blocking.push_back(text);
                } else {
                    below.push_back(text);
                }
                break;  // one finding per entry and package
            }
        }
    }
    std::string tail;
    if (!below.empty()) tail += "; below " + std::string(severity_name(rule.min_severity)) + ": " + listed(below);
    if (!allowed.empty()) tail += "; allowed: " + listed(allowed);
    tail += " (" + distribution->shown + ", " + std::to_string(inventory.packages.size()) +
            (inventory.packages.size() == 1 ? " package, " : " packages, ") +
            about_feed + ")";
    if (!unreadable.empty()) return verdict(false, "versions that cannot be compared: " + listed(unreadable) + tail);
    if (!blocking.empty()) {
        return verdict(false, std::to_string(blocking.size()) + " vulnerabilit" + (blocking.size() == 1 ? "y" : "ies") +
                                  " at or above " + std::string(severity_name(rule.min_severity)) + ": " +
                                  listed(blocking) + tail);
    }
    return verdict(true, "no vulnerability at or above " + std::string(severity_name(rule.min_severity)) + tail);
}

}  // namespace edgeverify
