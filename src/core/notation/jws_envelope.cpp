// The Notary Project JWS envelope (JSON flattened serialization, FORMATS.md C.3): outer object,
// protected header with its `crit` rules, payload descriptor, x5c chain. The signature itself is
// checked by verify_notation_signature.
#include <algorithm>
#include <set>

#include "edgeverify/json.hpp"
#include "edgeverify/notation.hpp"
#include "notation/notation_support.hpp"

namespace edgeverify {
namespace {

using notation::kAuthenticSigningTime;
using notation::kExpiry;
using notation::kPlugin;
using notation::kPluginMinVersion;
using notation::kSigningScheme;
using notation::kSigningTime;
using notation::kTimestampSignature;

Error bad(std::string_view where, const std::string& why) {
    return make_error(Errc::signature_invalid, std::string(where) + ": " + why);
}

Expected<std::string> string_member(const Json& object, std::string_view key, std::string_view where) {
    const auto it = object.find(std::string(key));
    if (it == object.end()) return bad(where, "\"" + std::string(key) + "\" is missing");
    if (!it->is_string()) return bad(where, "\"" + std::string(key) + "\" is not a string");
    return it->get<std::string>();
}

Expected<NotaryAlgorithm> parse_alg(const std::string& alg, std::string_view where) {
    static constexpr std::pair<std::string_view, NotaryAlgorithm> kAlgorithms[] = {
        {"PS256", NotaryAlgorithm::ps256}, {"PS384", NotaryAlgorithm::ps384}, {"PS512", NotaryAlgorithm::ps512},
        {"ES256", NotaryAlgorithm::es256}, {"ES384", NotaryAlgorithm::es384}, {"ES512", NotaryAlgorithm::es512}};
    for (const auto& [name, value] : kAlgorithms) {
        if (alg == name) return value;
    }
    return bad(where, "alg \"" + alg + "\" is not a Notary Project algorithm (PS256/384/512, ES256/384/512)");
}

Expected<std::int64_t> time_member(const Json& header, std::string_view key, std::string_view where) {
    auto text = string_member(header, key, where);
    if (!text) return text.take_error();
    const auto seconds = parse_rfc3339(*text);
    if (!seconds) return bad(where, std::string(key) + " \"" + *text + "\" is not an RFC 3339 time");
    return *seconds;
}

// `crit` (FORMATS.md C.3): required; names only extension headers (never alg/cty/crit), no
// duplicates, each present in the header and understood here; signingScheme always, expiry,
// authenticSigningTime and the plugin headers whenever present.
Status check_critical_headers(const Json& header, std::string_view where) {
    const auto crit = header.find("crit");
    if (crit == header.end() || !crit->is_array() || crit->empty()) {
        return bad(where, "\"crit\" must be a non-empty array of header names");
    }
    std::set<std::string> listed;
    for (const Json& name : *crit) {
        if (!name.is_string()) return bad(where, "\"crit\" holds a non-string");
        const std::string text = name.get<std::string>();
        if (text == "alg" || text == "cty" || text == "crit") return bad(where, "\"crit\" names the standard header \"" + text + "\"");
        if (!listed.insert(text).second) return bad(where, "\"crit\" names \"" + text + "\" twice");
        if (!header.contains(text)) return bad(where, "critical header \"" + text + "\" is absent");
        if (!notation::is_understood_critical_header(text)) return bad(where, "unknown critical header \"" + text + "\"");
    }
    for (std::string_view required : notation::kHeadersThatMustBeCritical) {
        const bool always = required == kSigningScheme;
        if ((always || header.contains(std::string(required))) && listed.count(std::string(required)) == 0) {
            return bad(where, "\"" + std::string(required) + "\" must be listed in \"crit\"");
        }
    }
    return {};
}

Status read_protected_header(const Json& header, NotationEnvelope& out, std::string_view where) {
    if (!header.is_object()) return bad(where, "the protected header is not a JSON object");
    auto alg = string_member(header, "alg", where);
    if (!alg) return alg.take_error();
    auto algorithm = parse_alg(*alg, where);
    if (!algorithm) return algorithm.take_error();
    out.algorithm = *algorithm;
    auto cty = string_member(header, "cty", where);
    if (!cty) return cty.take_error();
    if (*cty != kNotationPayloadMediaType) return bad(where, "cty \"" + *cty + "\" is not " + std::string(kNotationPayloadMediaType));
    if (auto ok = check_critical_headers(header, where); !ok) return ok;
    auto scheme = string_member(header, kSigningScheme, where);
    if (!scheme) return scheme.take_error();
    if (*scheme == "notary.x509") {
        out.scheme = NotationSigningScheme::x509;
        auto time = time_member(header, kSigningTime, where);
        if (!time) return time.take_error();
        out.signing_time = *time;
        if (header.contains(std::string(kAuthenticSigningTime))) return bad(where, "authenticSigningTime belongs to notary.x509.signingAuthority");
    } else if (*scheme == "notary.x509.signingAuthority") {
        out.scheme = NotationSigningScheme::x509_signing_authority;
        auto time = time_member(header, kAuthenticSigningTime, where);
        if (!time) return time.take_error();
        out.authentic_signing_time = *time;
        if (header.contains(std::string(kSigningTime))) {
            auto signing = time_member(header, kSigningTime, where);
            if (!signing) return signing.take_error();
            out.signing_time = *signing;
        }
    } else {
        return bad(where, "signingScheme \"" + *scheme + "\" is neither notary.x509 nor notary.x509.signingAuthority");
    }
    if (header.contains(std::string(kExpiry))) {
        auto expiry = time_member(header, kExpiry, where);
        if (!expiry) return expiry.take_error();
        out.expiry = *expiry;
    }
    if (header.contains(std::string(kPlugin))) {
        auto plugin = string_member(header, kPlugin, where);
        if (!plugin) return plugin.take_error();
        out.verification_plugin = *plugin;
    }
    return {};
}

Status read_unprotected_header(const Json& envelope, NotationEnvelope& out, std::string_view where) {
    const auto header = envelope.find("header");
    if (header == envelope.end() || !header->is_object()) return bad(where, "\"header\" (with x5c) is missing");
    const auto x5c = header->find("x5c");
    if (x5c == header->end() || !x5c->is_array() || x5c->empty()) return bad(where, "header.x5c must be a non-empty array");
    if (x5c->size() > notation::kMaxChainCertificates) {
        return make_error(Errc::limit_exceeded, std::string(where) + ": header.x5c holds more than kMaxChainCertificates");
    }
    for (std::size_t i = 0; i < x5c->size(); ++i) {
        const std::string at = std::string(where) + ": header.x5c[" + std::to_string(i) + "]";
        if (!(*x5c)[i].is_string()) return bad(at, "not a string");
        auto der = base64_decode((*x5c)[i].get<std::string>(), at);
        if (!der) return bad(at, der.error().message);
        auto cert = parse_certificate_der(*der, at);
        if (!cert) return bad(at, cert.error().message);
        out.chain.push_back(std::move(*cert));
    }
    const auto token = header->find(std::string(kTimestampSignature));
    if (token != header->end()) {
        const std::string at = std::string(where) + ": header." + std::string(kTimestampSignature);
        if (!token->is_string()) return bad(at, "not a string");
        auto der = base64_decode(token->get<std::string>(), at);
        if (!der) return bad(at, der.error().message);
        out.timestamp_token = std::move(*der);
    }
    return {};  // other unprotected members (signingAgent, SigningAgent) are informational
}

}  // namespace

Expected<NotationEnvelope> parse_jws_envelope(std::string_view text, std::string_view where) {
    JsonLimits limits;
    limits.max_bytes = notation::kMaxEnvelopeBytes;
    auto envelope = parse_json_strict(text, where, limits);
    if (!envelope) return envelope.take_error();
    if (!envelope->is_object()) return bad(where, "a JWS envelope is a JSON object");
    if (envelope->contains("signatures")) return bad(where, "JWS general serialization is not a Notary Project envelope");
    for (const auto& [key, value] : envelope->items()) {
        if (key != "payload" && key != "protected" && key != "header" && key != "signature") {
            return bad(where, "unexpected member \"" + key + "\" in the JWS envelope");
        }
    }
    NotationEnvelope out;
    out.pss_salt = PssSalt::any;
    auto protected_b64 = string_member(*envelope, "protected", where);
    if (!protected_b64) return protected_b64.take_error();
    auto payload_b64 = string_member(*envelope, "payload", where);
    if (!payload_b64) return payload_b64.take_error();
    auto signature_b64 = string_member(*envelope, "signature", where);
    if (!signature_b64) return signature_b64.take_error();

    const std::string header_where = std::string(where) + ": protected header";
    auto header_text = base64url_decode(*protected_b64, header_where);
    if (!header_text) return bad(header_where, header_text.error().message);
    auto header = parse_json_strict(*header_text, header_where);
    if (!header) return bad(header_where, header.error().message);
    if (auto ok = read_protected_header(*header, out, header_where); !ok) return ok.take_error();

    const std::string payload_where = std::string(where) + ": payload";
    auto payload = base64url_decode(*payload_b64, payload_where);
    if (!payload) return bad(payload_where, payload.error().message);
    auto target = notation::parse_payload(*payload, payload_where);
    if (!target) return target.take_error();
    out.target = std::move(*target);

    auto signature = base64url_decode(*signature_b64, std::string(where) + ": signature");
    if (!signature) return bad(where, signature.error().message);
    out.signature = std::move(*signature);
    out.signed_bytes = *protected_b64 + "." + *payload_b64;
    if (auto ok = read_unprotected_header(*envelope, out, where); !ok) return ok.take_error();
    return out;
}

}  // namespace edgeverify
