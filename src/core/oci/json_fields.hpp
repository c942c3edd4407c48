// Typed access to the fields of a parsed JSON document, with errors that name the document and
// the JSON path ("manifest sha256:ab..: layers[2].size: expected ..."). Private to src/core/oci.
//
// Optional fields treat JSON null like an absent field (Go tooling writes null for empty maps and
// slices); required fields never accept null.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"

namespace edgeverify::oci_detail {

// Where a value sits: the document (`where`, which must outlive the path) and the JSON path
// inside it ("" for the document root).
class JsonPath {
public:
    explicit JsonPath(std::string_view where) : where_(where) {}

    JsonPath field(std::string_view key) const;
    JsonPath item(std::size_t index) const;

    std::string_view where() const { return where_; }
    const std::string& path() const { return path_; }
    // "manifest sha256:ab..: layers[2].size", or only the document name at the root.
    std::string describe() const;

private:
    JsonPath(std::string_view where, std::string path) : where_(where), path_(std::move(path)) {}
    std::string_view where_;
    std::string path_;
};

// "string", "object", ...; numbers are shown by value ("-1", "1.5") because their type is
// rarely the problem.
std::string describe_json_value(const Json& value);

// "<where>: <path>: <problem>" with Errc::schema_violation.
Error schema_error(const JsonPath& at, std::string_view problem);
// "<where>: <path>: expected <expected>, got <what it is>".
Error type_error(const JsonPath& at, std::string_view expected, const Json& got);
// "<where>: <path>: required field is missing".
Error missing_field(const JsonPath& at);
// Keeps the code of `cause` (e.g. from Digest::parse) and prefixes the location.
Error located_error(const JsonPath& at, const Error& cause);

Status expect_object(const Json& value, const JsonPath& at);

// The member `key` of `object` (an object), or nullptr when absent. find_optional also returns
// nullptr for a JSON null.
const Json* find_member(const Json& object, std::string_view key);
const Json* find_optional(const Json& object, std::string_view key);

// Accessors for a member `key` of `object`; `at` is the path of `object`.
Expected<std::string> required_string(const Json& object, std::string_view key, const JsonPath& at);
Expected<std::optional<std::string>> optional_string(const Json& object, std::string_view key,
                                                     const JsonPath& at);
// An int64 >= 0 (descriptor size).
Expected<std::int64_t> required_size(const Json& object, std::string_view key, const JsonPath& at);
Expected<Digest> required_digest(const Json& object, std::string_view key, const JsonPath& at);
// An RFC 6838 "type/subtype" string.
Expected<std::string> required_media_type(const Json& object, std::string_view key, const JsonPath& at);
Expected<std::optional<std::string>> optional_media_type(const Json& object, std::string_view key,
                                                         const JsonPath& at);
// An array of at most `max_items` strings; empty when absent.
Expected<std::vector<std::string>> optional_string_array(const Json& object, std::string_view key,
                                                         const JsonPath& at, std::size_t max_items);
// An object whose values are all strings (annotations, labels); empty when absent.
Expected<std::map<std::string, std::string>> optional_string_map(const Json& object, std::string_view key,
                                                                 const JsonPath& at);

// RFC 6838 restricted names, as the OCI descriptor schema spells them:
// ^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$
bool is_rfc6838_media_type(std::string_view text);

// Standard base64 with padding; anything else (whitespace, URL alphabet, missing padding,
// non-zero trailing bits) is refused with std::nullopt.
std::optional<std::string> decode_base64_strict(std::string_view text);

// Runs `parse` and turns an exception that escapes it (nlohmann-json, allocation) into an Error
// naming `where`: no exception leaves this module.
template <class T, class Parse>
Expected<T> without_exceptions(std::string_view where, Parse&& parse) {
    try {
        return parse();
    } catch (const std::bad_alloc&) {
        return make_error(Errc::limit_exceeded, std::string(where) + ": out of memory while parsing");
    } catch (const std::exception& e) {
        return make_error(Errc::internal, std::string(where) + ": unexpected parser failure: " + e.what());
    }
}

}  // namespace edgeverify::oci_detail
