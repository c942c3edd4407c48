// Freshness (docs/rules.md): config `created` against the device's trusted "now", which is never
// behind the time floor (state_dir/time_floor, the newest trusted time seen), so a gateway whose
// clock reset to 1970 cannot be fooled into admitting a stale image.
#include <algorithm>
#include <cstdio>

#include "edgeverify/civil_time.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

std::string time_floor_path(const StateDirectory& state) { return state.root + "/time_floor"; }

}  // namespace

std::optional<std::int64_t> parse_rfc3339_seconds(std::string_view s) {
    int year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
        s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    std::size_t at = 19;
    if (at < s.size() && s[at] == '.') {
        ++at;
        const std::size_t start = at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
        if (at == start) return std::nullopt;
    }
    std::int64_t offset = 0;
    const std::string_view zone = s.substr(at);
    if (zone == "Z" || zone == "z") {
        offset = 0;
    } else {
        int oh, om;
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !digits(zone, 1, 2, oh) || zone[3] != ':' ||
            !digits(zone, 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset = (zone[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
    const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * 86400 + hour * 3600 + minute * 60 + std::min(second, 59) - offset;
}

std::string format_rfc3339(std::int64_t seconds) {
    // In 64-bit arithmetic, never time_t: armhf's time_t is 32-bit and ends in 2038.
    const std::int64_t days = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
    const std::int64_t in_day = seconds - days * 86400;
    const CivilDate date = civil_from_days(days);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(date.year), date.month,
                  date.day, static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                  static_cast<int>(in_day % 60));
    return buf;
}

Expected<std::optional<std::int64_t>> read_time_floor(const StateDirectory& state) {
    auto text = read_state_file(time_floor_path(state), limits::kMaxTimeFloorFileBytes);
    if (!text) return text.take_error();
    if (!*text) return std::optional<std::int64_t>{};
    std::string_view value = **text;
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.remove_suffix(1);
    auto seconds = parse_rfc3339_seconds(value);
    if (!seconds) {
        return make_error(Errc::config, time_floor_path(state) + ": not an RFC 3339 time: the time floor is corrupt; "
                                                                 "restore it or remove it deliberately (docs/rules.md)");
    }
    return std::optional<std::int64_t>{*seconds};
}

Status raise_time_floor(const StateDirectory& state, std::int64_t seconds) {
    auto current = read_time_floor(state);
    if (!current) return current.take_error();
    if (*current && **current >= seconds) return {};
    return write_file_durably(time_floor_path(state), format_rfc3339(seconds) + "\n");
}

RuleResult check_freshness(const FreshnessRule& rule, const ImageFacts& facts, const RuleContext& context,
                           RuleOutcome failed) {
    const auto verdict = [&](bool ok, std::string evidence) {
        return RuleResult{"freshness", ok ? RuleOutcome::pass : failed, std::move(evidence)};
    };
    if (facts.created.empty()) return verdict(false, "the image config has no created time");
    const auto created = parse_rfc3339_seconds(facts.created);
    if (!created) return verdict(false, "config created \"" + facts.created + "\" is not an RFC 3339 time");
    // Never judge by a clock behind the newest trusted time seen.
    std::int64_t now = context.clock_now;
    std::string now_source = "device clock";
    if (context.time_floor && *context.time_floor > now) {
        now = *context.time_floor;
        now_source = "time floor (the device clock " + format_rfc3339(context.clock_now) + " is behind it)";
    }
    const std::string judged = " (now " + format_rfc3339(now) + " from the " + now_source + ")";
    if (*created - now > rule.max_future_skew_seconds) {
        return verdict(false, "created " + facts.created + " is " + std::to_string(*created - now) +
                                  " s in the future, over maxFutureSkewSeconds " +
                                  std::to_string(rule.max_future_skew_seconds) + judged);
    }
    const std::int64_t age_days = (now - *created) / 86400;
    if (rule.max_age_days && now - *created > *rule.max_age_days * 86400) {
        return verdict(false, "created " + facts.created + " is " + std::to_string(age_days) +
                                  " days old, over maxAgeDays " + std::to_string(*rule.max_age_days) + judged);
    }
    return verdict(true, "created " + facts.created + ", " + std::to_string(std::max<std::int64_t>(age_days, 0)) +
                             " days old" + judged);
}

}  // namespace edgeverify
