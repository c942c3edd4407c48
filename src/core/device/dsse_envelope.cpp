// DSSE envelopes for reports: signed with the device key over the PAE (dsse_pae, shared with the
// Sigstore bundle code) and verified strictly, as the fleet server reads them.
#include <string>

#include "edgeverify/report.hpp"
#include "edgeverify/sigstore_bundle.hpp"

namespace edgeverify {
namespace {

Error envelope_error(const std::string& what) {
    return make_error(Errc::schema_violation, "DSSE envelope: " + what);
}

Expected<std::string> string_member(const Json& object, const char* name, const std::string& path) {
    const auto found = object.find(name);
    if (found == object.end()) return envelope_error(path + name + " is missing");
    if (!found->is_string()) return envelope_error(path + name + " must be a string");
    return found->get<std::string>();
}

}  // namespace

Expected<std::string> sign_dsse_envelope(const DeviceIdentity& device, std::string_view payload_type,
                                         std::string_view payload) {
    auto signature = device.key.sign(dsse_pae(payload_type, payload));
    if (!signature) return signature.take_error();
    const Json envelope = {
        {"payloadType", std::string(payload_type)},
        {"payload", base64_encode(payload)},
        {"signatures", Json::array({{{"keyid", device.fingerprint}, {"sig", base64_encode(*signature)}}})},
    };
    return envelope.dump();
}

Expected<std::string> verify_dsse_envelope(const PublicKey& key, std::string_view envelope_json,
                                           std::string_view payload_type) {
    auto parsed = parse_json_strict(envelope_json, "DSSE envelope");
    if (!parsed) return parsed.take_error();
    const Json& envelope = *parsed;
    if (!envelope.is_object()) return envelope_error("must be a JSON object");
    for (const auto& [name, value] : envelope.items()) {
        if (name != "payloadType" && name != "payload" && name != "signatures") {
            return envelope_error("unknown member '" + name + "'");
        }
    }
    auto type = string_member(envelope, "payloadType", "");
    if (!type) return type.take_error();
    if (*type != payload_type) {
        return envelope_error("payloadType is '" + *type + "', expected '" + std::string(payload_type) + "'");
    }
    auto encoded_payload = string_member(envelope, "payload", "");
    if (!encoded_payload) return encoded_payload.take_error();
    auto payload = base64_decode(*encoded_payload, "DSSE envelope payload");
    if (!payload) return envelope_error("payload is not strict base64");

    const auto signatures = envelope.find("signatures");
    if (signatures == envelope.end()) return envelope_error("signatures is missing");
    if (!signatures->is_array() || signatures->empty())
        return envelope_error("signatures must be a non-empty array");
    if (signatures->size() > kMaxDsseSignatures) {
        return make_error(Errc::limit_exceeded, "DSSE envelope: more than kMaxDsseSignatures (" +
                                                    std::to_string(kMaxDsseSignatures) + ") signatures");
    }
    // Every entry is checked for shape before any is verified: a malformed entry is refused even
    // when another one verifies.
    std::vector<std::string> decoded;
    for (std::size_t i = 0; i < signatures->size(); ++i) {
        const Json& entry = (*signatures)[i];
        const std::string path = "signatures[" + std::to_string(i) + "].";
        if (!entry.is_object()) return envelope_error(path.substr(0, path.size() - 1) + " must be an object");
        for (const auto& [name, value] : entry.items()) {
            if (name != "sig" && name != "keyid") return envelope_error("unknown member " + path + name);
        }
        if (entry.contains("keyid") && !entry["keyid"].is_string()) {
            return envelope_error(path + "keyid must be a string");
        }
        auto sig = string_member(entry, "sig", path);
        if (!sig) return sig.take_error();
        auto raw = base64_decode(*sig, "DSSE signature");
        if (!raw) return envelope_error(path + "sig is not strict base64");
        decoded.push_back(std::move(*raw));
    }
    const std::string pae = dsse_pae(*type, *payload);
    for (const auto& signature : decoded) {
        if (verify_signature(key, pae, signature)) return std::move(*payload);
    }
    return make_error(Errc::signature_invalid, "DSSE envelope: no signature verifies with the given key");
}

}  // namespace edgeverify
