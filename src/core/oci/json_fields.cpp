// Typed JSON field accessors shared by the OCI parsers (see json_fields.hpp).
#include "core/oci/json_fields.hpp"

#include "edgeverify/crypto.hpp"

#include <array>
#include <limits>

namespace edgeverify::oci_detail {

JsonPath JsonPath::field(std::string_view key) const {
    std::string path = path_;
    if (!path.empty()) path += '.';
    path += key;
    return JsonPath(where_, std::move(path));
}

JsonPath JsonPath::item(std::size_t index) const {
    return JsonPath(where_, path_ + "[" + std::to_string(index) + "]");
}

std::string JsonPath::describe() const {
    std::string text(where_);
    if (!path_.empty()) {
        text += ": ";
        text += path_;
    }
    return text;
}

std::string describe_json_value(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::boolean:
            return "boolean";
        case Json::value_t::string:
            return "string";
        case Json::value_t::array:
            return "array";
        case Json::value_t::object:
            return "object";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return value.dump();
        case Json::value_t::binary:
            return "binary";
        case Json::value_t::discarded:
            break;
    }
    return "invalid value";
}

Error schema_error(const JsonPath& at, std::string_view problem) {
    return make_error(Errc::schema_violation, at.describe() + ": " + std::string(problem));
}

Error type_error(const JsonPath& at, std::string_view expected, const Json& got) {
    return schema_error(at, "expected " + std::string(expected) + ", got " + describe_json_value(got));
}

Error missing_field(const JsonPath& at) {
    return schema_error(at, "required field is missing");
}

Error located_error(const JsonPath& at, const Error& cause) {
    return make_error(cause.code, at.describe() + ": " + cause.message);
}

Status expect_object(const Json& value, const JsonPath& at) {
    if (!value.is_object()) return type_error(at, "an object", value);
    return {};
}

const Json* find_member(const Json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const Json* find_optional(const Json& object, std::string_view key) {
    const Json* member = find_member(object, key);
    return member == nullptr || member->is_null() ? nullptr : member;
}

Expected<std::string> required_string(const Json& object, std::string_view key, const JsonPath& at) {
    const JsonPath here = at.field(key);
    const Json* member = find_member(object, key);
    if (member == nullptr) return missing_field(here);
    if (!member->is_string()) return type_error(here, "a string", *member);
    return member->get<std::string>();
}

Expected<std::optional<std::string>> optional_string(const Json& object, std::string_view key,
                                                     const JsonPath& at) {
    const Json* member = find_optional(object, key);
    if (member == nullptr) return std::optional<std::string>{};
    if (!member->is_string()) return type_error(at.field(key), "a string", *member);
    return std::optional<std::string>(member->get<std::string>());
}

Expected<std::int64_t> required_size(const Json& object, std::string_view key, const JsonPath& at) {
    const JsonPath here = at.field(key);
    const Json* member = find_member(object, key);
    if (member == nullptr) return missing_field(here);
    constexpr std::string_view kExpected = "a non-negative integer";
    if (member->is_number_unsigned()) {
        const auto value = member->get<std::uint64_t>();
        if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return schema_error(here,
                                "expected a non-negative integer that fits int64, got " + member->dump());
        }
        return static_cast<std::int64_t>(value);
    }
    if (member->is_number_integer()) {
        const auto value = member->get<std::int64_t>();
        if (value < 0) return type_error(here, kExpected, *member);
        return value;
    }
    return type_error(here, kExpected, *member);
}

Expected<Digest> required_digest(const Json& object, std::string_view key, const JsonPath& at) {
    const JsonPath here = at.field(key);
    auto text = required_string(object, key, at);
    if (!text) return text.take_error();
    auto digest = Digest::parse(*text);
    if (!digest) return located_error(here, digest.error());
    return std::move(digest).value();
}

static Status check_media_type(const std::string& value, const JsonPath& here) {
    if (!is_rfc6838_media_type(value)) {
        return schema_error(here,
                            "\"" + value + "\" is not a media type of the form type/subtype (RFC 6838)");
    }
    return {};
}

Expected<std::string> required_media_type(const Json& object, std::string_view key, const JsonPath& at) {
    auto value = required_string(object, key, at);
    if (!value) return value.take_error();
    if (auto ok = check_media_type(*value, at.field(key)); !ok) return ok.take_error();
    return value;
}

Expected<std::optional<std::string>> optional_media_type(const Json& object, std::string_view key,
                                                         const JsonPath& at) {
    auto value = optional_string(object, key, at);
    if (!value) return value.take_error();
    if (value->has_value()) {
        if (auto ok = check_media_type(**value, at.field(key)); !ok) return ok.take_error();
    }
    return value;
}

Expected<std::vector<std::string>> optional_string_array(const Json& object, std::string_view key,
                                                         const JsonPath& at, std::size_t max_items) {
    const JsonPath here = at.field(key);
    std::vector<std::string> items;
    const Json* member = find_optional(object, key);
    if (member == nullptr) return items;
    if (!member->is_array()) return type_error(here, "an array of strings", *member);
    if (member->size() > max_items) {
        return make_error(Errc::limit_exceeded, here.describe() + ": " + std::to_string(member->size()) +
                                                    " items, more than the limit of " +
                                                    std::to_string(max_items));
    }
    items.reserve(member->size());
    for (std::size_t i = 0; i < member->size(); ++i) {
        const Json& item = (*member)[i];
        if (!item.is_string()) return type_error(here.item(i), "a string", item);
        items.push_back(item.get<std::string>());
    }
    return items;
}

Expected<std::map<std::string, std::string>> optional_string_map(const Json& object, std::string_view key,
                                                                 const JsonPath& at) {
    const JsonPath here = at.field(key);
    std::map<std::string, std::string> entries;
    const Json* member = find_optional(object, key);
    if (member == nullptr) return entries;
    if (!member->is_object()) return type_error(here, "an object of strings", *member);
    for (const auto& [name, value] : member->items()) {
        if (!value.is_string()) return type_error(here.field(name), "a string", value);
        entries.emplace(name, value.get<std::string>());
    }
    return entries;
}

static bool is_restricted_name(std::string_view name) {
    // RFC 6838 section 4.2: 1 to 127 characters, starting with a letter or digit.
    if (name.empty() || name.size() > 127) return false;
    auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (!alnum(name.front())) return false;
    for (char c : name) {
        if (!alnum(c) && std::string_view("!#$&^_.+-").find(c) == std::string_view::npos) return false;
    }
    return true;
}

bool is_rfc6838_media_type(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return false;
    return is_restricted_name(text.substr(0, slash)) && is_restricted_name(text.substr(slash + 1));
}

std::optional<std::string> decode_base64_strict(std::string_view text) {
    // The one strict decoder lives with the crypto code; callers here report their own error.
    auto decoded = base64_decode(text, "base64");
    if (!decoded) return std::nullopt;
    return std::move(*decoded);
}

}  // namespace edgeverify::oci_detail
