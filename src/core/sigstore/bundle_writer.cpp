// Writes a key-based Sigstore bundle v0.3 around a DSSE envelope (offline signing: no tlog
// entries), in the proto3 JSON that sigstore-go, cosign and @sigstore/bundle read.
#include "edgeverify/json.hpp"
#include "edgeverify/sigstore_bundle.hpp"

namespace edgeverify {

Expected<std::string> make_key_dsse_bundle(const PrivateKey& key, std::string_view payload_type,
                                           std::string_view payload) {
    auto public_key = key.public_key();
    if (!public_key) return public_key.take_error();
    auto signature = key.sign(dsse_pae(payload_type, payload));
    if (!signature) return signature.take_error();
    const auto quoted = [](std::string_view text) { return Json(std::string(text)).dump(); };
    // Hand-written for a stable member order; `tlogEntries: []` and `keyid: ""` are the proto3
    // defaults, which every proto3 JSON reader accepts.
    std::string out = "{\"mediaType\":" + quoted(sigstore::kBundleMediaTypeV03);
    out += ",\"verificationMaterial\":{\"publicKey\":{\"hint\":" + quoted(public_key->hint()) +
           "},\"tlogEntries\":[]}";
    out += ",\"dsseEnvelope\":{\"payload\":" + quoted(base64_encode(payload));
    out += ",\"payloadType\":" + quoted(payload_type);
    out += ",\"signatures\":[{\"sig\":" + quoted(base64_encode(*signature)) + ",\"keyid\":\"\"}]}}";
    return out;
}

}  // namespace edgeverify
