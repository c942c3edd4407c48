// The transparency-log keys of a Sigstore trusted_root.json (FORMATS.md B.3): each `tlogs` entry
// (and each `ctlogs` entry: the same proto, TransparencyLogInstance) becomes a RekorKey with its
// validity window. A trust root is configuration, so anything wrong with it is an error naming
// the JSON path, never a skipped entry.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "edgeverify/hex.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"
#include "sigstore/rfc3339.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kMediaTypeV01 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
constexpr std::string_view kMediaTypeV02 = "application/vnd.dev.sigstore.trustedroot.v0.2+json";

class RootReader {
public:
    explicit RootReader(std::string_view where) : where_(where) {}

    Error error(const std::string& path, const std::string& what) const {
        return make_error(Errc::config, where_ + ": " + path + ": " + what);
    }

    // Every member of `object` must be one of `known` (the proto's fields).
    Status only(const Json& object, const std::string& path, const std::set<std::string>& known) const {
        if (!object.is_object()) return error(path.empty() ? "(document)" : path, "not an object");
        for (const auto& [member, value] : object.items()) {
            if (known.count(member) == 0)
                return error(path.empty() ? member : path + "." + member, "unknown member");
        }
        return {};
    }

    Expected<std::string> string(const Json& object, const char* name, const std::string& path) const {
        const auto it = object.find(name);
        const std::string at = path + "." + name;
        if (it == object.end()) return error(at, "missing");
        if (!it->is_string()) return error(at, "not a string");
        return it->get<std::string>();
    }

    Expected<std::string> bytes(const Json& object, const char* name, const std::string& path) const {
        auto text = string(object, name, path);
        if (!text) return text.take_error();
        auto decoded = base64_decode(*text, path + "." + name);
        if (!decoded) return error(path + "." + name, "not valid base64");
        return decoded;
    }

private:
    std::string where_;
};


// The log id a key may carry: sha256(SPKI DER) (Rekor v1, every ECDSA/RSA log), or for an
// Ed25519 log the C2SP signed-note key id sha256(origin || "\n" || 0x01 || key), origin being the
// host of baseUrl (Rekor v2, as the production trusted root writes it).
// The host of a tlog's baseUrl ("https://log2025-1.rekor.sigstore.dev" -> its host), "" without one.
std::string base_url_host(const Json& tlog) {
    const auto base_url = tlog.find("baseUrl");
    if (base_url == tlog.end() || !base_url->is_string()) return {};
    std::string host = base_url->get<std::string>();
    if (const auto scheme = host.find("://"); scheme != std::string::npos) host.erase(0, scheme + 3);
    if (const auto slash = host.find('/'); slash != std::string::npos) host.resize(slash);
    return host;
}

bool log_id_matches(const std::string& key_id, const PublicKey& key, const Json& tlog) {
    if (key_id == sha256_bytes(key.spki_der())) return true;
    if (key.type() != KeyType::ed25519 || key.spki_der().size() < 32) return false;
    const std::string host = base_url_host(tlog);
    if (host.empty()) return false;
    const std::string raw_key = key.spki_der().substr(key.spki_der().size() - 32);
    return key_id == sha256_bytes(host + "\n\x01" + raw_key);
}

// `log_id_required`: tlogs must give logId; a ctlogs entry without one gets sha256(SPKI), the
// RFC 6962 log id.
Expected<RekorKey> parse_tlog(const RootReader& reader, const Json& tlog, const std::string& path,
                              const std::string& origin, bool log_id_required) {
    if (auto ok = reader.only(
            tlog, path, {"baseUrl", "hashAlgorithm", "publicKey", "logId", "checkpointKeyId", "operator"});
        !ok) {
        return ok.take_error();
    }
    const auto public_key = tlog.find("publicKey");
    if (public_key == tlog.end()) return reader.error(path + ".publicKey", "missing");
    const std::string key_path = path + ".publicKey";
    if (auto ok = reader.only(*public_key, key_path, {"rawBytes", "keyDetails", "validFor"}); !ok)
        return ok.take_error();
    auto spki = reader.bytes(*public_key, "rawBytes", key_path);
    if (!spki) return spki.take_error();
    // keyDetails PKCS1_RSA_PKCS1V5: rawBytes is a PKCS#1 RSAPublicKey, not an SPKI (sigstore-go
    // parses it so; the staging CT log keys are written this way). Its log id is over the SPKI.
    const auto details = public_key->find("keyDetails");
    const bool pkcs1 =
        details != public_key->end() && details->is_string() && *details == "PKCS1_RSA_PKCS1V5";
    auto key = pkcs1 ? parse_public_key_pem("-----BEGIN RSA PUBLIC KEY-----\n" + base64_encode(*spki) +
                                                "\n-----END RSA PUBLIC KEY-----\n",
                                            origin)
                     : parse_public_key_der(*spki, origin);
    if (!key) return reader.error(key_path + ".rawBytes", key.error().message);

    RekorKey result{origin, std::move(*key), {}, {}, {}, base_url_host(tlog)};
    const auto valid_for = public_key->find("validFor");
    const std::string window_path = key_path + ".validFor";
    if (valid_for == public_key->end()) return reader.error(window_path + ".start", "missing");
    if (auto ok = reader.only(*valid_for, window_path, {"start", "end"}); !ok) return ok.take_error();
    auto start = reader.string(*valid_for, "start", window_path);
    if (!start) return start.take_error();
    result.valid_from = sigstore_detail::parse_rfc3339(*start, true);
    if (!result.valid_from) return reader.error(window_path + ".start", "not an RFC 3339 time: " + *start);
    // proto3 JSON may write an absent field as null (the conformance roots do for `end`).
    if (const auto end_it = valid_for->find("end"); end_it != valid_for->end() && !end_it->is_null()) {
        auto end = reader.string(*valid_for, "end", window_path);
        if (!end) return end.take_error();
        result.valid_until = sigstore_detail::parse_rfc3339(*end, false);
        if (!result.valid_until) return reader.error(window_path + ".end", "not an RFC 3339 time: " + *end);
        if (*result.valid_until < *result.valid_from) return reader.error(window_path, "end is before start");
    }

    const auto log_id = tlog.find("logId");
    if (log_id == tlog.end() && !log_id_required) {
        result.log_id = sha256_bytes(result.key.spki_der());
        return result;
    }
    if (log_id == tlog.end()) return reader.error(path + ".logId", "missing");
    if (auto ok = reader.only(*log_id, path + ".logId", {"keyId"}); !ok) return ok.take_error();
    auto key_id = reader.bytes(*log_id, "keyId", path + ".logId");
    if (!key_id) return key_id.take_error();
    if (!log_id_matches(*key_id, result.key, tlog))
        return reader.error(path + ".logId.keyId", "is not the sha256 of the log's public key");
    result.log_id = std::move(*key_id);
    return result;
}

Expected<std::vector<RekorKey>> parse_trusted_root_logs(std::string_view json, std::string_view where,
                                                        const std::string& member) {
    auto root = parse_json_strict(json, where);
    if (!root) return root.take_error();
    const RootReader reader(where);
    if (auto ok = reader.only(
            *root, "", {"mediaType", "tlogs", "certificateAuthorities", "ctlogs", "timestampAuthorities"});
        !ok) {
        return ok.take_error();
    }
    const auto media_type = root->find("mediaType");
    if (media_type == root->end()) return reader.error("mediaType", "missing");
    if (!media_type->is_string() || (*media_type != kMediaTypeV01 && *media_type != kMediaTypeV02))
        return reader.error("mediaType", "not a trusted root media type: " + media_type->dump());

    std::vector<RekorKey> keys;
    const auto logs = root->find(member);
    if (logs == root->end() || (member == "ctlogs" && logs->is_null())) return keys;
    if (!logs->is_array()) return reader.error(member, "not an array");
    for (std::size_t i = 0; i < logs->size(); ++i) {
        const std::string path = member + "[" + std::to_string(i) + "]";
        auto key = parse_tlog(reader, (*logs)[i], path, std::string(where) + " " + path, member == "tlogs");
        if (!key) return key.take_error();
        keys.push_back(std::move(*key));
    }
    return keys;
}

}  // namespace

Expected<std::vector<RekorKey>> parse_trusted_root_tlogs(std::string_view json, std::string_view where) {
    return parse_trusted_root_logs(json, where, "tlogs");
}

Expected<std::vector<RekorKey>> parse_trusted_root_ctlogs(std::string_view json, std::string_view where) {
    return parse_trusted_root_logs(json, where, "ctlogs");
}

}  // namespace edgeverify
