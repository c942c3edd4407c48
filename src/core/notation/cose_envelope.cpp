// The Notary Project COSE_Sign1 envelope (FORMATS.md C.4): tag 18, protected header map with the
// same crit rules as the JWS envelope, x5chain, attached payload, the Sig_structure that is
// signed.
#include <set>

#include "edgeverify/notation.hpp"
#include "notation/cbor.hpp"
#include "notation/notation_support.hpp"

namespace edgeverify {
namespace {

using cbor::Item;
using cbor::Type;

constexpr std::int64_t kLabelAlg = 1, kLabelCrit = 2, kLabelContentType = 3, kLabelX5Chain = 33;
constexpr std::int64_t kCoseSign1Tag = 18, kEpochTimeTag = 1;

Error bad(std::string_view where, const std::string& why) {
    return make_error(Errc::signature_invalid, std::string(where) + ": " + why);
}

std::string label_text(const Item& label) {
    return label.type == Type::text ? "\"" + label.bytes + "\"" : std::to_string(label.integer);
}

Expected<NotaryAlgorithm> parse_alg(const Item* alg, std::string_view where) {
    static constexpr std::pair<std::int64_t, NotaryAlgorithm> kAlgorithms[] = {
        {-37, NotaryAlgorithm::ps256}, {-38, NotaryAlgorithm::ps384}, {-39, NotaryAlgorithm::ps512},
        {-7, NotaryAlgorithm::es256},  {-35, NotaryAlgorithm::es384}, {-36, NotaryAlgorithm::es512}};
    if (alg == nullptr) return bad(where, "alg (label 1) is missing");
    for (const auto& [id, value] : kAlgorithms)
        if (alg->is_integer(id)) return value;
    return bad(where, "alg " + label_text(*alg) + " is not a Notary Project algorithm");
}

Expected<std::int64_t> epoch_time(const Item& header, std::string_view name, std::string_view where) {
    const Item* value = header.find(cbor::text_key(name));
    if (value == nullptr) return bad(where, std::string(name) + " is missing");
    if (value->type != Type::tag || value->integer != kEpochTimeTag || value->items.size() != 1 ||
        value->items[0].type != Type::unsigned_integer) {
        return bad(where, std::string(name) + " must be tag 1 with integer epoch seconds");
    }
    return value->items[0].integer;
}

Status check_critical_headers(const Item& header, std::string_view where) {
    const Item* crit = header.find(cbor::integer_key(kLabelCrit));
    if (crit == nullptr || crit->type != Type::array || crit->items.empty()) {
        return bad(where, "crit (label 2) must be a non-empty array");
    }
    std::set<std::string> listed;
    for (const Item& label : crit->items) {
        if (label.type != Type::text) return bad(where, "crit names " + label_text(label) + ", which is not understood here");
        if (!listed.insert(label.bytes).second) return bad(where, "crit names \"" + label.bytes + "\" twice");
        if (header.find(label) == nullptr) return bad(where, "critical header \"" + label.bytes + "\" is absent");
        if (!notation::is_understood_critical_header(label.bytes)) {
            return bad(where, "unknown critical header \"" + label.bytes + "\"");
        }
    }
    for (std::string_view required : notation::kHeadersThatMustBeCritical) {
        const bool always = required == notation::kSigningScheme;
        if ((always || header.find(cbor::text_key(required)) != nullptr) && listed.count(std::string(required)) == 0) {
            return bad(where, "\"" + std::string(required) + "\" must be listed in crit");
        }
    }
    return {};
}

Status read_protected(const Item& header, NotationEnvelope& out, std::string_view where) {
    if (header.type != Type::map || header.map.empty()) return bad(where, "the protected header is not a non-empty map");
    auto algorithm = parse_alg(header.find(cbor::integer_key(kLabelAlg)), where);
    if (!algorithm) return algorithm.take_error();
    out.algorithm = *algorithm;
    const Item* content_type = header.find(cbor::integer_key(kLabelContentType));
    if (content_type == nullptr || !content_type->is_text(kNotationPayloadMediaType)) {
        return bad(where, "content type (label 3) must be " + std::string(kNotationPayloadMediaType));
    }
    if (auto ok = check_critical_headers(header, where); !ok) return ok;
    const Item* scheme = header.find(cbor::text_key(notation::kSigningScheme));
    if (scheme == nullptr || scheme->type != Type::text) return bad(where, "signingScheme must be a text string");
    if (scheme->bytes == "notary.x509") {
        out.scheme = NotationSigningScheme::x509;
        auto time = epoch_time(header, notation::kSigningTime, where);
        if (!time) return time.take_error();
        out.signing_time = *time;
    } else if (scheme->bytes == "notary.x509.signingAuthority") {
        out.scheme = NotationSigningScheme::x509_signing_authority;
        auto time = epoch_time(header, notation::kAuthenticSigningTime, where);
        if (!time) return time.take_error();
        out.authentic_signing_time = *time;
    } else {
        return bad(where, "signingScheme \"" + scheme->bytes + "\" is neither notary.x509 nor notary.x509.signingAuthority");
    }
    if (header.find(cbor::text_key(notation::kExpiry)) != nullptr) {
        auto expiry = epoch_time(header, notation::kExpiry, where);
        if (!expiry) return expiry.take_error();
        out.expiry = *expiry;
    }
    if (const Item* plugin = header.find(cbor::text_key(notation::kPlugin))) {
        if (plugin->type != Type::text) return bad(where, "verificationPlugin must be a text string");
        out.verification_plugin = plugin->bytes;
    }
    return {};
}

Status read_chain(const Item& chain, NotationEnvelope& out, std::string_view where) {
    std::vector<const Item*> certs;
    if (chain.type == Type::bytes) certs.push_back(&chain);
    else if (chain.type == Type::array)
        for (const Item& cert : chain.items) certs.push_back(&cert);
    if (certs.empty()) return bad(where, "x5chain must be a bstr or a non-empty array of bstr");
    if (certs.size() > notation::kMaxChainCertificates) {
        return make_error(Errc::limit_exceeded, std::string(where) + ": x5chain holds more than kMaxChainCertificates");
    }
    for (std::size_t i = 0; i < certs.size(); ++i) {
        const std::string at = std::string(where) + ": x5chain[" + std::to_string(i) + "]";
        if (certs[i]->type != Type::bytes) return bad(at, "not a byte string");
        auto cert = parse_certificate_der(certs[i]->bytes, at);
        if (!cert) return bad(at, cert.error().message);
        out.chain.push_back(std::move(*cert));
    }
    return {};
}

}  // namespace

Expected<NotationEnvelope> parse_cose_envelope(std::string_view bytes, std::string_view where) {
    if (bytes.size() > notation::kMaxEnvelopeBytes) {
        return make_error(Errc::limit_exceeded, std::string(where) + ": envelope larger than kMaxEnvelopeBytes");
    }
    auto top = cbor::decode(bytes, where);
    if (!top) return top.take_error();
    if (top->type != Type::tag || top->integer != kCoseSign1Tag) return bad(where, "not a COSE_Sign1_Tagged (CBOR tag 18)");
    const Item& sign1 = top->items[0];
    if (sign1.type != Type::array || sign1.items.size() != 4) return bad(where, "COSE_Sign1 is an array of 4 items");
    const Item& protected_bytes = sign1.items[0];
    const Item& unprotected = sign1.items[1];
    const Item& payload = sign1.items[2];
    const Item& signature = sign1.items[3];
    if (protected_bytes.type != Type::bytes || unprotected.type != Type::map || signature.type != Type::bytes) {
        return bad(where, "COSE_Sign1 needs [protected bstr, unprotected map, payload, signature bstr]");
    }
    if (payload.type != Type::bytes) return bad(where, "the payload must be attached (a bstr), not detached");
    const std::string header_where = std::string(where) + ": protected header";
    auto header = cbor::decode(protected_bytes.bytes, header_where);
    if (!header) return header.take_error();
    NotationEnvelope out;
    out.pss_salt = PssSalt::hash_length;
    if (auto ok = read_protected(*header, out, header_where); !ok) return ok.take_error();
    const Item* chain = unprotected.find(cbor::integer_key(kLabelX5Chain));
    const Item* protected_chain = header->find(cbor::integer_key(kLabelX5Chain));
    if (chain != nullptr && protected_chain != nullptr) return bad(where, "x5chain appears in both headers");
    if (chain == nullptr) chain = protected_chain;
    if (chain == nullptr) return bad(where, "x5chain (label 33) is missing");
    if (auto ok = read_chain(*chain, out, where); !ok) return ok.take_error();
    if (const Item* token = unprotected.find(cbor::text_key(notation::kTimestampSignature))) {
        if (token->type != Type::bytes) return bad(where, "timestampSignature must be a byte string");
        out.timestamp_token = token->bytes;
    }
    auto target = notation::parse_payload(payload.bytes, std::string(where) + ": payload");
    if (!target) return target.take_error();
    out.target = std::move(*target);
    out.signature = signature.bytes;
    out.signed_bytes = cbor::encode_head(4, 4) + cbor::encode_text("Signature1") + cbor::encode_bytes(protected_bytes.bytes) +
                       cbor::encode_bytes("") + cbor::encode_bytes(payload.bytes);
    return out;
}

Expected<NotationEnvelope> parse_notation_envelope(std::string_view bytes, std::string_view media_type,
                                                   std::string_view where) {
    if (media_type == kNotationJwsMediaType) return parse_jws_envelope(bytes, where);
    if (media_type == kNotationCoseMediaType) return parse_cose_envelope(bytes, where);
    return make_error(Errc::unsupported_media_type, std::string(where) + ": envelope media type \"" +
                                                        std::string(media_type) + "\" is neither " +
                                                        std::string(kNotationJwsMediaType) + " nor " +
                                                        std::string(kNotationCoseMediaType));
}

}  // namespace edgeverify
