// Rekor v2 hashedrekord 0.0.2 bodies (rekor-tiles api/proto/rekor/v2/hashedrekord.proto): the
// digest of what was signed, the signature and its verifier (a public key or an X.509
// certificate, DER, with its PublicKeyDetails name). sigstore-go rebuilds this entry from the
// bundle and compares leaf hashes; here each member is compared, and a member the proto does not
// have is refused, which comes to the same.
#include <initializer_list>
#include <set>

#include "edgeverify/crypto.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/x509.hpp"
#include "sigstore/rekor_v2_body.hpp"

namespace edgeverify {
namespace {

class V2Reader {
public:
    explicit V2Reader(const std::string& prefix) : prefix_(prefix) {}

    // The object at `path` under `parent`, with no members outside `allowed`.
    Expected<const Json*> object(const Json& parent, const std::string& name, const std::string& path,
                                 std::initializer_list<const char*> allowed) const {
        const auto it = parent.find(name);
        if (it == parent.end()) return shape(path + " is missing");
        if (!it->is_object()) return shape(path + " is not an object");
        const std::set<std::string> known(allowed.begin(), allowed.end());
        for (const auto& member : it->items()) {
            if (!known.count(member.key()))
                return shape(path + "." + member.key() + " is not a member of a hashedrekord 0.0.2 entry");
        }
        return &*it;
    }

    Expected<std::string> text(const Json& parent, const std::string& name, const std::string& path) const {
        const auto it = parent.find(name);
        if (it == parent.end()) return shape(path + " is missing");
        if (!it->is_string()) return shape(path + " is not a string");
        return it->get<std::string>();
    }

    Expected<std::string> bytes(const Json& parent, const std::string& name, const std::string& path) const {
        auto value = text(parent, name, path);
        if (!value) return value.take_error();
        auto raw = base64_decode(*value, path);
        if (!raw) return shape(path + " is not valid base64");
        return raw;
    }

    Error shape(const std::string& what) const { return make_error(Errc::schema_violation, prefix_ + what); }
    Error disagree(const std::string& what) const {
        return make_error(Errc::signature_invalid, prefix_ + what);
    }

private:
    const std::string& prefix_;
};

// The PublicKeyDetails names (sigstore_common.proto) a key of this type may be logged with.
std::set<std::string> key_details_for(const PublicKey& key) {
    switch (key.type()) {
        case KeyType::ecdsa_p256:
            return {"PKIX_ECDSA_P256_SHA_256"};
        case KeyType::ecdsa_p384:
            return {"PKIX_ECDSA_P384_SHA_384"};
        case KeyType::ecdsa_p521:
            return {"PKIX_ECDSA_P521_SHA_512"};
        case KeyType::ed25519:
            return {"PKIX_ED25519"};
        case KeyType::rsa: {
            const std::string bits = std::to_string(key.bits());
            return {"PKIX_RSA_PKCS1V15_" + bits + "_SHA256", "PKIX_RSA_PSS_" + bits + "_SHA256"};
        }
    }
    return {};
}

// verifier: {publicKey {rawBytes} | x509Certificate {rawBytes}, keyDetails}.
Status check_verifier(const V2Reader& read, const Json& verifier, const RekorBinding& binding,
                      const std::string& path) {
    const bool has_key = verifier.contains("publicKey");
    const bool has_cert = verifier.contains("x509Certificate");
    if (has_key == has_cert) return read.shape(path + " needs exactly one of publicKey and x509Certificate");
    const std::string member = has_key ? "publicKey" : "x509Certificate";
    auto holder = read.object(verifier, member, path + "." + member, {"rawBytes"});
    if (!holder) return holder.take_error();
    auto der = read.bytes(**holder, "rawBytes", path + "." + member + ".rawBytes");
    if (!der) return der.take_error();
    if (binding.public_key_der.empty() || *der != binding.public_key_der) {
        return read.disagree(path + "." + member + " is not the " + (has_key ? "key" : "certificate") +
                             " being verified");
    }
    auto details = read.text(verifier, "keyDetails", path + ".keyDetails");
    if (!details) return details.take_error();
    Expected<PublicKey> key = make_error(Errc::internal, "no key");
    if (has_key) {
        key = parse_public_key_der(*der, path + ".publicKey");
    } else {
        auto cert = parse_certificate_der(*der, path + ".x509Certificate");
        if (!cert) return cert.take_error();
        key = certificate_public_key(*cert, path + ".x509Certificate");
    }
    if (!key) return key.take_error();
    if (!key_details_for(*key).count(*details)) {
        return read.disagree(path + ".keyDetails " + *details + " does not name the key's algorithm (" +
                             std::string(key_type_name(key->type())) + ")");
    }
    return {};
}

}  // namespace

Status check_hashed_rekord_v002(const Json& body, const RekorBinding& binding, const std::string& prefix) {
    const V2Reader read(prefix);
    for (const auto& member : body.items()) {
        if (member.key() != "kind" && member.key() != "apiVersion" && member.key() != "spec")
            return read.shape(member.key() + " is not a member of a hashedrekord 0.0.2 entry");
    }
    auto spec = read.object(body, "spec", "spec", {"hashedRekordV002"});
    if (!spec) return spec.take_error();
    const std::string base = "spec.hashedRekordV002";
    auto entry = read.object(**spec, "hashedRekordV002", base, {"data", "signature"});
    if (!entry) return entry.take_error();

    auto data = read.object(**entry, "data", base + ".data", {"algorithm", "digest"});
    if (!data) return data.take_error();
    auto algorithm = read.text(**data, "algorithm", base + ".data.algorithm");
    if (!algorithm) return algorithm.take_error();
    auto digest = read.bytes(**data, "digest", base + ".data.digest");
    if (!digest) return digest.take_error();
    if (!binding.signed_message_digest) {
        return read.disagree(base + ".data logs the digest of signed bytes this signature does not have");
    }
    if (*algorithm != "SHA2_256") {
        return read.disagree(base + ".data.algorithm is \"" + *algorithm +
                             "\", the signed content's is SHA2_256");
    }
    if (hex_encode(*digest) != binding.signed_message_digest->hex()) {
        return read.disagree(base + ".data.digest sha256:" + hex_encode(*digest) +
                             " is not the digest of what was "
                             "signed (" +
                             binding.signed_message_digest->str() + ")");
    }

    auto signature = read.object(**entry, "signature", base + ".signature", {"content", "verifier"});
    if (!signature) return signature.take_error();
    auto content = read.bytes(**signature, "content", base + ".signature.content");
    if (!content) return content.take_error();
    if (binding.signature.empty() || *content != binding.signature)
        return read.disagree(base + ".signature.content is not the signature being verified");
    auto verifier = read.object(**signature, "verifier", base + ".signature.verifier",
                                {"publicKey", "x509Certificate", "keyDetails"});
    if (!verifier) return verifier.take_error();
    return check_verifier(read, **verifier, binding, base + ".signature.verifier");
}

}  // namespace edgeverify
