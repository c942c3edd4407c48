// Strict request-target parsing of the operator API (api_query.hpp).
#include "server/api_query.hpp"

#include <charconv>
#include <set>

#include "edgeverify/limits.hpp"
#include "server/report_record.hpp"
#include "server/storage_values.hpp"

namespace edgeverify::server {
namespace {

int hex_value(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

Expected<std::string> percent_decode(std::string_view text, bool plus_is_space, std::string_view where) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            if (i + 2 >= text.size())
                return make_error(Errc::schema_violation, std::string(where) + ": bad percent-encoding");
            const int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
            if (high < 0 || low < 0)
                return make_error(Errc::schema_violation, std::string(where) + ": bad percent-encoding");
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += plus_is_space && text[i] == '+' ? ' ' : text[i];
        }
    }
    if (!is_utf8_without_nul(out))
        return make_error(Errc::schema_violation, std::string(where) + ": not UTF-8 or holds a NUL byte");
    return out;
}

Error bad_parameter(std::string_view name, std::string_view why) {
    return make_error(Errc::schema_violation, "query parameter " + std::string(name) + ": " + std::string(why));
}

}  // namespace

Expected<ApiTarget> parse_api_target(std::string_view target) {
    ApiTarget parsed;
    const auto question = target.find('?');
    const std::string_view path = target.substr(0, question);
    if (path.empty() || path[0] != '/') return make_error(Errc::schema_violation, "path: must start with /");
    for (std::size_t at = 1;;) {
        const auto slash = path.find('/', at);
        auto segment = percent_decode(path.substr(at, slash == std::string_view::npos ? slash : slash - at),
                                      false, "path");
        if (!segment) return segment.take_error();
        parsed.segments.push_back(std::move(*segment));
        if (slash == std::string_view::npos) break;
        at = slash + 1;
    }
    if (question == std::string_view::npos) return parsed;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        auto name = percent_decode(pair.substr(0, equals), true, "query parameter name");
        if (!name) return name.take_error();
        auto value = percent_decode(equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1),
                                    true, "query parameter " + *name);
        if (!value) return value.take_error();
        parsed.query.emplace_back(std::move(*name), std::move(*value));
    }
    return parsed;
}

Expected<std::map<std::string, std::string>> query_parameters(const ApiTarget& target,
                                                              std::initializer_list<std::string_view> allowed) {
    std::map<std::string, std::string> query;
    for (const auto& [name, value] : target.query) {
        bool known = false;
        for (auto a : allowed) known = known || a == name;
        if (!known) return make_error(Errc::schema_violation, "unknown query parameter " + name);
        if (!query.emplace(name, value).second)
            return make_error(Errc::schema_violation, "query parameter " + name + " is given twice");
    }
    return query;
}

Expected<std::size_t> page_limit_parameter(const std::map<std::string, std::string>& query) {
    auto found = query.find("limit");
    if (found == query.end()) return std::size_t{50};
    const std::string& text = found->second;
    std::size_t limit = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || limit < 1 ||
        limit > limits::kMaxApiPageSize || text[0] == '0')
        return bad_parameter("limit", "must be an integer from 1 to " + std::to_string(limits::kMaxApiPageSize));
    return limit;
}

Expected<std::optional<std::int64_t>> time_parameter(const std::map<std::string, std::string>& query,
                                                     std::string_view name) {
    auto found = query.find(std::string(name));
    if (found == query.end()) return std::optional<std::int64_t>{};
    auto seconds = parse_rfc3339_utc(found->second, "x");
    if (!seconds) return bad_parameter(name, "must be an RFC 3339 UTC time like 2026-11-28T06:00:00Z");
    return std::optional<std::int64_t>{*seconds};
}

Expected<std::optional<std::string>> choice_parameter(const std::map<std::string, std::string>& query,
                                                      std::string_view name,
                                                      std::initializer_list<std::string_view> choices) {
    auto found = query.find(std::string(name));
    if (found == query.end()) return std::optional<std::string>{};
    std::string listed;
    for (auto choice : choices) {
        if (found->second == choice) return std::optional<std::string>{found->second};
        listed += (listed.empty() ? "" : ", ") + std::string(choice);
    }
    return bad_parameter(name, "must be one of " + listed);
}

Expected<std::optional<std::string>> text_parameter(const std::map<std::string, std::string>& query,
                                                    std::string_view name) {
    auto found = query.find(std::string(name));
    if (found == query.end()) return std::optional<std::string>{};
    if (found->second.empty()) return bad_parameter(name, "must not be empty");
    return std::optional<std::string>{found->second};
}

bool is_sha256_digest(std::string_view text) {
    if (text.size() != 71 || !text.starts_with("sha256:")) return false;
    for (char c : text.substr(7))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::optional<std::int64_t> parse_report_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id < 1 || text[0] == '0')
        return std::nullopt;
    return id;
}

}  // namespace edgeverify::server
