// Rekor v1 signed entry timestamps (FORMATS.md A.7 steps 1-2): cosign's bundle annotation, the
// RFC 8785 message a SET signs, and its verification with the trusted log key of that log id.
#include <cstdint>
#include <string>
#include <vector>

#include "edgeverify/hex.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"

namespace edgeverify {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Lowercase or uppercase hex, even length, nothing else.
std::optional<std::string> from_hex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::string bytes;
    bytes.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = hex_value(text[i]), low = hex_value(text[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes.push_back(static_cast<char>(high * 16 + low));
    }
    return bytes;
}

// A JSON string as RFC 8785 writes it: only '"', '\\' and control characters are escaped.
void append_jcs_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[u >> 4]);
                    out.push_back(kHex[u & 0xf]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

Error bundle_error(std::string_view where, const std::string& what) {
    return make_error(Errc::schema_violation, std::string(where) + ": dev.sigstore.cosign/bundle: " + what);
}

// A non-negative JSON integer member (not a float, not a string).
Expected<std::int64_t> integer_member(const Json& object, const char* name, std::string_view where) {
    const auto it = object.find(name);
    if (it == object.end()) return bundle_error(where, std::string("Payload.") + name + " is missing");
    if (!it->is_number_integer())
        return bundle_error(where, std::string("Payload.") + name + " is not an integer");
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        return bundle_error(where, std::string("Payload.") + name + " is out of range");
    const std::int64_t value = it->get<std::int64_t>();
    if (value < 0) return bundle_error(where, std::string("Payload.") + name + " is negative");
    return value;
}

Expected<std::string> string_member(const Json& object, const char* name, const std::string& path,
                                    std::string_view where) {
    const auto it = object.find(name);
    if (it == object.end()) return bundle_error(where, path + " is missing");
    if (!it->is_string()) return bundle_error(where, path + " is not a string");
    return it->get<std::string>();
}

}  // namespace

Expected<RekorSignedEntry> parse_cosign_rekor_bundle(std::string_view annotation, std::string_view where) {
    auto json = parse_json_strict(annotation, std::string(where) + ": dev.sigstore.cosign/bundle");
    if (!json) return json.take_error();
    if (!json->is_object()) return bundle_error(where, "not a JSON object");
    for (const auto& [member, value] : json->items()) {
        if (member != "SignedEntryTimestamp" && member != "Payload")
            return bundle_error(where, "unknown member \"" + member + "\"");
    }
    auto set_b64 = string_member(*json, "SignedEntryTimestamp", "SignedEntryTimestamp", where);
    if (!set_b64) return set_b64.take_error();
    const auto payload = json->find("Payload");
    if (payload == json->end()) return bundle_error(where, "Payload is missing");
    if (!payload->is_object()) return bundle_error(where, "Payload is not an object");
    for (const auto& [member, value] : payload->items()) {
        if (member != "body" && member != "integratedTime" && member != "logIndex" && member != "logID")
            return bundle_error(where, "unknown member \"Payload." + member + "\"");
    }

    RekorSignedEntry entry;
    auto set = base64_decode(*set_b64, "SignedEntryTimestamp");
    if (!set) return bundle_error(where, "SignedEntryTimestamp: " + set.error().message);
    if (set->empty()) return bundle_error(where, "SignedEntryTimestamp is empty");
    entry.signed_entry_timestamp = std::move(*set);

    auto body_b64 = string_member(*payload, "body", "Payload.body", where);
    if (!body_b64) return body_b64.take_error();
    auto body = base64_decode(*body_b64, "Payload.body");
    if (!body) return bundle_error(where, "Payload.body: " + body.error().message);
    entry.body = std::move(*body);

    auto integrated = integer_member(*payload, "integratedTime", where);
    if (!integrated) return integrated.take_error();
    entry.integrated_time = *integrated;
    auto index = integer_member(*payload, "logIndex", where);
    if (!index) return index.take_error();
    entry.log_index = *index;

    auto log_id_hex = string_member(*payload, "logID", "Payload.logID", where);
    if (!log_id_hex) return log_id_hex.take_error();
    auto log_id = from_hex(*log_id_hex);
    if (!log_id || log_id->size() != 32)
        return bundle_error(where, "Payload.logID is not 64 hex digits (sha256 of the log's key)");
    entry.log_id = std::move(*log_id);
    return entry;
}

std::string rekor_set_message(const RekorSignedEntry& entry) {
    // Members in RFC 8785 order (UTF-16 code unit order of the names): body, integratedTime,
    // logID, logIndex. Integers are written as decimal, which JCS's number form is for integers.
    std::string out = "{\"body\":";
    append_jcs_string(out, base64_encode(entry.body));
    out += ",\"integratedTime\":" + std::to_string(entry.integrated_time);
    out += ",\"logID\":";
    append_jcs_string(out, hex_encode(entry.log_id));
    out += ",\"logIndex\":" + std::to_string(entry.log_index);
    out += "}";
    return out;
}

Expected<const RekorKey*> verify_rekor_set(const RekorSignedEntry& entry, const std::vector<RekorKey>& keys) {
    const std::string log_id_hex = hex_encode(entry.log_id);
    if (entry.signed_entry_timestamp.empty()) {
        return make_error(Errc::signature_invalid,
                          "Rekor entry of log " + log_id_hex + " has no signed entry timestamp (SET)");
    }
    const std::string message = rekor_set_message(entry);
    // The same key may be trusted twice (rekor/*.pub and trusted_root.json) with different windows.
    std::optional<Error> failure;
    bool known = false;
    for (const RekorKey& key : keys) {
        if (key.log_id != entry.log_id) continue;
        known = true;
        const std::string time = std::to_string(entry.integrated_time);
        if (key.valid_from && entry.integrated_time < *key.valid_from) {
            if (!failure) {
                failure = make_error(Errc::untrusted, "Rekor integratedTime " + time + " is before " +
                                                          key.origin + " became valid (" +
                                                          std::to_string(*key.valid_from) + ")");
            }
            continue;
        }
        if (key.valid_until && entry.integrated_time > *key.valid_until) {
            if (!failure) {
                failure = make_error(Errc::untrusted, "Rekor integratedTime " + time + " is after " +
                                                          key.origin + " stopped being valid (" +
                                                          std::to_string(*key.valid_until) + ")");
            }
            continue;
        }
        if (key.key.type() == KeyType::ed25519) {
            failure = make_error(Errc::signature_invalid, key.origin +
                                                              " is an Ed25519 (Rekor v2) key; signed entry "
                                                              "timestamps are ECDSA (Rekor v1)");
            continue;
        }
        auto verified = verify_signature(key.key, message, entry.signed_entry_timestamp);
        if (verified) return &key;
        failure = make_error(Errc::signature_invalid, "Rekor SET does not verify with " + key.origin + ": " +
                                                          verified.error().message);
    }
    if (!known) {
        return make_error(Errc::untrusted, "Rekor log " + log_id_hex +
                                               " is not trusted (no key in rekor/*.pub or "
                                               "sigstore/trusted_root.json has that log id)");
    }
    return *failure;
}

}  // namespace edgeverify
