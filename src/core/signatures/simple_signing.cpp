// cosign simple-signing payloads (FORMATS.md A.4), parsed as strictly as containers/image does:
// exact members in `critical`, `optional` an object or null.
#include <initializer_list>
#include <string>

#include "edgeverify/signatures.hpp"

namespace edgeverify {
namespace {

Error shape_error(std::string_view where, const std::string& path, const std::string& problem) {
    return make_error(Errc::schema_violation, std::string(where) + ": " + path + ": " + problem);
}

// The object at `path` must have exactly `members`.
Status exact_members(const Json& value, std::string_view where, const std::string& path,
                     std::initializer_list<std::string_view> members) {
    if (!value.is_object()) return shape_error(where, path, "expected an object");
    for (const auto& [key, _] : value.items()) {
        bool known = false;
        for (auto m : members) known = known || key == m;
        if (!known) return shape_error(where, path, "unknown member \"" + key + "\"");
    }
    for (auto m : members) {
        if (!value.contains(std::string(m))) {
            return shape_error(where, path, "required member \"" + std::string(m) + "\" is missing");
        }
    }
    return {};
}

Expected<std::string> string_member(const Json& object, std::string_view where, const std::string& path,
                                    const char* key) {
    const Json& value = object.at(key);
    if (!value.is_string()) return shape_error(where, path + "." + key, "expected a string");
    return value.get<std::string>();
}

}  // namespace

Expected<SimpleSigningPayload> parse_simple_signing_payload(std::string_view bytes, std::string_view where) {
    auto json = parse_json_strict(bytes, where);
    if (!json) return json.take_error();
    const Json& root = *json;
    if (auto s = exact_members(root, where, "payload", {"critical", "optional"}); !s) return s.take_error();
    const Json& critical = root.at("critical");
    if (auto s = exact_members(critical, where, "critical", {"identity", "image", "type"}); !s) {
        return s.take_error();
    }
    if (auto s = exact_members(critical.at("identity"), where, "critical.identity", {"docker-reference"});
        !s) {
        return s.take_error();
    }
    if (auto s = exact_members(critical.at("image"), where, "critical.image", {"docker-manifest-digest"});
        !s) {
        return s.take_error();
    }
    auto type = string_member(critical, where, "critical", "type");
    if (!type) return type.take_error();
    if (*type != cosign::kSignatureType) {
        return shape_error(where, "critical.type",
                           "\"" + *type + "\" is not \"" + std::string(cosign::kSignatureType) + "\"");
    }
    SimpleSigningPayload payload;
    auto reference = string_member(critical.at("identity"), where, "critical.identity", "docker-reference");
    if (!reference) return reference.take_error();
    payload.docker_reference = std::move(*reference);
    auto digest_text = string_member(critical.at("image"), where, "critical.image", "docker-manifest-digest");
    if (!digest_text) return digest_text.take_error();
    auto digest = Digest::parse(*digest_text);
    if (!digest) {
        return make_error(
            digest.error().code,
            std::string(where) + ": critical.image.docker-manifest-digest: " + digest.error().message);
    }
    payload.manifest_digest = *digest;
    const Json& optional = root.at("optional");
    if (!optional.is_null() && !optional.is_object()) {
        return shape_error(where, "optional", "expected an object or null");
    }
    payload.optional = optional;
    return payload;
}

}  // namespace edgeverify
