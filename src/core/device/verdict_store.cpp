// The verdict store: one strict JSON file per admitted digest under verdicts/sha256/ (format in
// docs/verdicts.md), written durably by the agent and read by the containerd verifier.
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "edgeverify/json.hpp"
#include "edgeverify/verdict_store.hpp"

namespace edgeverify {
namespace {

// A verdict is a dozen short fields; anything near this is not a verdict.
constexpr std::size_t kMaxVerdictFileBytes = 64 * 1024;
constexpr int kVerdictSchemaVersion = 1;

Error schema_error(std::string_view where, const std::string& message) {
    return make_error(Errc::schema_violation, std::string(where) + ": " + message);
}

Expected<std::string> required_string(const Json& object, const char* key, std::string_view where) {
    const auto it = object.find(key);
    if (it == object.end()) return schema_error(where, std::string("missing \"") + key + "\"");
    if (!it->is_string()) return schema_error(where, std::string("\"") + key + "\" must be a string");
    return it->get<std::string>();
}

Expected<Digest> required_digest(const Json& object, const char* key, std::string_view where) {
    auto text = required_string(object, key, where);
    if (!text) return text.take_error();
    auto digest = Digest::parse(*text);
    if (!digest) return schema_error(where, std::string("\"") + key + "\": " + digest.error().message);
    return digest;
}

std::string verdict_path(const StateDirectory& state, const Digest& digest) {
    return state.verdicts() + "/" + digest.hex() + ".json";
}

Status require_sha256(const Digest& digest) {
    if (digest.algorithm() != DigestAlgorithm::sha256) {
        return make_error(Errc::digest_unsupported,
                          "verdicts are kept for sha256 digests only, not " + digest.str());
    }
    return {};
}

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string verdict_to_json(const StoredVerdict& verdict) {
    Json j{{"schemaVersion", kVerdictSchemaVersion},
           {"digest", verdict.digest.str()},
           {"role", verdict.role},
           {"reference", verdict.reference},
           {"containerdName", verdict.containerd_name},
           {"scope", verdict.scope},
           {"mode", verdict.mode},
           {"passed", verdict.passed},
           {"trustStoreDigest", verdict.trust_store_digest},
           {"verifiedAt", verdict.verified_at},
           {"agentVersion", verdict.agent_version}};
    if (verdict.index_digest) j["indexDigest"] = verdict.index_digest->str();
    return j.dump(2) + "\n";
}

Expected<StoredVerdict> parse_verdict_json(std::string_view json, std::string_view where) {
    auto parsed = parse_json_strict(json, where, JsonLimits{kMaxVerdictFileBytes, 4});
    if (!parsed) return parsed.take_error();
    const Json& j = *parsed;
    if (!j.is_object()) return schema_error(where, "a verdict must be a JSON object");
    static const std::set<std::string> kKnownKeys = {
        "schemaVersion", "digest",           "role",       "indexDigest",  "reference",   "containerdName",
        "scope",         "mode",             "passed",     "trustStoreDigest", "verifiedAt", "agentVersion"};
    for (const auto& [key, _] : j.items()) {
        if (!kKnownKeys.count(key)) return schema_error(where, "unknown key \"" + key + "\"");
    }
    const auto version = j.find("schemaVersion");
    if (version == j.end()) return schema_error(where, "missing \"schemaVersion\"");
    if (!version->is_number_integer() || version->get<long long>() != kVerdictSchemaVersion) {
        return schema_error(where, "\"schemaVersion\" must be " + std::to_string(kVerdictSchemaVersion));
    }
    StoredVerdict verdict;
    auto digest = required_digest(j, "digest", where);
    if (!digest) return digest.take_error();
    verdict.digest = *digest;
    const struct {
        const char* key;
        std::string* field;
    } strings[] = {{"role", &verdict.role},
                   {"reference", &verdict.reference},
                   {"containerdName", &verdict.containerd_name},
                   {"scope", &verdict.scope},
                   {"mode", &verdict.mode},
                   {"trustStoreDigest", &verdict.trust_store_digest},
                   {"verifiedAt", &verdict.verified_at},
                   {"agentVersion", &verdict.agent_version}};
    for (const auto& s : strings) {
        auto value = required_string(j, s.key, where);
        if (!value) return value.take_error();
        *s.field = std::move(*value);
    }
    if (verdict.role != "index" && verdict.role != "manifest") {
        return schema_error(where, "\"role\" must be \"index\" or \"manifest\", not \"" + verdict.role + "\"");
    }
    if (verdict.mode != "enforce" && verdict.mode != "audit") {
        return schema_error(where, "\"mode\" must be \"enforce\" or \"audit\", not \"" + verdict.mode + "\"");
    }
    const auto passed = j.find("passed");
    if (passed == j.end()) return schema_error(where, "missing \"passed\"");
    if (!passed->is_boolean()) return schema_error(where, "\"passed\" must be a boolean");
    verdict.passed = passed->get<bool>();
    if (j.contains("indexDigest")) {
        auto index = required_digest(j, "indexDigest", where);
        if (!index) return index.take_error();
        verdict.index_digest = *index;
    }
    return verdict;
}

Status write_verdict(const StateDirectory& state, const StoredVerdict& verdict) {
    if (auto ok = require_sha256(verdict.digest); !ok) return ok;
    return write_file_durably(verdict_path(state, verdict.digest), verdict_to_json(verdict), 0644);
}

Expected<std::optional<StoredVerdict>> read_verdict(const StateDirectory& state, const Digest& digest) {
    if (auto ok = require_sha256(digest); !ok) return ok.take_error();
    const std::string path = verdict_path(state, digest);
    auto content = read_state_file(path, kMaxVerdictFileBytes);
    if (!content) return content.take_error();
    if (!*content) return std::optional<StoredVerdict>{};
    auto verdict = parse_verdict_json(**content, path);
    if (!verdict) return verdict.take_error();
    // A file copied or renamed under another digest's name admits nothing.
    if (verdict->digest != digest) {
        return schema_error(path, "names " + verdict->digest.str() + ", not the digest of its file name");
    }
    return std::optional<StoredVerdict>{std::move(*verdict)};
}

Expected<std::vector<StoredVerdict>> list_verdicts(const StateDirectory& state) {
    std::vector<StoredVerdict> verdicts;
    std::error_code ec;
    std::filesystem::directory_iterator it(state.verdicts(), ec);
    if (ec == std::errc::no_such_file_or_directory) return verdicts;
    if (ec) return make_error(Errc::io_error, "cannot list " + state.verdicts() + ": " + ec.message());
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        // Temporary files of a write in progress start with '.'; anything else is ours to read.
        if (name.empty() || name.front() == '.') continue;
        const std::string hex = name.size() > 5 ? name.substr(0, name.size() - 5) : "";
        if (name.size() <= 5 || name.substr(name.size() - 5) != ".json" || !is_sha256_hex(hex)) {
            return make_error(Errc::schema_violation,
                              entry.path().string() + ": not a verdict file name (<sha256 hex>.json)");
        }
        auto digest = Digest::parse("sha256:" + hex);
        if (!digest) return digest.take_error();
        auto verdict = read_verdict(state, *digest);
        if (!verdict) return verdict.take_error();
        if (*verdict) verdicts.push_back(std::move(**verdict));  // removed meanwhile: skip
    }
    std::sort(verdicts.begin(), verdicts.end(),
              [](const StoredVerdict& a, const StoredVerdict& b) { return a.digest < b.digest; });
    return verdicts;
}

Status remove_verdict(const StateDirectory& state, const Digest& digest) {
    if (auto ok = require_sha256(digest); !ok) return ok;
    return remove_file_durably(verdict_path(state, digest));
}

}  // namespace edgeverify
