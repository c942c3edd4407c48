// containers-image `dir:` signature files: 0x00 "sigstore-json" '\n' + JSON
// {"mimeType", "payload" (base64 of the layer blob), "annotations"} (FORMATS.md A.10).
#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/signatures.hpp"

namespace edgeverify {
namespace {
constexpr std::string_view kSigstorePrefix("\x00sigstore-json\n", 15);
}

Expected<SignatureCandidate> parse_containers_signature_file(std::string_view bytes, std::string_view where) {
    const std::string name(where);
    if (!bytes.starts_with(kSigstorePrefix)) {
        const bool openpgp = !bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80) != 0;
        return make_error(Errc::schema_violation,
                          name + ": not a sigstore signature file (" +
                              (openpgp ? "an OpenPGP signature, which edgeverify does not verify"
                                       : "no \\x00sigstore-json header") +
                              ")");
    }
    auto json = parse_json_strict(bytes.substr(kSigstorePrefix.size()), where);
    if (!json) return json.take_error();
    const Json& root = *json;
    if (!root.is_object()) return make_error(Errc::schema_violation, name + ": expected a JSON object");
    for (const auto& [key, _] : root.items()) {
        if (key != "mimeType" && key != "payload" && key != "annotations") {
            return make_error(Errc::schema_violation, name + ": unknown member \"" + key + "\"");
        }
    }
    const auto mime = root.find("mimeType");
    const auto payload = root.find("payload");
    if (mime == root.end() || !mime->is_string()) {
        return make_error(Errc::schema_violation, name + ": mimeType: expected a string");
    }
    if (payload == root.end() || !payload->is_string()) {
        return make_error(Errc::schema_violation, name + ": payload: expected a base64 string");
    }
    SignatureCandidate candidate;
    candidate.origin = name;
    candidate.media_type = mime->get<std::string>();
    auto decoded = base64_decode(payload->get_ref<const std::string&>(), name + ": payload");
    if (!decoded) return decoded.take_error();
    candidate.payload = std::move(*decoded);
    if (const auto annotations = root.find("annotations");
        annotations != root.end() && !annotations->is_null()) {
        if (!annotations->is_object()) {
            return make_error(Errc::schema_violation, name + ": annotations: expected an object");
        }
        for (const auto& [key, value] : annotations->items()) {
            if (!value.is_string()) {
                return make_error(Errc::schema_violation,
                                  name + ": annotations." + key + ": expected a string");
            }
            candidate.annotations[key] = value.get<std::string>();
        }
    }
    if (auto it = candidate.annotations.find(std::string(cosign::kSignatureAnnotation));
        it != candidate.annotations.end() && !it->second.empty()) {
        auto signature = base64_decode(it->second, name + ": annotations." + it->first);
        if (!signature) return signature.take_error();
        candidate.signature = std::move(*signature);
    }
    return candidate;
}

}  // namespace edgeverify
