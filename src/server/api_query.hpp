// Request targets of the operator API taken apart strictly (docs/server-api.md "Conventions"):
// percent-decoded path segments and query parameters, and the typed parameter values. Every
// failure is a message naming the part, for a 400 bad-request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify::server {

struct ApiTarget {
    std::vector<std::string> segments;              // "/api/v1/devices/x" -> {"api", "v1", "devices", "x"}
    std::vector<std::pair<std::string, std::string>> query;  // in order, decoded
};

// "%XX" decodes to a byte; in the query, '+' is a space (as browsers' URLSearchParams send it;
// a plus is "%2B"). Bad escapes, and decoded text that is not UTF-8 or holds NUL, are errors.
Expected<ApiTarget> parse_api_target(std::string_view target);

// The query as name -> value. A name outside `allowed` is "unknown query parameter NAME"; a
// name given twice is "query parameter NAME is given twice".
Expected<std::map<std::string, std::string>> query_parameters(const ApiTarget& target,
                                                              std::initializer_list<std::string_view> allowed);

// The typed values; each error message starts with "query parameter NAME: ".
Expected<std::size_t> page_limit_parameter(const std::map<std::string, std::string>& query);  // 1..200, default 50
Expected<std::optional<std::int64_t>> time_parameter(const std::map<std::string, std::string>& query,
                                                     std::string_view name);  // RFC 3339 UTC
// The value when it is one of `choices`.
Expected<std::optional<std::string>> choice_parameter(const std::map<std::string, std::string>& query,
                                                      std::string_view name,
                                                      std::initializer_list<std::string_view> choices);
// A non-empty value.
Expected<std::optional<std::string>> text_parameter(const std::map<std::string, std::string>& query,
                                                    std::string_view name);

// "sha256:" + 64 lowercase hex digits.
bool is_sha256_digest(std::string_view text);
// A positive decimal report id without leading zeros, up to 2^63-1.
std::optional<std::int64_t> parse_report_id(std::string_view text);

}  // namespace edgeverify::server
