// Cases of the notation-go set (../shared/vectors/notation-go/SOURCE.md): an envelope, a Notation
// trust policy (trustpolicy.oci.json, with the case's override), a truststore folder laid out as
// {NOTATION_CONFIG}/truststore, and the descriptor being verified. The policy is translated here
// into a NotationVerification (policy selection by registryScopes, "type:name" stores, level and
// override, identities) and judged by verify_notation_signature() at the current time. A case of
// scope step:authenticTimestamp passes only on that step's verdict (an invalid one must be rejected
// by the authenticTimestamp step). A verification plugin is refused: the spec requires a
// plugin-less verifier to reject those signatures.
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "case_kinds.hpp"
#include "edgeverify/notation.hpp"

namespace fs = std::filesystem;

namespace edgeverify::conformance {
namespace {

Expected<std::string> read_case_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, path.string() + ": cannot open");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string text_of(const Json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

bool is_timestamp_step_case(const Json& c) { return text_of(c, "scope") == "step:authenticTimestamp"; }

Error config(const std::string& why) { return make_error(Errc::config, "trust policy: " + why); }

// The policy whose registryScopes name the repository exactly, else the "*" policy.
Expected<Json> select_policy(const Json& document, const std::string& reference) {
    const std::string repository = reference.substr(0, reference.find('@'));
    if (!document.contains("trustPolicies") || !document["trustPolicies"].is_array())
        return config("trustPolicies is missing");
    const Json* wildcard = nullptr;
    for (const Json& policy : document["trustPolicies"]) {
        if (!policy.contains("registryScopes") || !policy["registryScopes"].is_array()) continue;
        for (const Json& scope : policy["registryScopes"]) {
            if (scope == repository) return policy;
            if (scope == "*") wildcard = &policy;
        }
    }
    if (wildcard) return *wildcard;
    return config("no trust policy applies to " + repository);
}

Expected<CheckAction> action_of(const std::string& text) {
    if (text == "enforce") return CheckAction::enforce;
    if (text == "log") return CheckAction::log;
    if (text == "skip") return CheckAction::skip;
    return config("override value \"" + text + "\" is not enforce, log or skip");
}

struct LoadedPolicy {
    NotationVerification how;
    std::vector<std::unique_ptr<X509Store>> stores;
};

Status apply_policy(const Json& policy, const fs::path& truststore, LoadedPolicy& out) {
    const Json verification = policy.value("signatureVerification", Json::object());
    auto level = notation_level(text_of(verification, "level"));
    if (!level) return level.take_error();
    out.how.level = *level;
    const Json overrides = verification.value("override", Json::object());
    for (const auto& [key, value] : overrides.items()) {
        auto action = action_of(value.is_string() ? value.get<std::string>() : "");
        if (!action) return action.take_error();
        if (key == "authenticity") out.how.level.authenticity = *action;
        else if (key == "authenticTimestamp") out.how.level.authentic_timestamp = *action;
        else if (key == "expiry") out.how.level.expiry = *action;
        else if (key == "revocation") out.how.level.revocation = *action;
        else return config("override of \"" + key + "\" is not allowed");
    }
    const std::string verify_timestamp = text_of(verification, "verifyTimestamp");
    out.how.verify_timestamp_always = verify_timestamp.empty() || verify_timestamp == "always";
    for (const Json& entry : policy.value("trustStores", Json::array())) {
        const std::string text = entry.is_string() ? entry.get<std::string>() : "";
        const auto colon = text.find(':');
        if (colon == std::string::npos) return config("trust store \"" + text + "\" lacks the \"<type>:<name>\" separator");
        const std::string type = text.substr(0, colon), name = text.substr(colon + 1);
        const X509StoreKind kind = type == "ca" ? X509StoreKind::ca
                                   : type == "signingAuthority" ? X509StoreKind::signing_authority
                                                                : X509StoreKind::tsa;
        if (type != "ca" && type != "signingAuthority" && type != "tsa") return config("trust store type \"" + type + "\"");
        auto store = load_x509_store((truststore / "x509" / type / name).string(), kind);
        if (!store) return store.take_error();
        out.stores.push_back(std::make_unique<X509Store>(std::move(*store)));
        const X509Store* loaded = out.stores.back().get();
        if (kind == X509StoreKind::ca) out.how.ca_stores.push_back(loaded);
        else if (kind == X509StoreKind::signing_authority) out.how.signing_authority_stores.push_back(loaded);
        else out.how.tsa_store = loaded;
    }
    for (const Json& entry : policy.value("trustedIdentities", Json::array())) {
        const std::string text = entry.is_string() ? entry.get<std::string>() : "";
        if (text == "*") {
            out.how.any_identity = true;
            continue;
        }
        auto identity = parse_trusted_identity(text);
        if (!identity) return identity.take_error();
        out.how.identities.push_back(std::move(*identity));
    }
    return {};
}

// Rejected, and why; nullopt when accepted.
std::optional<Error> verify_case(const Json& c, const fs::path& base) {
    auto policy_text = read_case_file(base / text_of(c, "trust_policy"));
    if (!policy_text) return policy_text.error();
    auto document = parse_json_strict(*policy_text, "trust policy");
    if (!document) return document.error();
    auto policy = select_policy(*document, text_of(c, "artifact_reference"));
    if (!policy) return policy.error();
    if (c.contains("policy_override")) {
        for (const auto& [key, value] : c["policy_override"].items()) (*policy)[key] = value;
    }
    LoadedPolicy loaded;
    if (auto ok = apply_policy(*policy, base / text_of(c, "truststore_root"), loaded); !ok) return ok.error();
    // A case of scope step:authenticTimestamp is judged by that step alone, as its upstream test
    // (verifyAuthenticTimestamp): authenticity is then logged, not enforced.
    if (is_timestamp_step_case(c)) loaded.how.level.authenticity = CheckAction::log;
    const Json target = c.value("target_descriptor", Json::object());
    loaded.how.artifact.media_type = text_of(target, "mediaType");
    auto digest = Digest::parse(text_of(target, "digest"));
    if (!digest) return digest.error();
    loaded.how.artifact.digest = *digest;
    loaded.how.artifact.size = target.value("size", std::uint64_t{0});
    loaded.how.now = static_cast<std::int64_t>(std::time(nullptr));

    auto bytes = read_case_file(base / text_of(c, "envelope"));
    if (!bytes) return bytes.error();
    auto envelope = parse_notation_envelope(*bytes, text_of(c, "envelope_media_type"), text_of(c, "envelope"));
    if (!envelope) return envelope.error();
    if (c.contains("timestamp_token")) {
        auto token = read_case_file(base / text_of(c, "timestamp_token"));
        if (!token) return token.error();
        envelope->timestamp_token = *token;
    }
    auto result = verify_notation_signature(*envelope, loaded.how);
    if (!result) return result.error();
    return std::nullopt;
}

}  // namespace

CaseOutcome run_notation_case(const Json& c, const fs::path& base, bool expect_valid) {
    const std::optional<Error> failure = verify_case(c, base);
    const std::string described = failure ? std::string(errc_name(failure->code)) + ": " + failure->message : "";
    if (failure && is_timestamp_step_case(c) && !failure->message.starts_with("notation authenticTimestamp: "))
        return {false, "a step:authenticTimestamp case rejected by another step: " + described};
    if (expect_valid && failure) return {false, "expected valid, got " + described};
    if (!expect_valid && !failure) return {false, "expected invalid, but it was accepted"};
    return {true, {}};
}

CaseOutcome run_notation_store_case(const Json& c, const fs::path& base, bool expect_valid) {
    const fs::path path = base / text_of(c, "path");
    const std::string type = path.parent_path().filename().string();
    const X509StoreKind kind = type == "tsa" ? X509StoreKind::tsa
                               : type == "signingAuthority" ? X509StoreKind::signing_authority
                                                            : X509StoreKind::ca;
    auto store = load_x509_store(path.string(), kind);
    if (expect_valid && !store) return {false, "expected valid, got " + store.error().message};
    if (!expect_valid && store) return {false, "expected invalid, but the store loaded"};
    return {true, {}};
}

}  // namespace edgeverify::conformance
