// What simple-signing and bundle checks share: the payload's binding to the image and
// reference, the key signers in search order, and a Rekor SET bound to one signature.
#include "signatures/check_common.hpp"

#include <algorithm>

namespace edgeverify::signatures_detail {
namespace {

// Whether a docker-reference as written names a tag or a digest (not only a repository):
// containers' matchExact refuses name-only identities.
bool names_tag_or_digest(std::string_view text) {
    if (text.find('@') != std::string_view::npos) return true;
    const auto slash = text.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? text : text.substr(slash + 1);
    return last.find(':') != std::string_view::npos;
}

std::optional<std::string> exact_reference_refusal(std::string_view written, const ImageReference& signed_ref,
                                                   const ImageReference& reference, const Scope& scope) {
    const std::string rule = " (scope " + scope.name + " sets referenceMatch \"exact\")";
    if (!names_tag_or_digest(written)) {
        return "signed for repository " + signed_ref.name() +
               " only, without a tag or digest; the image is " + reference.str() + rule;
    }
    if (signed_ref.digest.has_value() != reference.digest.has_value()) {
        return "signed for " + signed_ref.str() + (signed_ref.digest ? " (a digest)" : " (a tag)") +
               ", the image reference " + reference.str() +
               (reference.digest ? " names a digest" : " names a tag") +
               ": an exact match needs the same tag or digest" + rule;
    }
    if (signed_ref.str() != reference.str()) {
        return "signed for " + signed_ref.str() + ", the image is " + reference.str() + rule;
    }
    return std::nullopt;
}

}  // namespace

std::string describe(const Error& error) {
    return std::string(errc_name(error.code)) + ": " + error.message;
}

std::string image_digests_text(const ImageResult& image) {
    std::string text = "manifest " + image.manifest_digest.str();
    if (image.index_digest) text += ", index " + image.index_digest->str();
    return text;
}

std::optional<std::string> simple_signing_binding_refusal(const SimpleSigningPayload& payload,
                                                          const ImageResult& image,
                                                          const ImageReference& reference, const Scope& scope,
                                                          SignatureCheck& check) {
    check.signed_digest = payload.manifest_digest.str();
    check.signed_reference = payload.docker_reference;
    const bool signs_manifest = payload.manifest_digest == image.manifest_digest;
    const bool signs_index = image.index_digest && payload.manifest_digest == *image.index_digest;
    if (!signs_manifest && !signs_index) {
        return "signs " + check.signed_digest + ", not this image (" + image_digests_text(image) + ")";
    }
    auto signed_reference = parse_image_reference(payload.docker_reference);
    if (!signed_reference) return "docker-reference: " + signed_reference.error().message;
    if (signed_reference->name() != reference.name()) {
        return "signed for repository " + signed_reference->name() + ", the image is " + reference.name();
    }
    if (scope.reference_match == ReferenceMatch::exact) {
        return exact_reference_refusal(payload.docker_reference, *signed_reference, reference, scope);
    }
    return std::nullopt;
}

bool hint_names(std::string_view hint, const PublicKey& key) {
    if (hint.empty()) return false;
    return hint == key.hint() || hint == digest_of(DigestAlgorithm::sha256, key.spki_der()).hex();
}

std::vector<KeyCandidate> key_candidates(const Scope& scope, const TrustStore& store, std::string_view hint) {
    std::vector<KeyCandidate> keys;
    for (const SignerSpec& signer : scope.signers) {
        if (!signer.key) continue;
        const auto key = store.keys.find(signer.key->path);
        if (key == store.keys.end()) continue;  // the loader refuses such stores; never trust by accident
        keys.push_back({&signer, &key->second});
    }
    std::stable_partition(keys.begin(), keys.end(),
                          [&](const KeyCandidate& c) { return hint_names(hint, c.key->key); });
    return keys;
}

std::string no_key_reason(const Scope& scope) {
    const bool any_key_signer = std::any_of(scope.signers.begin(), scope.signers.end(),
                                            [](const SignerSpec& s) { return s.key.has_value(); });
    const bool any_sigstore_signer = std::any_of(scope.signers.begin(), scope.signers.end(),
                                                 [](const SignerSpec& s) { return s.sigstore.has_value(); });
    if (any_key_signer) return "no key signer of scope " + scope.name + " verifies the signature";
    return "scope " + scope.name + " has no key signer" +
           (any_sigstore_signer ? " (sigstore signers accept only keyless Sigstore bundles in this build)" : "");
}

bool knows_log(const TrustStore& store, std::string_view log_id) {
    return std::any_of(store.rekor_keys.begin(), store.rekor_keys.end(),
                       [&](const RekorKey& key) { return key.log_id == log_id; });
}

std::optional<std::string> check_rekor_entry(const RekorSignedEntry& entry, const RekorBinding& binding,
                                             const TrustStore& store, const std::string& what,
                                             const std::string& where, SignatureCheck& check) {
    auto key = verify_rekor_set(entry, store.rekor_keys);
    if (!key) return what + ": " + describe(key.error());
    if (auto bound = check_rekor_body(entry.body, binding, where); !bound) {
        return what + " does not log this signature: " + describe(bound.error());
    }
    if (!check.transparency_log_verified) {
        check.transparency_log_verified = true;
        check.transparency_log = (*key)->origin;
        check.integrated_time = entry.integrated_time;
    }
    return std::nullopt;
}

void apply_transparency_requirement(const Scope& scope, const std::string& unverified_note,
                                    SignatureCheck& check) {
    if (!check.accepted || !scope.require_transparency_log || check.transparency_log_verified) return;
    check.accepted = false;
    check.signer.clear();
    check.reason = "scope " + scope.name +
                   " requires a verified Rekor entry (SET) and this signature has none" +
                   (unverified_note.empty() ? std::string() : " (" + unverified_note + ")");
}

}  // namespace edgeverify::signatures_detail
