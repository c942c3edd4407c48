// in-toto Statements (v0.1 and v1) as the DSSE payload of a Sigstore bundle: the sha256 subject
// digests an image is checked against (FORMATS.md A.9 claim check), and the statement cosign v3
// signs for an image.
#include <exception>

#include "edgeverify/sigstore_bundle.hpp"
#include "sigstore/bundle_fields.hpp"

namespace edgeverify {
namespace {

using sigstore_detail::At;
using sigstore_detail::violation;

constexpr std::string_view kInTotoStatementV01 = "https://in-toto.io/Statement/v0.1";

bool is_lower_hex(std::string_view text, std::size_t length) {
    if (text.size() != length) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

Expected<std::vector<Digest>> subject_digests(const Json& root, const At& at) {
    using namespace sigstore_detail;
    if (!root.is_object()) return violation(at, "expected an object");
    auto type = string_field(root, "_type", at, true);
    if (!type) return type.take_error();
    if (*type != sigstore::kInTotoStatementV1 && *type != kInTotoStatementV01)
        return violation(at.field("_type"), "unsupported statement type \"" + *type + "\"");
    if (auto predicate_type = string_field(root, "predicateType", at, true); !predicate_type)
        return predicate_type.take_error();
    auto subjects = array_field(root, "subject", at);
    if (!subjects) return subjects.take_error();
    if (*subjects == nullptr || (*subjects)->empty())
        return violation(at.field("subject"), "must be a non-empty array");
    std::vector<Digest> digests;
    for (std::size_t i = 0; i < (*subjects)->size(); ++i) {
        const At here = at.field("subject").item(i);
        const Json& subject = (**subjects)[i];
        if (!subject.is_object()) return violation(here, "expected an object");
        if (auto name = string_field(subject, "name", here, false); !name) return name.take_error();
        const Json* digest = member(subject, "digest");
        if (digest == nullptr || !digest->is_object() || digest->empty())
            return violation(here.field("digest"), "expected a non-empty object of algorithm: hex");
        for (const auto& [algorithm, value] : digest->items()) {
            const At value_at = here.field("digest").field(algorithm);
            if (!value.is_string()) return violation(value_at, "expected a string");
            if (algorithm != "sha256") continue;  // other algorithms cannot be matched to an OCI digest here
            const std::string hex = value.get<std::string>();
            if (!is_lower_hex(hex, 64))
                return violation(value_at, "\"" + hex + "\" is not 64 lowercase hex digits");
            auto parsed = Digest::parse("sha256:" + hex);
            if (!parsed) return violation(value_at, parsed.error().message);
            digests.push_back(std::move(*parsed));
        }
    }
    return digests;
}

}  // namespace

Expected<std::vector<Digest>> intoto_subject_digests(std::string_view statement, std::string_view where) {
    auto root = parse_json_strict(statement, where);
    if (!root) return root.take_error();
    try {
        return subject_digests(*root, At(where));
    } catch (const std::exception& e) {
        return make_error(Errc::internal, std::string(where) + ": unexpected parser failure: " + e.what());
    }
}

std::string make_cosign_sign_statement(std::string_view subject_name, const Digest& image_digest) {
    // Written by hand: the key order is part of the contract (nlohmann::json sorts keys).
    std::string out = "{\"_type\":" + Json(std::string(sigstore::kInTotoStatementV1)).dump();
    out += ",\"subject\":[{\"name\":" + Json(std::string(subject_name)).dump();
    out += ",\"digest\":{" + Json(std::string(digest_algorithm_name(image_digest.algorithm()))).dump() + ":" +
           Json(image_digest.hex()).dump() + "}}]";
    out += ",\"predicateType\":" + Json(std::string(sigstore::kCosignSignPredicate)).dump();
    out += ",\"predicate\":{}}";
    return out;
}

}  // namespace edgeverify
