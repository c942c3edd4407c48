// Strict proto3-JSON field access for the Sigstore bundle parser (see bundle_fields.hpp).
#include "sigstore/bundle_fields.hpp"

#include <limits>

#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::sigstore_detail {

At At::field(std::string_view key) const {
    return At(where_, path_.empty() ? std::string(key) : path_ + "." + std::string(key));
}

At At::item(std::size_t index) const {
    return At(where_, path_ + "[" + std::to_string(index) + "]");
}

Error violation(const At& at, std::string_view problem) {
    std::string message(at.where());
    if (!at.path().empty()) message += ": " + at.path();
    return make_error(Errc::schema_violation, message + ": " + std::string(problem));
}

namespace {

std::string type_name(const Json& value) {
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    if (value.is_string()) return "a string";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number()) return "the number " + value.dump();
    return "null";
}

Error type_error(const At& at, std::string_view expected, const Json& got) {
    return violation(at, "expected " + std::string(expected) + ", got " + type_name(got));
}

}  // namespace

Status only_members(const Json& value, const At& at, std::initializer_list<std::string_view> members) {
    if (!value.is_object()) return type_error(at, "an object", value);
    for (const auto& [key, _] : value.items()) {
        bool known = false;
        for (auto m : members) known = known || key == m;
        if (!known) return violation(at, "unknown member \"" + key + "\"");
    }
    return {};
}

const Json* member(const Json& object, std::string_view key) {
    auto it = object.find(std::string(key));
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

Expected<std::string> string_field(const Json& object, std::string_view key, const At& at, bool required) {
    const At here = at.field(key);
    const Json* value = member(object, key);
    if (value == nullptr) {
        if (required) return violation(here, "required member is missing");
        return std::string();
    }
    if (!value->is_string()) return type_error(here, "a string", *value);
    std::string text = value->get<std::string>();
    if (required && text.empty()) return violation(here, "must not be empty");
    return text;
}

Expected<std::string> bytes_field(const Json& object, std::string_view key, const At& at, bool required) {
    auto text = string_field(object, key, at, required);
    if (!text) return text.take_error();
    auto bytes = base64_decode(*text, "");
    if (!bytes) {
        const std::string& why = bytes.error().message;  // ": not valid base64 (<reason>)"
        const auto open = why.find(" (");
        return violation(at.field(key),
                         "invalid base64" + (open == std::string::npos ? "" : why.substr(open)));
    }
    return std::move(*bytes);
}

Expected<std::int64_t> int64_field(const Json& object, std::string_view key, const At& at) {
    const At here = at.field(key);
    const Json* value = member(object, key);
    if (value == nullptr) return std::int64_t{0};
    if (value->is_number_unsigned()) {
        const auto n = value->get<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return violation(here, "out of the int64 range");
        return static_cast<std::int64_t>(n);
    }
    if (value->is_number_integer()) return violation(here, "must not be negative, got " + value->dump());
    if (!value->is_string()) return type_error(here, "an int64 (decimal string or integer)", *value);
    const std::string text = value->get<std::string>();
    if (!text.empty() && text[0] == '-' && text.size() > 1 &&
        text.find_first_not_of("0123456789", 1) == std::string::npos)
        return violation(here, "must not be negative, got \"" + text + "\"");
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
        return violation(here, "expected a decimal int64 string, got \"" + text + "\"");
    const auto n = std::stoull(text);
    if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return violation(here, "out of the int64 range");
    return static_cast<std::int64_t>(n);
}

Expected<const Json*> array_field(const Json& object, std::string_view key, const At& at) {
    const Json* value = member(object, key);
    if (value == nullptr) return static_cast<const Json*>(nullptr);
    if (!value->is_array()) return type_error(at.field(key), "an array", *value);
    if (value->size() > limits::kMaxBundleListEntries) {
        const At here = at.field(key);
        return make_error(Errc::limit_exceeded,
                          violation(here, std::to_string(value->size()) + " entries, more than " +
                                              std::to_string(limits::kMaxBundleListEntries) +
                                              " (kMaxBundleListEntries)")
                              .message);
    }
    return value;
}

Expected<const Json*> object_field(const Json& object, std::string_view key, const At& at, bool required,
                                   std::initializer_list<std::string_view> members) {
    const At here = at.field(key);
    const Json* value = member(object, key);
    if (value == nullptr) {
        if (required) return violation(here, "required member is missing");
        return static_cast<const Json*>(nullptr);
    }
    if (auto s = only_members(*value, here, members); !s) return s.take_error();
    return value;
}

}  // namespace edgeverify::sigstore_detail
