// policy.json (DESIGN.md "Trust policy"): strict parsing into a TrustPolicy. Every refusal is
// Errc::config and names the JSON path, so a typo never becomes a silently weaker policy.
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/rules.hpp"
#include "edgeverify/trust_policy.hpp"

namespace edgeverify {
namespace {

// Walks one JSON object: checks its keys against the allowed set and reads typed members,
// reporting errors at "where: path.member".
class ObjectReader {
public:
    ObjectReader(const Json& object, std::string where, std::string path)
        : object_(object), where_(std::move(where)), path_(std::move(path)) {}

    Error error_at(const std::string& member, const std::string& reason) const {
        return make_error(Errc::config, where_ + ": " + join(member) + ": " + reason);
    }
    Error error(const std::string& reason) const {
        return make_error(Errc::config,
                          where_ + ": " + (path_.empty() ? std::string("top level") : path_) + ": " + reason);
    }
    const std::string& where() const { return where_; }
    std::string join(const std::string& member) const {
        return path_.empty() ? member : path_ + "." + member;
    }

    // Every key must be one of `allowed`.
    Status only_keys(std::initializer_list<std::string_view> allowed) const {
        for (const auto& item : object_.items()) {
            bool known = false;
            for (auto a : allowed) known = known || item.key() == a;
            if (!known) return error_at(item.key(), "unknown key");
        }
        return {};
    }
    bool has(const std::string& member) const { return object_.contains(member); }
    const Json& at(const std::string& member) const { return object_.at(member); }

    // A required or optional non-empty string.
    Expected<std::string> string(const std::string& member, bool required,
                                 const std::string& fallback = {}) const {
        if (!has(member)) {
            if (required) return error_at(member, "required string is missing");
            return fallback;
        }
        const Json& value = at(member);
        if (!value.is_string())
            return error_at(member, std::string("expected a string, got ") + value.type_name());
        auto text = value.get<std::string>();
        if (text.empty()) return error_at(member, "empty string");
        return text;
    }

private:
    const Json& object_;
    std::string where_;
    std::string path_;
};

Status check_regex(const ObjectReader& reader, const std::string& member, const std::string& pattern) {
    try {
        std::regex compiled(pattern, std::regex::ECMAScript);
        (void)compiled;
    } catch (const std::regex_error& e) {
        return reader.error_at(member, "regular expression does not compile: " + std::string(e.what()));
    }
    return {};
}

// A path relative to the trust directory: no leading '/', no empty, "." or ".." components.
bool is_safe_relative_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.back() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view component = path.substr(start, end - start);
        if (component.empty() || component == "." || component == "..") return false;
        start = end + 1;
    }
    return path.find('\0') == std::string_view::npos && path.find('\\') == std::string_view::npos;
}

Expected<std::string> relative_path(const ObjectReader& reader, const std::string& member) {
    auto path = reader.string(member, true);
    if (!path) return path;
    if (!is_safe_relative_path(*path)) {
        return reader.error_at(member, "\"" + *path +
                                           "\" must be a path relative to the trust directory (not absolute, "
                                           "no \"..\", \".\" or empty components)");
    }
    return path;
}

Expected<SigstoreSigner> parse_sigstore(const ObjectReader& reader) {
    if (auto ok = reader.only_keys({"issuer", "issuerRegExp", "identity", "identityRegExp"}); !ok) {
        return ok.take_error();
    }
    SigstoreSigner out;
    struct Pair {
        const char* exact;
        const char* regexp;
        std::string* exact_out;
        std::string* regexp_out;
    };
    const Pair pairs[] = {{"issuer", "issuerRegExp", &out.issuer, &out.issuer_regexp},
                          {"identity", "identityRegExp", &out.identity, &out.identity_regexp}};
    for (const auto& pair : pairs) {
        const bool has_exact = reader.has(pair.exact);
        const bool has_regexp = reader.has(pair.regexp);
        if (has_exact == has_regexp) {
            return reader.error(std::string(has_exact ? "both " : "neither ") + "\"" + pair.exact + "\" " +
                                (has_exact ? "and " : "nor ") + "\"" + pair.regexp +
                                "\": exactly one of them is required");
        }
        if (has_exact) {
            auto value = reader.string(pair.exact, true);
            if (!value) return value.take_error();
            *pair.exact_out = std::move(*value);
        } else {
            auto value = reader.string(pair.regexp, true);
            if (!value) return value.take_error();
            if (auto ok = check_regex(reader, pair.regexp, *value); !ok) return ok.take_error();
            *pair.regexp_out = std::move(*value);
        }
    }
    return out;
}

// "<kind>/<name>" with kind one of `kinds` and a name that is one safe path component.
Expected<std::string> x509_store_path(const ObjectReader& reader, const std::string& member,
                                      std::initializer_list<std::string_view> kinds) {
    auto path = relative_path(reader, member);  // no "..", absolute or empty components first
    if (!path) return path;
    const auto slash = path->find('/');
    const std::string kind = path->substr(0, slash);
    const std::string name = slash == std::string::npos ? std::string() : path->substr(slash + 1);
    bool known = false;
    std::string expected;
    for (auto k : kinds) {
        known = known || kind == k;
        expected += (expected.empty() ? "\"" : " or \"") + std::string(k) + "/<name>\"";
    }
    if (!known || name.empty() || name.find('/') != std::string::npos) {
        return reader.error_at(member, "\"" + *path + "\": expected " + expected);
    }
    return path;
}

// One of `allowed` for a string member; `what` lists them for the message.
Expected<std::string> one_of(const ObjectReader& reader, const std::string& member,
                             std::initializer_list<std::string_view> allowed, const std::string& what) {
    auto value = reader.string(member, true);
    if (!value) return value;
    for (auto a : allowed) {
        if (*value == a) return value;
    }
    return reader.error_at(member, "\"" + *value + "\": expected " + what);
}

// Notation's per-check override (FORMATS.md C.7): authenticTimestamp, expiry, revocation only;
// integrity and authenticity always decide whether a signature counts.
Status parse_x509_override(const ObjectReader& reader, NotationLevel& level) {
    if (auto ok = reader.only_keys({"authenticTimestamp", "expiry", "revocation"}); !ok) {
        if (reader.has("authenticity") || reader.has("integrity")) {
            return reader.error_at(
                reader.has("authenticity") ? "authenticity" : "integrity",
                "cannot be overridden: a signature counts toward the threshold only when "
                "its integrity and authenticity verify (use the scope's \"mode\": \"audit\" "
                "to admit images while recording failures)");
        }
        return ok;
    }
    const struct {
        const char* member;
        CheckAction* action;
    } checks[] = {{"authenticTimestamp", &level.authentic_timestamp},
                  {"expiry", &level.expiry},
                  {"revocation", &level.revocation}};
    for (const auto& check : checks) {
        if (!reader.has(check.member)) continue;
        const bool revocation = std::string_view(check.member) == "revocation";
        auto value = revocation ? one_of(reader, check.member, {"enforce", "log", "skip"},
                                         "\"enforce\", \"log\" or \"skip\"")
                                : one_of(reader, check.member, {"enforce", "log"}, "\"enforce\" or \"log\"");
        if (!value) return value.take_error();
        *check.action = *value == "enforce" ? CheckAction::enforce
                        : *value == "log"   ? CheckAction::log
                                            : CheckAction::skip;
    }
    return {};
}

Expected<X509Signer> parse_x509(const ObjectReader& reader) {
    if (auto ok =
            reader.only_keys({"trustStore", "subject", "tsaStore", "level", "override", "verifyTimestamp"});
        !ok)
        return ok.take_error();
    X509Signer out;
    auto store = x509_store_path(reader, "trustStore", {"ca", "signingAuthority"});
    if (!store) return store.take_error();
    auto subject = reader.string("subject", true);
    if (!subject) return subject.take_error();
    const std::string prefixed =
        subject->starts_with("x509.subject:") ? *subject : "x509.subject: " + *subject;
    auto identity = parse_trusted_identity(prefixed);
    if (!identity) return reader.error_at("subject", identity.error().message);
    out.trust_store = std::move(*store);
    out.subject = std::move(*subject);
    out.identity = std::move(*identity);
    if (reader.has("tsaStore")) {
        auto tsa = x509_store_path(reader, "tsaStore", {"tsa"});
        if (!tsa) return tsa.take_error();
        out.tsa_store = std::move(*tsa);
    }
    if (reader.has("level")) {
        auto level =
            one_of(reader, "level", {"strict", "permissive"},
                   "\"strict\" or \"permissive\" (Notation's \"audit\" is the scope's \"mode\": \"audit\"; "
                   "\"skip\" has no equivalent: every scope verifies signatures)");
        if (!level) return level.take_error();
        auto parsed = notation_level(*level);
        if (!parsed) return reader.error_at("level", parsed.error().message);
        out.level = *parsed;
    }
    if (reader.has("override")) {
        const Json& value = reader.at("override");
        if (!value.is_object())
            return reader.error_at("override", std::string("expected an object, got ") + value.type_name());
        if (auto ok =
                parse_x509_override(ObjectReader(value, reader.where(), reader.join("override")), out.level);
            !ok)
            return ok.take_error();
    }
    if (reader.has("verifyTimestamp")) {
        auto when = one_of(reader, "verifyTimestamp", {"always", "afterCertExpiry"},
                           "\"always\" or \"afterCertExpiry\"");
        if (!when) return when.take_error();
        out.verify_timestamp_always = *when == "always";
    }
    return out;
}

Expected<SignerSpec> parse_signer(const Json& json, const std::string& where, const std::string& path) {
    if (!json.is_object()) {
        return make_error(Errc::config,
                          where + ": " + path + ": expected an object, got " + json.type_name());
    }
    ObjectReader reader(json, where, path);
    if (auto ok = reader.only_keys({"name", "key", "sigstore", "x509"}); !ok) return ok.take_error();
    SignerSpec signer;
    auto name = reader.string("name", true);
    if (!name) return name.take_error();
    signer.name = std::move(*name);

    const int kinds = int(reader.has("key")) + int(reader.has("sigstore")) + int(reader.has("x509"));
    if (kinds != 1) {
        return reader.error(std::string(kinds == 0 ? "no signer kind" : "more than one signer kind") +
                            ": exactly one of \"key\", \"sigstore\" or \"x509\" is required");
    }
    if (reader.has("key")) {
        auto key = relative_path(reader, "key");
        if (!key) return key.take_error();
        signer.key = KeySigner{std::move(*key)};
    }
    for (const char* kind : {"sigstore", "x509"}) {
        if (!reader.has(kind)) continue;
        const Json& value = reader.at(kind);
        if (!value.is_object())
            return reader.error_at(kind, std::string("expected an object, got ") + value.type_name());
        ObjectReader inner(value, where, reader.join(kind));
        if (std::string_view(kind) == "sigstore") {
            auto parsed = parse_sigstore(inner);
            if (!parsed) return parsed.take_error();
            signer.sigstore = std::move(*parsed);
        } else {
            auto parsed = parse_x509(inner);
            if (!parsed) return parsed.take_error();
            signer.x509 = std::move(*parsed);
        }
    }
    return signer;
}

// The distinct signers: two entries naming the same key file count once (DESIGN.md).
std::size_t distinct_signer_count(const std::vector<SignerSpec>& signers) {
    std::set<std::string> key_paths;
    std::size_t others = 0;
    for (const auto& signer : signers) {
        if (signer.key) {
            key_paths.insert(signer.key->path);
        } else {
            ++others;
        }
    }
    return key_paths.size() + others;
}

Status parse_signatures(const ObjectReader& reader, Scope& scope) {
    if (auto ok = reader.only_keys({"threshold", "requireTransparencyLog", "referenceMatch", "signers"}); !ok)
        return ok;
    if (reader.has("referenceMatch")) {
        const Json& value = reader.at("referenceMatch");
        if (!value.is_string()) {
            return reader.error_at(
                "referenceMatch",
                std::string("expected \"repository\" or \"exact\", got ") + value.type_name());
        }
        const auto text = value.get<std::string>();
        if (text == "repository") {
            scope.reference_match = ReferenceMatch::repository;
        } else if (text == "exact") {
            scope.reference_match = ReferenceMatch::exact;
        } else {
            return reader.error_at("referenceMatch",
                                   "\"" + text + "\": expected \"repository\" or \"exact\"");
        }
    }
    if (reader.has("requireTransparencyLog")) {
        const Json& value = reader.at("requireTransparencyLog");
        if (!value.is_boolean()) {
            return reader.error_at("requireTransparencyLog",
                                   std::string("expected true or false, got ") + value.type_name());
        }
        scope.require_transparency_log = value.get<bool>();
    }
    if (!reader.has("signers")) return reader.error_at("signers", "required array is missing");
    const Json& signers = reader.at("signers");
    if (!signers.is_array())
        return reader.error_at("signers", std::string("expected an array, got ") + signers.type_name());
    if (signers.empty()) return reader.error_at("signers", "empty: a scope needs at least one signer");
    std::set<std::string> names;
    for (std::size_t i = 0; i < signers.size(); ++i) {
        const std::string path = reader.join("signers") + "[" + std::to_string(i) + "]";
        auto signer = parse_signer(signers[i], reader.where(), path);
        if (!signer) return signer.take_error();
        if (!names.insert(signer->name).second) {
            return make_error(Errc::config, reader.where() + ": " + path + ".name: duplicate signer name \"" +
                                                signer->name + "\" in this scope");
        }
        scope.signers.push_back(std::move(*signer));
    }
    if (reader.has("threshold")) {
        const Json& value = reader.at("threshold");
        if (!value.is_number_integer()) {
            return reader.error_at("threshold", std::string("expected an integer, got ") + value.type_name());
        }
        const auto threshold = value.get<long long>();
        if (threshold < 1) return reader.error_at("threshold", std::to_string(threshold) + " is below 1");
        const std::size_t distinct = distinct_signer_count(scope.signers);
        if (static_cast<unsigned long long>(threshold) > distinct) {
            return reader.error_at("threshold", std::to_string(threshold) + " exceeds the " +
                                                    std::to_string(distinct) + " distinct signers");
        }
        scope.threshold = static_cast<int>(threshold);
    }
    return {};
}

// match: an exact normalized name "registry/repository", or a literal prefix followed by one '*'.
Status check_match(const ObjectReader& reader, const std::string& match) {
    const auto star = match.find('*');
    if (star != std::string::npos) {
        if (star != match.size() - 1) {
            return reader.error_at("match", "\"" + match + "\": '*' is only allowed as the last character");
        }
        for (char c : match.substr(0, star)) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                            c == '-' || c == '/' || c == ':';
            if (!ok) {
                return reader.error_at("match", "\"" + match + "\": character '" + std::string(1, c) +
                                                    "' cannot appear in a normalized image name");
            }
        }
        return {};
    }
    auto ref = parse_image_reference(match);
    if (!ref)
        return reader.error_at("match", "\"" + match + "\" is not an image name: " + ref.error().message);
    if (ref->name() != match) {
        return reader.error_at("match", "\"" + match + "\" is not a normalized name \"registry/repository\"" +
                                            " (did you mean \"" + ref->name() + "\"?)");
    }
    return {};
}

Expected<Scope> parse_scope(const Json& json, const std::string& where, const std::string& path) {
    if (!json.is_object()) {
        return make_error(Errc::config,
                          where + ": " + path + ": expected an object, got " + json.type_name());
    }
    ObjectReader reader(json, where, path);
    if (auto ok = reader.only_keys({"name", "match", "mode", "signatures", "rules"}); !ok) {
        return ok.take_error();
    }
    Scope scope;
    auto name = reader.string("name", true);
    if (!name) return name.take_error();
    scope.name = std::move(*name);
    auto match = reader.string("match", true);
    if (!match) return match.take_error();
    if (auto ok = check_match(reader, *match); !ok) return ok.take_error();
    scope.match = std::move(*match);
    auto mode = reader.string("mode", false, "enforce");
    if (!mode) return mode.take_error();
    if (*mode == "enforce") {
        scope.mode = PolicyMode::enforce;
    } else if (*mode == "audit") {
        scope.mode = PolicyMode::audit;
    } else {
        return reader.error_at("mode", "\"" + *mode + "\" is neither \"enforce\" nor \"audit\"");
    }
    if (!reader.has("signatures")) return reader.error_at("signatures", "required object is missing");
    const Json& signatures = reader.at("signatures");
    if (!signatures.is_object()) {
        return reader.error_at("signatures",
                               std::string("expected an object, got ") + signatures.type_name());
    }
    if (auto ok = parse_signatures(ObjectReader(signatures, where, reader.join("signatures")), scope); !ok) {
        return ok.take_error();
    }
    if (reader.has("rules")) {
        const Json& rules = reader.at("rules");
        if (!rules.is_object())
            return reader.error_at("rules", std::string("expected an object, got ") + rules.type_name());
        // Image rules are checked as strictly as the rest, at load time (docs/rules.md).
        if (auto parsed = parse_rules_policy(rules, where, reader.join("rules")); !parsed) return parsed.take_error();
        scope.rules = rules;
    }
    return scope;
}

}  // namespace

Expected<TrustPolicy> parse_trust_policy(std::string_view text, std::string_view where_view) {
    const std::string where(where_view);
    auto json = parse_json_strict(text, where);
    // Syntax, size and duplicate keys are configuration errors here, not rejected content.
    if (!json) return make_error(Errc::config, json.error().message);
    if (!json->is_object()) {
        return make_error(Errc::config, where + ": top level: expected an object, got " + json->type_name());
    }
    ObjectReader reader(*json, where, "");
    if (auto ok = reader.only_keys({"version", "default", "scopes"}); !ok) return ok.take_error();

    TrustPolicy policy;
    if (!reader.has("version")) return reader.error_at("version", "required (1) is missing");
    const Json& version = reader.at("version");
    if (!version.is_number_integer() || version.get<long long>() != 1) {
        return reader.error_at("version", version.dump() + " is not a supported version (expected 1)");
    }
    auto default_action = reader.string("default", false, "reject");
    if (!default_action) return default_action.take_error();
    if (*default_action == "reject") {
        policy.default_action = DefaultAction::reject;
    } else if (*default_action == "audit") {
        policy.default_action = DefaultAction::audit;
    } else {
        return reader.error_at("default", "\"" + *default_action + "\" is neither \"reject\" nor \"audit\"");
    }
    if (reader.has("scopes")) {
        const Json& scopes = reader.at("scopes");
        if (!scopes.is_array())
            return reader.error_at("scopes", std::string("expected an array, got ") + scopes.type_name());
        std::set<std::string> names, matches;
        for (std::size_t i = 0; i < scopes.size(); ++i) {
            const std::string path = "scopes[" + std::to_string(i) + "]";
            auto scope = parse_scope(scopes[i], where, path);
            if (!scope) return scope.take_error();
            if (!names.insert(scope->name).second) {
                return make_error(Errc::config, where + ": " + path + ".name: duplicate scope name \"" +
                                                    scope->name + "\"");
            }
            if (!matches.insert(scope->match).second) {
                return make_error(Errc::config, where + ": " + path + ".match: \"" + scope->match +
                                                    "\" is already matched by another scope");
            }
            policy.scopes.push_back(std::move(*scope));
        }
    }
    return policy;
}

}  // namespace edgeverify
