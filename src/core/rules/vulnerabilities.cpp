// The vulnerabilities rule (docs/rules.md): the image's package inventory (dpkg status or apk
// installed database, and os-release) against the trust store's signed feed, matched by binary or
// source package name, with exact Debian and Alpine version ordering.
#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>

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

// An entry names a package by its binary name (the installed version is compared) or by its
// source name (the source version is compared: Debian's and Alpine's data are keyed by source).
// A package matched both ways is affected when either version is, and is reported once.
Expected<bool> affects_package(const AffectedPackage& affected, const Package& package, std::string& fixed) {
    if (affected.name == package.name) {
        auto hit = affects(affected, package.version, fixed);
        if (!hit || *hit) return hit;
    }
    const bool source_differs = package.source != package.name || package.source_version != package.version;
    if (affected.name == package.source && source_differs) return affects(affected, package.source_version, fixed);
    return false;
}

// "libc6 2.36-9", "libssl3 (source openssl) 3.0.11-1", and the source's version when it is not
// the binary's: "libssl3 (source openssl 3.0.11-1) 3.0.11-1+b1".
std::string package_shown(const Package& p) {
    if (p.source == p.name && p.source_version == p.version) return p.name + " " + p.version;
    return p.name + " (source " + p.source + (p.source_version == p.version ? "" : " " + p.source_version) + ") " +
           p.version;
}

// The feed's affected packages of the image's distribution and release, by package name:
// (entry, affected) index pairs in feed order. Matching then costs a lookup per package, not a
// pass over the whole feed.
using EntryRef = std::pair<std::size_t, std::size_t>;
using FeedIndex = std::unordered_map<std::string_view, std::vector<EntryRef>>;

FeedIndex index_feed(const VulnerabilityFeed& feed, const ImageDistribution& image) {
    FeedIndex index;
    for (std::size_t e = 0; e < feed.vulnerabilities.size(); ++e) {
        const std::vector<AffectedPackage>& affected = feed.vulnerabilities[e].affected;
        for (std::size_t a = 0; a < affected.size(); ++a) {
            if (affected[a].distribution != image.distribution) continue;
            if (!affected[a].release.empty() && affected[a].release != image.release) continue;
            index[affected[a].name].emplace_back(e, a);
        }
    }
    return index;
}

// The entries naming the package's binary or source name, in feed order.
std::vector<EntryRef> entries_naming(const FeedIndex& index, const Package& package) {
    std::vector<EntryRef> out;
    for (const std::string* name : {&package.name, &package.source}) {
        if (name == &package.source && package.source == package.name) break;
        if (auto it = index.find(*name); it != index.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
    std::sort(out.begin(), out.end());
    return out;
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
    const FeedIndex index = index_feed(*feed, *distribution);
    for (const Package& package : inventory.packages) {
        std::optional<std::size_t> decided;  // the entry that already gave this package a finding
        for (const auto& [e, a] : entries_naming(index, package)) {
            if (decided == e) continue;  // one finding per entry and package
            const Vulnerability& entry = feed->vulnerabilities[e];
            std::string fixed;
            auto hit = affects_package(entry.affected[a], package, fixed);
            if (!hit) {
                unreadable.push_back(package_shown(package) + ": " + hit.error().message);
                decided = e;
                continue;
            }
            if (!*hit) continue;
            decided = e;
            const std::string text = package_shown(package) + " has " + entry.id + " (" +
                                     std::string(severity_name(entry.severity)) + ", " +
                                     (fixed.empty() ? "no fixed version listed" : "fixed in " + fixed) + ")";
            if (std::find(rule.allow.begin(), rule.allow.end(), entry.id) != rule.allow.end()) {
                allowed.push_back(text);
            } else if (entry.severity >= rule.min_severity) {
                blocking.push_back(text);
            } else {
                below.push_back(text);
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
