// Test helper for the trust-decision tests: an image, a trust store with two key signers made
// here, cosign simple-signing candidates and Sigstore bundles built by hand with those keys, and
// a fake Rekor log (an ECDSA key whose RekorKey the store trusts) that signs SETs.
#pragma once

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/signatures.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/trust_decision.hpp"

namespace edgeverify::test {

inline const std::string kManifest = R"({"schemaVersion":2,"note":"image A"})";
inline const std::string kOtherManifest = R"({"schemaVersion":2,"note":"image B"})";
inline const std::string kReference = "registry.example.com/fleet/app:1.0";
inline const std::string kBundleV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";

inline Digest sha256_of(std::string_view bytes) {
    return digest_of(DigestAlgorithm::sha256, bytes);
}

inline std::string raw_bytes(const Digest& digest) {
    std::string raw;
    for (std::size_t i = 0; i < digest.hex().size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(digest.hex().substr(i, 2), nullptr, 16)));
    return raw;
}

inline PrivateKey new_key() {
    return generate_ecdsa_p256_key().value();
}

// A fake Rekor log: its key signs SETs; `rekor` is what a trust store holding it trusts.
struct FakeLog {
    PrivateKey key = new_key();
    RekorKey rekor_key(const std::string& origin = "rekor/test.pub") const {
        RekorKey out;
        out.origin = origin;
        out.key = key.public_key().value();
        out.log_id = raw_bytes(sha256_of(out.key.spki_der()));
        return out;
    }
    // An entry logging `body`, with a SET over rekor_set_message.
    RekorSignedEntry entry(std::string body, std::int64_t integrated_time = 1700000000) const {
        RekorSignedEntry e;
        e.body = std::move(body);
        e.integrated_time = integrated_time;
        e.log_index = 42;
        e.log_id = rekor_key().log_id;
        e.signed_entry_timestamp = key.sign(rekor_set_message(e)).value();
        return e;
    }
};

// A hashedrekord 0.0.1 body logging `signature` by `signer` over bytes with digest `signed`.
inline std::string hashedrekord_body(std::string_view signature, const PrivateKey& signer,
                                     const Digest& signed_digest) {
    Json body = {{"apiVersion", "0.0.1"},
                 {"kind", "hashedrekord"},
                 {"spec",
                  {{"data", {{"hash", {{"algorithm", "sha256"}, {"value", signed_digest.hex()}}}}},
                   {"signature",
                    {{"content", base64_encode(signature)},
                     {"publicKey", {{"content", base64_encode(signer.public_key_pem())}}}}}}}};
    return body.dump();
}

// A dsse 0.0.1 body for an envelope with `payload` and `signature` by `signer`.
inline std::string dsse_body(std::string_view payload, std::string_view signature, const PrivateKey& signer) {
    Json body = {{"apiVersion", "0.0.1"},
                 {"kind", "dsse"},
                 {"spec",
                  {{"envelopeHash",
                    {{"algorithm", "sha256"},
                     {"value", sha256_of(dsse_pae(sigstore::kInTotoPayloadType, payload)).hex()}}},
                   {"payloadHash", {{"algorithm", "sha256"}, {"value", sha256_of(payload).hex()}}},
                   {"signatures", Json::array({{{"signature", base64_encode(signature)},
                                                {"verifier", base64_encode(signer.public_key_pem())}}})}}}};
    return body.dump();
}

// cosign's dev.sigstore.cosign/bundle annotation for an entry.
inline std::string hex_bytes(std::string_view raw) {
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : raw) {
        hex.push_back(kHex[c >> 4]);
        hex.push_back(kHex[c & 15]);
    }
    return hex;
}

inline std::string cosign_set_annotation(const RekorSignedEntry& e) {
    Json value = {{"SignedEntryTimestamp", base64_encode(e.signed_entry_timestamp)},
                  {"Payload",
                   {{"body", base64_encode(e.body)},
                    {"integratedTime", e.integrated_time},
                    {"logIndex", e.log_index},
                    {"logID", hex_bytes(e.log_id)}}}};
    return value.dump();
}

// A bundle tlog entry (v0.1 shape: inclusionPromise, no proof) for `e`.
inline Json bundle_tlog_entry(const RekorSignedEntry& e, const std::string& kind = "hashedrekord") {
    return {{"logIndex", std::to_string(e.log_index)},
            {"logId", {{"keyId", base64_encode(e.log_id)}}},
            {"kindVersion", {{"kind", kind}, {"version", "0.0.1"}}},
            {"integratedTime", std::to_string(e.integrated_time)},
            {"inclusionPromise", {{"signedEntryTimestamp", base64_encode(e.signed_entry_timestamp)}}},
            {"canonicalizedBody", base64_encode(e.body)}};
}

inline Json public_key_material(const std::string& hint, Json tlog_entries = Json::array()) {
    Json material = {{"publicKey", Json::object()}};
    if (!hint.empty()) material["publicKey"]["hint"] = hint;
    if (!tlog_entries.empty()) material["tlogEntries"] = std::move(tlog_entries);
    return material;
}

// A DSSE bundle: `statement` of payload type `type` signed over the PAE by `key`.
inline Json dsse_bundle(const PrivateKey& key, const std::string& statement,
                        const std::string& type = std::string(sigstore::kInTotoPayloadType)) {
    const std::string signature = key.sign(dsse_pae(type, statement)).value();
    return {{"mediaType", sigstore::kBundleMediaTypeV03},
            {"verificationMaterial", public_key_material(key.public_key().value().hint())},
            {"dsseEnvelope",
             {{"payload", base64_encode(statement)},
              {"payloadType", type},
              {"signatures", Json::array({{{"sig", base64_encode(signature)}}})}}}};
}

// A messageSignature bundle over `artifact` (its digest as messageDigest) signed by `key`.
inline Json message_bundle(const PrivateKey& key, const std::string& artifact) {
    return {{"mediaType", sigstore::kBundleMediaTypeV03},
            {"verificationMaterial", public_key_material(key.public_key().value().hint())},
            {"messageSignature",
             {{"messageDigest",
               {{"algorithm", "SHA2_256"}, {"digest", base64_encode(raw_bytes(sha256_of(artifact)))}}},
              {"signature", base64_encode(key.sign(artifact).value())}}}};
}

inline SignatureCandidate bundle_candidate(const Json& bundle,
                                           std::optional<std::string> artifact = std::nullopt) {
    SignatureCandidate c;
    c.kind = CandidateKind::sigstore_bundle;
    c.origin = "--bundle test.sigstore.json";
    c.media_type = std::string(sigstore::kBundleMediaTypeV03);
    c.payload = bundle.dump();
    c.artifact = std::move(artifact);
    return c;
}

inline SignatureCandidate cosign_candidate(const PrivateKey& key, const std::string& payload) {
    SignatureCandidate c;
    c.origin = "sha256-test.sig layer 1/1";
    c.media_type = std::string(cosign::kSimpleSigningMediaType);
    c.payload = payload;
    c.signature = key.sign(payload).value();
    return c;
}

// Image A (kManifest) under kReference, and a store whose scope "fleet" has key signers
// "a" (keys/a.pub) and "b" (keys/b.pub).
struct Fixture {
    PrivateKey a = new_key();
    PrivateKey b = new_key();
    ImageResult image;
    ImageReference reference = parse_image_reference(kReference).value();
    TrustStore store;

    Fixture() {
        image.manifest_digest = sha256_of(kManifest);
        Scope scope;
        scope.name = "fleet";
        scope.match = "registry.example.com/fleet/app";
        scope.signers.push_back({"a", KeySigner{"keys/a.pub"}, std::nullopt, std::nullopt});
        scope.signers.push_back({"b", KeySigner{"keys/b.pub"}, std::nullopt, std::nullopt});
        store.policy.scopes.push_back(std::move(scope));
        store.keys.emplace("keys/a.pub", TrustedKey{"keys/a.pub", a.public_key().value()});
        store.keys.emplace("keys/b.pub", TrustedKey{"keys/b.pub", b.public_key().value()});
    }
    Scope& scope() { return store.policy.scopes.front(); }
    std::string payload(const Digest& digest,
                        const std::string& docker_reference = "registry.example.com/fleet/app") const {
        return make_simple_signing_payload(docker_reference, digest);
    }
    std::string statement(const Digest& digest) const {
        return make_cosign_sign_statement("registry.example.com/fleet/app", digest);
    }
    SignatureCheck check(const SignatureCandidate& c) {
        return check_signature(c, image, reference, scope(), store);
    }
};

}  // namespace edgeverify::test
