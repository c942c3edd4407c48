// The logged Rekor v1 entry body must vouch for the signature being verified (FORMATS.md A.7
// step 3, B.4 "Body <-> bundle consistency"): same signature, same key or certificate, same
// digest of what was signed. Body shapes: rekor pkg/types/{hashedrekord,rekord,dsse,intoto}.
// A body whose kind/version is not one of these is Errc::schema_violation naming the kind; a body
// missing or mistyping a field it must have is schema_violation too; a field that disagrees with
// the signature is Errc::signature_invalid naming the field.
#include <string>

#include "crypto/pem.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"
#include "sigstore/rekor_v2_body.hpp"

namespace edgeverify {
namespace {

class BodyChecker {
public:
    BodyChecker(const Json& root, const RekorBinding& binding, std::string prefix)
        : root_(root), binding_(binding), prefix_(std::move(prefix)) {}

    // The member at `path`: dot-separated names, a name may end in "[0]" (the one element of
    // an array, see single()).
    Expected<const Json*> at(const std::string& path) const {
        const Json* node = &root_;
        std::size_t start = 0;
        while (true) {
            const auto dot = path.find('.', start);
            std::string name = path.substr(start, dot == std::string::npos ? dot : dot - start);
            const bool first_element = name.size() > 3 && name.compare(name.size() - 3, 3, "[0]") == 0;
            if (first_element) name.resize(name.size() - 3);
            if (!node->is_object())
                return shape((start == 0 ? std::string("the body") : path.substr(0, start - 1)) +
                             " is not an object");
            const auto it = node->find(name);
            if (it == node->end()) return shape(path.substr(0, dot) + " is missing");
            node = &*it;
            if (first_element) {
                if (!node->is_array() || node->empty())
                    return shape(path.substr(0, dot) + " is not a non-empty array");
                node = &node->front();
            }
            if (dot == std::string::npos) return node;
            start = dot + 1;
        }
    }

    Expected<std::string> string_at(const std::string& path) const {
        auto node = at(path);
        if (!node) return node.take_error();
        if (!(*node)->is_string()) return shape(path + " is not a string");
        return (*node)->get<std::string>();
    }

    // A base64 member, decoded.
    Expected<std::string> bytes_at(const std::string& path) const {
        auto text = string_at(path);
        if (!text) return text.take_error();
        auto bytes = base64_decode(*text, path);
        if (!bytes) return shape(path + " is not valid base64");
        return bytes;
    }

    // {"algorithm": "sha256", "value": "<hex>"} at `path` against `expected` (what was signed).
    Status hash(const std::string& path, const std::optional<Digest>& expected, const char* what) const {
        auto algorithm = string_at(path + ".algorithm");
        if (!algorithm) return algorithm.take_error();
        auto value = string_at(path + ".value");
        if (!value) return value.take_error();
        if (!expected) {
            return disagree(path + " logs the digest of " + what +
                            ", which this signature does not have (wrong entry kind for it)");
        }
        if (*algorithm != digest_algorithm_name(expected->algorithm())) {
            return disagree(path + ".algorithm is \"" + *algorithm + "\", the signed content's digest is " +
                            std::string(digest_algorithm_name(expected->algorithm())));
        }
        if (*value != expected->hex()) {
            return disagree(path + ".value " + *value + " is not the digest of " + what + " (" +
                            expected->hex() + ")");
        }
        return {};
    }

    // Base64 signature bytes at `path` (decoded `decode_times` times: intoto 0.0.2 encodes twice).
    Status signature(const std::string& path, int decode_times = 1) const {
        auto bytes = bytes_at(path);
        if (!bytes) return bytes.take_error();
        for (int i = 1; i < decode_times; ++i) {
            auto inner = base64_decode(*bytes, path);
            if (!inner) return shape(path + " is not base64 of a base64 signature");
            bytes = std::move(*inner);
        }
        if (binding_.signature.empty() || *bytes != binding_.signature)
            return disagree(path + " is not the signature being verified");
        return {};
    }

    // Base64 of a PEM public key or certificate at `path`, compared as DER.
    Status public_key(const std::string& path) const {
        auto pem = bytes_at(path);
        if (!pem) return pem.take_error();
        auto block = crypto::pem_decode(*pem, path);
        if (!block) return shape(path + " is not base64 of a PEM key or certificate");
        if (binding_.public_key_der.empty() || block->der != binding_.public_key_der)
            return disagree(path + " (" + block->label + ") is not the key or certificate being verified");
        return {};
    }

    // The array at `path` must hold exactly one element (Rekor logs one signature per entry).
    Status single(const std::string& path) const {
        auto node = at(path);
        if (!node) return node.take_error();
        if (!(*node)->is_array()) return shape(path + " is not an array");
        if ((*node)->size() != 1)
            return disagree(path + " holds " + std::to_string((*node)->size()) + " signatures, expected 1");
        return {};
    }

    Error shape(const std::string& what) const { return make_error(Errc::schema_violation, prefix_ + what); }
    Error disagree(const std::string& what) const {
        return make_error(Errc::signature_invalid, prefix_ + what);
    }

private:
    const Json& root_;
    const RekorBinding& binding_;
    std::string prefix_;
};

// hashedrekord 0.0.1 and rekord 0.0.1 put the same three things at the same paths.
Status check_hashed_rekord(const BodyChecker& body, const RekorBinding& binding) {
    if (auto ok = body.hash("spec.data.hash", binding.signed_bytes_digest, "the signed bytes"); !ok)
        return ok;
    if (auto ok = body.signature("spec.signature.content"); !ok) return ok;
    return body.public_key("spec.signature.publicKey.content");
}

// dsse 0.0.1: payloadHash and the one signature with its verifier. envelopeHash covers the
// envelope's JSON serialization, which the verifier does not have byte for byte: not compared.
Status check_dsse(const BodyChecker& body, const RekorBinding& binding) {
    if (auto ok = body.hash("spec.payloadHash", binding.envelope_payload_digest, "the DSSE payload"); !ok)
        return ok;
    if (auto ok = body.single("spec.signatures"); !ok) return ok;
    if (auto ok = body.signature("spec.signatures[0].signature"); !ok) return ok;
    return body.public_key("spec.signatures[0].verifier");
}

// intoto 0.0.1 logs the payload hash and the key, not the signature.
Status check_intoto_v1(const BodyChecker& body, const RekorBinding& binding) {
    if (auto ok = body.hash("spec.content.payloadHash", binding.envelope_payload_digest, "the DSSE payload");
        !ok)
        return ok;
    return body.public_key("spec.publicKey");
}

// intoto 0.0.2 logs the envelope's signatures; each `sig` is base64 of the envelope's base64 text.
Status check_intoto_v2(const BodyChecker& body, const RekorBinding& binding) {
    if (auto ok = body.hash("spec.content.payloadHash", binding.envelope_payload_digest, "the DSSE payload");
        !ok)
        return ok;
    if (auto ok = body.single("spec.content.envelope.signatures"); !ok) return ok;
    if (auto ok = body.signature("spec.content.envelope.signatures[0].sig", 2); !ok) return ok;
    return body.public_key("spec.content.envelope.signatures[0].publicKey");
}

}  // namespace

Status check_rekor_body(std::string_view body_text, const RekorBinding& binding, std::string_view where) {
    const std::string prefix = std::string(where) + ": Rekor entry body: ";
    auto json = parse_json_strict(body_text, std::string(where) + ": Rekor entry body");
    if (!json) return json.take_error();
    const BodyChecker body(*json, binding, prefix);
    auto kind = body.string_at("kind");
    if (!kind) return kind.take_error();
    auto version = body.string_at("apiVersion");
    if (!version) return version.take_error();
    if ((*kind == "hashedrekord" || *kind == "rekord") && *version == "0.0.1")
        return check_hashed_rekord(body, binding);
    if (*kind == "dsse" && *version == "0.0.1") return check_dsse(body, binding);
    if (*kind == "intoto" && *version == "0.0.1") return check_intoto_v1(body, binding);
    if (*kind == "intoto" && *version == "0.0.2") return check_intoto_v2(body, binding);
    if (*kind == "hashedrekord" && *version == "0.0.2") return check_hashed_rekord_v002(*json, binding, prefix);
    return body.shape("entry kind " + *kind + " " + *version + " is not supported");
}

}  // namespace edgeverify
