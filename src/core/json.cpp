// Strict JSON parsing: size and depth limits, duplicate keys refused, errors name the document.
#include "edgeverify/json.hpp"

#include <set>
#include <string>
#include <vector>

namespace edgeverify {
namespace {

// Thrown from the parser callback to stop at the first violation; never leaves this file.
struct StrictJsonViolation {
    Error error;
};

}  // namespace

Expected<Json> parse_json_strict(std::string_view text, std::string_view where, JsonLimits limits) {
    const std::string name(where);
    if (text.size() > limits.max_bytes) {
        return make_error(Errc::json_too_large, name + ": JSON document of " + std::to_string(text.size()) +
                                                    " bytes exceeds kMaxJsonDocumentBytes (" +
                                                    std::to_string(limits.max_bytes) + ")");
    }
    std::vector<std::set<std::string>> open_objects;
    const auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
        switch (event) {
            case Json::parse_event_t::object_start:
            case Json::parse_event_t::array_start:
                if (depth >= limits.max_depth) {
                    throw StrictJsonViolation{
                        make_error(Errc::json_too_deep, name + ": JSON nesting deeper than kMaxJsonDepth (" +
                                                            std::to_string(limits.max_depth) + ")")};
                }
                if (event == Json::parse_event_t::object_start) open_objects.emplace_back();
                break;
            case Json::parse_event_t::key: {
                const auto& key = parsed.get_ref<const std::string&>();
                if (!open_objects.back().insert(key).second) {
                    throw StrictJsonViolation{make_error(
                        Errc::json_duplicate_key, name + ": duplicate key \"" + key + "\" in an object")};
                }
                break;
            }
            case Json::parse_event_t::object_end:
                open_objects.pop_back();
                break;
            default:
                break;
        }
        return true;
    };
    try {
        return Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true,
                           /*ignore_comments=*/false);
    } catch (const StrictJsonViolation& violation) {
        return violation.error;
    } catch (const Json::exception& e) {
        return make_error(Errc::json_malformed, name + ": not valid JSON: " + e.what());
    }
}

}  // namespace edgeverify
