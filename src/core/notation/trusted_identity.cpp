// Notation trusted identities ("x509.subject: C=US, ST=WA, O=Acme, CN=signer", FORMATS.md C.7)
// and the levels that say what each verification step does on failure.
#include <cctype>

#include "edgeverify/notation.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kSubjectPrefix = "x509.subject:";

Error bad(std::string_view text, const std::string& why) {
    return make_error(Errc::config, "trusted identity \"" + std::string(text) + "\": " + why);
}

// Attribute types compare case-insensitively; "S" is another name for "ST".
std::string normalized_type(std::string_view type) {
    std::string out;
    for (char c : type) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return out == "S" ? "ST" : out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// One "type=value" with RFC 4514 escapes; unescaped spaces around type and value are dropped.
Expected<std::pair<std::string, std::string>> parse_attribute(std::string_view rdn, std::string_view text) {
    const std::size_t equals = rdn.find('=');
    if (equals == std::string_view::npos) return bad(text, "\"" + std::string(rdn) + "\" is not type=value");
    std::string_view type = rdn.substr(0, equals);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (type.empty()) return bad(text, "an attribute has no type");
    std::string value;
    std::size_t kept = 0;  // length up to the last escaped or non-space character
    const std::string_view raw = rdn.substr(equals + 1);
    std::size_t i = 0;
    while (i < raw.size() && raw[i] == ' ') ++i;
    for (; i < raw.size(); ++i) {
        if (raw[i] == '\\') {
            if (i + 1 >= raw.size()) return bad(text, "a value ends with a lone backslash");
            const int high = hex_value(raw[i + 1]);
            const int low = i + 2 < raw.size() ? hex_value(raw[i + 2]) : -1;
            if (high >= 0 && low >= 0) {
                value.push_back(static_cast<char>(high * 16 + low));
                i += 2;
            } else {
                value.push_back(raw[++i]);
            }
            kept = value.size();
            continue;
        }
        value.push_back(raw[i]);
        if (raw[i] != ' ') kept = value.size();
    }
    value.resize(kept);
    return std::make_pair(normalized_type(type), value);
}

}  // namespace

Expected<TrustedIdentity> parse_trusted_identity(std::string_view text) {
    if (text.substr(0, kSubjectPrefix.size()) != kSubjectPrefix) {
        return bad(text, "only \"x509.subject:\" identities (or \"*\") are supported");
    }
    const std::string_view dn = text.substr(kSubjectPrefix.size());
    TrustedIdentity out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= dn.size(); ++i) {
        if (i < dn.size() && dn[i] == '\\') {
            if (i + 1 >= dn.size()) return bad(text, "ends with a lone backslash");
            ++i;  // the escaped character never separates
            continue;
        }
        if (i == dn.size() || dn[i] == ',' || dn[i] == ';' || dn[i] == '+') {
            auto attribute = parse_attribute(dn.substr(start, i - start), text);
            if (!attribute) return attribute.take_error();
            for (const auto& [type, value] : out.attributes) {
                if (type == attribute->first) return bad(text, "attribute " + type + " appears twice");
            }
            out.attributes.push_back(std::move(*attribute));
            start = i + 1;
        }
    }
    for (std::string_view required : {"C", "ST", "O"}) {
        bool found = false;
        for (const auto& attribute : out.attributes) found = found || attribute.first == required;
        if (!found) return bad(text, "C, ST (or S) and O are required; " + std::string(required) + " is missing");
    }
    return out;
}

bool identity_matches(const TrustedIdentity& identity, const std::vector<std::pair<std::string, std::string>>& subject) {
    for (const auto& [type, value] : identity.attributes) {
        bool found = false;
        for (const auto& [subject_type, subject_value] : subject) {
            found = found || (normalized_type(subject_type) == type && subject_value == value);
        }
        if (!found) return false;
    }
    return true;
}

Expected<NotationLevel> notation_level(std::string_view name) {
    NotationLevel level;  // strict: everything enforced
    if (name == "strict") return level;
    if (name == "permissive") {
        level.authentic_timestamp = level.expiry = level.revocation = CheckAction::log;
        return level;
    }
    if (name == "audit") {
        level.authenticity = level.authentic_timestamp = level.expiry = level.revocation = CheckAction::log;
        return level;
    }
    if (name == "skip") {
        level.integrity = level.authenticity = level.authentic_timestamp = level.expiry = level.revocation =
            CheckAction::skip;
        return level;
    }
    return make_error(Errc::config, "signature verification level \"" + std::string(name) +
                                        "\" is not strict, permissive, audit or skip");
}

}  // namespace edgeverify
