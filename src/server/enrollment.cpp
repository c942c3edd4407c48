// Enrollment requests -> NewDevice (enrollment.hpp).
#include "server/enrollment.hpp"

#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"

namespace edgeverify::server {
namespace {

Error bad(std::string message) { return make_error(Errc::schema_violation, std::move(message)); }

const Json* member(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

}  // namespace

Expected<NewDevice> new_device_from_public_key(std::string_view pem, std::vector<DeviceLabel> labels) {
    if (pem.size() > limits::kMaxPublicKeyPemBytes) {
        return make_error(Errc::limit_exceeded,
                          "publicKey: over kMaxPublicKeyPemBytes (" + std::to_string(limits::kMaxPublicKeyPemBytes) + ")");
    }
    auto key = parse_public_key_pem(pem, "publicKey");
    if (!key) return key.take_error();
    const Digest fingerprint = digest_of(DigestAlgorithm::sha256, key->spki_der());
    NewDevice device;
    device.id = "ev-" + fingerprint.hex().substr(0, 20);
    device.public_key_pem = std::string(pem);
    device.fingerprint = fingerprint.str();
    device.labels = std::move(labels);
    return device;
}

Expected<NewDevice> new_device_from_enrollment(std::string_view envelope, std::vector<DeviceLabel> labels) {
    auto document = parse_json_strict(envelope, "enrollment");
    if (!document) return bad(document.error().message);
    const Json* payload = document->is_object() ? member(*document, "payload") : nullptr;
    if (!payload || !payload->is_string()) return bad("enrollment: must be a DSSE envelope with a base64 payload");
    auto statement_text = base64_decode(payload->get_ref<const std::string&>(), "enrollment payload");
    if (!statement_text) return bad(statement_text.error().message);
    auto statement = parse_json_strict(*statement_text, "enrollment statement");
    if (!statement || !statement->is_object()) return bad("enrollment statement: must be a JSON object");
    const Json* type = member(*statement, "predicateType");
    if (!type || !type->is_string() || type->get_ref<const std::string&>() != kDeviceEnrollmentPredicate) {
        return bad("enrollment statement: predicateType must be \"" + std::string(kDeviceEnrollmentPredicate) + "\"");
    }
    const Json* predicate = member(*statement, "predicate");
    if (!predicate || !predicate->is_object()) return bad("enrollment statement: predicate must be an object");
    const Json* public_key = member(*predicate, "publicKey");
    const Json* device_id = member(*predicate, "deviceId");
    const Json* fingerprint = member(*predicate, "fingerprint");
    if (!public_key || !public_key->is_string()) return bad("enrollment statement: predicate.publicKey must be a PEM string");
    if (!device_id || !device_id->is_string()) return bad("enrollment statement: predicate.deviceId must be a string");
    if (!fingerprint || !fingerprint->is_string()) return bad("enrollment statement: predicate.fingerprint must be a string");

    auto device = new_device_from_public_key(public_key->get_ref<const std::string&>(), std::move(labels));
    if (!device) return device.take_error();
    auto key = parse_public_key_pem(device->public_key_pem, "enrollment publicKey");
    if (!key) return key.take_error();
    auto verified = verify_dsse_envelope(*key, envelope);
    if (!verified) {
        if (verified.error().code == Errc::signature_invalid) {
            return make_error(Errc::signature_invalid, "enrollment: does not verify with the public key it carries");
        }
        return bad(verified.error().message);
    }
    if (device_id->get_ref<const std::string&>() != device->id) {
        return bad("enrollment statement: predicate.deviceId is not the id of its public key (" + device->id + ")");
    }
    if (fingerprint->get_ref<const std::string&>() != device->fingerprint) {
        return bad("enrollment statement: predicate.fingerprint is not the fingerprint of its public key");
    }
    return device;
}

Expected<std::vector<DeviceLabel>> labels_from_json(const Json& labels, std::string_view where) {
    if (!labels.is_object()) return bad(std::string(where) + ": must be an object of name: value strings");
    std::vector<DeviceLabel> out;
    for (const auto& item : labels.items()) {
        if (!item.value().is_string()) return bad(std::string(where) + "." + item.key() + ": must be a string");
        out.push_back({item.key(), item.value().get<std::string>()});
    }
    return out;
}

Expected<NewDevice> new_device_from_request(std::string_view body, bool allow_public_key) {
    auto document = parse_json_strict(body, "request body");
    if (!document) return bad(document.error().message);
    if (!document->is_object()) return bad("request body: must be a JSON object");
    std::vector<DeviceLabel> labels;
    for (const auto& item : document->items()) {
        const bool known = item.key() == "labels" || item.key() == "enrollment" ||
                           (allow_public_key && item.key() == "publicKey");
        if (!known) return bad("request body: unknown member \"" + item.key() + "\"");
    }
    if (const Json* given = member(*document, "labels")) {
        auto parsed = labels_from_json(*given, "labels");
        if (!parsed) return parsed.take_error();
        labels = std::move(*parsed);
    }
    const Json* enrollment = member(*document, "enrollment");
    const Json* public_key = member(*document, "publicKey");
    if (enrollment && public_key) return bad("request body: give either enrollment or publicKey, not both");
    if (enrollment) {
        if (!enrollment->is_object()) return bad("enrollment: must be the DSSE envelope object");
        return new_device_from_enrollment(enrollment->dump(), std::move(labels));
    }
    if (public_key) {
        if (!public_key->is_string()) return bad("publicKey: must be a PEM string");
        return new_device_from_public_key(public_key->get_ref<const std::string&>(), std::move(labels));
    }
    return bad(allow_public_key ? "request body: enrollment or publicKey is required"
                                : "request body: enrollment is required");
}

}  // namespace edgeverify::server
