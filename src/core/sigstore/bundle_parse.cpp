// Sigstore bundles v0.1-v0.3 (FORMATS.md B.1/B.2) parsed strictly as proto3 JSON: the media
// type decides the version, unknown members are refused like protobuf's JSON parser does, and the
// version rules of sigstore-go's bundle validation apply.
#include <exception>

#include "edgeverify/sigstore_bundle.hpp"
#include "sigstore/bundle_fields.hpp"

namespace edgeverify {
namespace {

using sigstore_detail::At;
using sigstore_detail::violation;

// 1, 2 or 3 for a supported media type, 0 otherwise.
int bundle_minor_version(std::string_view media_type) {
    constexpr std::string_view kOldStyle = "application/vnd.dev.sigstore.bundle+json;version=0.";
    if (media_type.size() == kOldStyle.size() + 1 && media_type.substr(0, kOldStyle.size()) == kOldStyle) {
        const char minor = media_type.back();
        if (minor >= '1' && minor <= '3') return minor - '0';
    }
    if (media_type == sigstore::kBundleMediaTypeV03) return 3;
    return 0;
}

Status parse_material(const Json& material, const At& at, SigstoreBundle& bundle) {
    using namespace sigstore_detail;
    if (auto s = only_members(
            material, at,
            {"publicKey", "x509CertificateChain", "certificate", "tlogEntries", "timestampVerificationData"});
        !s)
        return s;
    int kinds = 0;
    for (const char* kind : {"publicKey", "x509CertificateChain", "certificate"})
        kinds += member(material, kind) != nullptr;
    if (kinds != 1)
        return violation(at, kinds == 0
                                 ? "one of publicKey, x509CertificateChain, certificate is required"
                                 : "only one of publicKey, x509CertificateChain, certificate may be set");
    if (auto key = object_field(material, "publicKey", at, false, {"hint"}); !key) {
        return key.take_error();
    } else if (*key != nullptr) {
        auto hint = string_field(**key, "hint", at.field("publicKey"), false);
        if (!hint) return hint.take_error();
        bundle.material = BundleMaterial::public_key;
        bundle.public_key_hint = std::move(*hint);
    }
    if (auto chain = object_field(material, "x509CertificateChain", at, false, {"certificates"}); !chain) {
        return chain.take_error();
    } else if (*chain != nullptr) {
        if (bundle.minor_version >= 3)
            return violation(at.field("x509CertificateChain"),
                             "not allowed in a v0.3 bundle (use certificate)");
        const At chain_at = at.field("x509CertificateChain");
        auto list = array_field(**chain, "certificates", chain_at);
        if (!list) return list.take_error();
        if (*list == nullptr || (*list)->empty())
            return violation(chain_at.field("certificates"), "empty certificate chain");
        for (std::size_t i = 0; i < (*list)->size(); ++i) {
            const At here = chain_at.field("certificates").item(i);
            if (auto s = only_members((**list)[i], here, {"rawBytes"}); !s) return s;
            auto der = bytes_field((**list)[i], "rawBytes", here, true);
            if (!der) return der.take_error();
            bundle.certificates.push_back(std::move(*der));
        }
        bundle.material = BundleMaterial::certificate_chain;
    }
    if (auto cert = object_field(material, "certificate", at, false, {"rawBytes"}); !cert) {
        return cert.take_error();
    } else if (*cert != nullptr) {
        auto der = bytes_field(**cert, "rawBytes", at.field("certificate"), true);
        if (!der) return der.take_error();
        bundle.certificates.push_back(std::move(*der));
        bundle.material = BundleMaterial::certificate;
    }
    auto entries = array_field(material, "tlogEntries", at);
    if (!entries) return entries.take_error();
    if (*entries != nullptr) {
        for (std::size_t i = 0; i < (*entries)->size(); ++i) {
            const At here = at.field("tlogEntries").item(i);
            auto entry = parse_tlog_entry((**entries)[i], here, bundle.minor_version);
            if (!entry) return entry.take_error();
            // sigstore-go: v0.1 entries need the promise (SET), v0.2+ entries the Merkle proof.
            if (bundle.minor_version == 1 && !entry->has_inclusion_promise)
                return violation(here, "inclusionPromise is required in a v0.1 bundle");
            if (bundle.minor_version >= 2 && !entry->has_inclusion_proof)
                return violation(here, "inclusionProof is required in a v0.2+ bundle");
            bundle.tlog_entries.push_back(std::move(*entry));
        }
    }
    if (const Json* data = member(material, "timestampVerificationData")) {
        auto count = count_rfc3161_timestamps(*data, at.field("timestampVerificationData"));
        if (!count) return count.take_error();
        bundle.rfc3161_timestamps = *count;
        // Checked by the count above: each is an object with a base64 signedTimestamp.
        const At list_at = at.field("timestampVerificationData").field("rfc3161Timestamps");
        for (std::size_t i = 0; i < *count; ++i) {
            auto der = bytes_field((*data)["rfc3161Timestamps"][i], "signedTimestamp", list_at.item(i), true);
            if (!der) return der.take_error();
            bundle.rfc3161_signed_timestamps.push_back(std::move(*der));
        }
    }
    return {};
}

Status parse_message_signature(const Json& message, const At& at, SigstoreBundle& bundle) {
    using namespace sigstore_detail;
    if (auto s = only_members(message, at, {"messageDigest", "signature"}); !s) return s;
    SigstoreBundle::MessageSignature out;
    auto digest = object_field(message, "messageDigest", at, false, {"algorithm", "digest"});
    if (!digest) return digest.take_error();
    if (*digest != nullptr) {
        const At digest_at = at.field("messageDigest");
        auto algorithm = string_field(**digest, "algorithm", digest_at, false);
        if (!algorithm) return algorithm.take_error();
        bool known = false;  // sigstore_common.proto HashAlgorithm names
        for (std::string_view name :
             {"HASH_ALGORITHM_UNSPECIFIED", "SHA2_256", "SHA2_384", "SHA2_512", "SHA3_256", "SHA3_384"})
            known = known || *algorithm == name;
        if (!algorithm->empty() && !known)
            return violation(digest_at.field("algorithm"), "unknown hash algorithm \"" + *algorithm + "\"");
        auto bytes = bytes_field(**digest, "digest", digest_at, false);
        if (!bytes) return bytes.take_error();
        out.algorithm = std::move(*algorithm);
        out.digest = std::move(*bytes);
    }
    auto signature = bytes_field(message, "signature", at, true);
    if (!signature) return signature.take_error();
    out.signature = std::move(*signature);
    bundle.message_signature = std::move(out);
    return {};
}

Status parse_dsse_envelope(const Json& envelope, const At& at, SigstoreBundle& bundle) {
    using namespace sigstore_detail;
    if (auto s = only_members(envelope, at, {"payload", "payloadType", "signatures"}); !s) return s;
    SigstoreBundle::DsseEnvelope out;
    auto payload = bytes_field(envelope, "payload", at, true);
    if (!payload) return payload.take_error();
    auto type = string_field(envelope, "payloadType", at, true);
    if (!type) return type.take_error();
    auto signatures = array_field(envelope, "signatures", at);
    if (!signatures) return signatures.take_error();
    const std::size_t count = *signatures == nullptr ? 0 : (*signatures)->size();
    if (count != 1)
        return violation(at.field("signatures"),
                         "exactly one signature is required, found " + std::to_string(count));
    const At sig_at = at.field("signatures").item(0);
    const Json& signature = (**signatures)[0];
    if (auto s = only_members(signature, sig_at, {"sig", "keyid"}); !s) return s;
    auto sig = bytes_field(signature, "sig", sig_at, true);
    if (!sig) return sig.take_error();
    auto keyid = string_field(signature, "keyid", sig_at, false);
    if (!keyid) return keyid.take_error();
    out.payload = std::move(*payload);
    out.payload_type = std::move(*type);
    out.signature = std::move(*sig);
    out.keyid = std::move(*keyid);
    bundle.dsse = std::move(out);
    return {};
}

Expected<SigstoreBundle> parse_document(const Json& root, const At& at) {
    using namespace sigstore_detail;
    if (auto s =
            only_members(root, at, {"mediaType", "verificationMaterial", "messageSignature", "dsseEnvelope"});
        !s)
        return s.take_error();
    SigstoreBundle bundle;
    auto media_type = string_field(root, "mediaType", at, true);
    if (!media_type) return media_type.take_error();
    bundle.minor_version = bundle_minor_version(*media_type);
    if (bundle.minor_version == 0)
        return violation(at.field("mediaType"), "unsupported bundle media type \"" + *media_type + "\"");
    bundle.media_type = std::move(*media_type);

    const Json* material = member(root, "verificationMaterial");
    if (material == nullptr) return violation(at.field("verificationMaterial"), "required member is missing");
    if (auto s = parse_material(*material, at.field("verificationMaterial"), bundle); !s)
        return s.take_error();

    const Json* message = member(root, "messageSignature");
    const Json* envelope = member(root, "dsseEnvelope");
    if ((message == nullptr) == (envelope == nullptr))
        return violation(at, message == nullptr ? "one of messageSignature, dsseEnvelope is required"
                                                : "only one of messageSignature, dsseEnvelope may be set");
    if (message != nullptr) {
        if (auto s = parse_message_signature(*message, at.field("messageSignature"), bundle); !s)
            return s.take_error();
    } else if (auto s = parse_dsse_envelope(*envelope, at.field("dsseEnvelope"), bundle); !s) {
        return s.take_error();
    }
    // sigstore_bundle.proto: a key hint and a DSSE keyid, when both are set, name the same key.
    if (bundle.dsse && !bundle.public_key_hint.empty() && !bundle.dsse->keyid.empty() &&
        bundle.public_key_hint != bundle.dsse->keyid)
        return violation(at.field("dsseEnvelope").field("signatures").item(0).field("keyid"),
                         "\"" + bundle.dsse->keyid +
                             "\" differs from verificationMaterial.publicKey.hint \"" +
                             bundle.public_key_hint + "\"");
    return bundle;
}

}  // namespace

Expected<SigstoreBundle> parse_sigstore_bundle(std::string_view json, std::string_view where) {
    auto root = parse_json_strict(json, where);
    if (!root) return root.take_error();
    try {
        return parse_document(*root, At(where));
    } catch (const std::exception& e) {  // nlohmann-json or allocation: stays inside this module
        return make_error(Errc::internal, std::string(where) + ": unexpected parser failure: " + e.what());
    }
}

}  // namespace edgeverify
