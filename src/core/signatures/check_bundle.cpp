// A Sigstore bundle (FORMATS.md B) against one image and the scope's key signers: what it binds
// (checked first, so "not this image" never depends on the key material), then the signature with
// a trusted key, then its Rekor evidence (Merkle inclusion proofs with their signed checkpoints,
// and SETs). Keyless bundles: the Fulcio leaf at each verified time (check_times.cpp, check_keyless.cpp).
#include <set>
#include <utility>

#include "edgeverify/crypto.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "signatures/bundle_binding.hpp"
#include "signatures/check_times.hpp"
#include "signatures/check_common.hpp"

namespace edgeverify::signatures_detail {
namespace {

using Signed = SignedContent;

// The digest among `digests` that the target holds, if any.
std::optional<Digest> target_digest_among(const std::vector<Digest>& digests, const BindTarget& target) {
    for (const Digest& digest : digests) {
        for (const Digest& wanted : target.digests)
            if (digest == wanted) return digest;
    }
    return std::nullopt;
}

BindTarget image_target(const ImageResult& image) {
    BindTarget target{{image.manifest_digest}, "this image", image_digests_text(image)};
    if (image.index_digest) target.digests.push_back(*image.index_digest);
    return target;
}

}  // namespace

// DSSE: an in-toto statement whose subjects include the target.
std::optional<std::string> bind_dsse(const SigstoreBundle::DsseEnvelope& dsse, const std::string& origin,
                                     const BindTarget& target, SignatureCheck& check, SignedContent& out) {
    if (dsse.payload_type != sigstore::kInTotoPayloadType) {
        return "DSSE payload type " + dsse.payload_type + " is not " +
               std::string(sigstore::kInTotoPayloadType);
    }
    auto subjects = intoto_subject_digests(dsse.payload, "in-toto statement of " + origin);
    if (!subjects) return describe(subjects.error());
    const auto bound = target_digest_among(*subjects, target);
    if (!bound) {
        std::string listed;
        for (const Digest& d : *subjects) listed += (listed.empty() ? "" : ", ") + d.str();
        if (!subjects->empty()) check.signed_digest = subjects->front().str();
        return "in-toto subject " + (listed.empty() ? std::string("(no sha256 digest)") : listed) + ", not " +
               target.what + " (" + target.digests_text + ")";
    }
    check.signed_digest = bound->str();
    out.message = dsse_pae(dsse.payload_type, dsse.payload);
    out.signature = dsse.signature;
    out.binding.envelope_payload_digest = digest_of(DigestAlgorithm::sha256, dsse.payload);
    return std::nullopt;
}

std::optional<std::string> bind_message_digest(const SigstoreBundle::MessageSignature& message,
                                               const BindTarget& target, SignatureCheck& check,
                                               SignedContent& out) {
    out.signature = message.signature;
    if (message.algorithm != "SHA2_256") {
        return "message digest algorithm " + message.algorithm + " is not supported (SHA2_256 is)";
    }
    const std::string hex = hex_encode(message.digest);
    auto digest = Digest::parse("sha256:" + hex);
    if (digest) check.signed_digest = digest->str();
    const auto bound = digest ? target_digest_among({*digest}, target) : std::nullopt;
    if (!bound) return "message digest sha256:" + hex + " is not " + target.what + " (" + target.digests_text + ")";
    out.prehashed = *bound;
    out.binding.signed_bytes_digest = *bound;
    return std::nullopt;
}

namespace {

// messageSignature: the artifact (a detached simple-signing payload) or the manifest itself.
std::optional<std::string> bind_message(const SigstoreBundle::MessageSignature& message,
                                        const SignatureCandidate& candidate, const ImageResult& image,
                                        const ImageReference& reference, const Scope& scope,
                                        SignatureCheck& check, Signed& out) {
    out.signature = message.signature;
    if (candidate.artifact) {
        const Digest artifact_digest = digest_of(DigestAlgorithm::sha256, *candidate.artifact);
        if (message.algorithm == "SHA2_256" && hex_encode(message.digest) != artifact_digest.hex()) {
            return std::string("message digest does not match the artifact");
        }
        if (message.algorithm != "SHA2_256") {
            return "message digest algorithm " + message.algorithm + " is not supported (SHA2_256 is)";
        }
        auto payload = parse_simple_signing_payload(*candidate.artifact, "artifact of " + candidate.origin);
        if (!payload) return "the artifact is not a simple-signing payload: " + describe(payload.error());
        if (auto refusal = simple_signing_binding_refusal(*payload, image, reference, scope, check))
            return refusal;
        out.message = *candidate.artifact;
        out.binding.signed_bytes_digest = artifact_digest;
        return std::nullopt;
    }
    // No artifact: the manifest (or the index) is the artifact, named by its digest.
    auto unbound = bind_message_digest(message, image_target(image), check, out);
    if (unbound && message.algorithm == "SHA2_256") *unbound += ", and no detached artifact was given";
    return unbound;
}

Status verify_with(const PublicKey& key, const Signed& signed_content) {
    if (signed_content.prehashed) {
        return verify_signature_prehashed(key, *signed_content.prehashed, signed_content.signature);
    }
    return verify_signature(key, signed_content.message, signed_content.signature);
}

// The bundle's inclusion proofs and SETs from logs the trust store knows. Returns the refusal
// reason; `note` collects entries that were not checked or give no time. An entry proven only by
// its inclusion proof (Rekor v2 has no SET) has its body bound here; it counts as a verified log
// entry without a signing time.
std::optional<std::string> check_tlog_entries(const SigstoreBundle& bundle, const RekorBinding& binding,
                                              const SignatureCandidate& candidate, const TrustStore& store,
                                              SignatureCheck& check, std::string& note) {
    std::set<std::pair<std::string, std::int64_t>> seen;
    const auto add_note = [&](const std::string& text) { note += (note.empty() ? "" : "; ") + text; };
    const RekorKey* proven_only = nullptr;
    if (bundle.tlog_entries.empty()) add_note("the bundle has no transparency-log entry");
    for (std::size_t i = 0; i < bundle.tlog_entries.size(); ++i) {
        const BundleTlogEntry& tlog = bundle.tlog_entries[i];
        const std::string what = "tlog entry " + std::to_string(i);
        if (!seen.insert({tlog.entry.log_id, tlog.entry.log_index}).second) {
            return what + " repeats log " + hex_encode(tlog.entry.log_id) + " index " +
                   std::to_string(tlog.entry.log_index);
        }
        const RekorKey* log_key = nullptr;
        for (const RekorKey& key : store.rekor_keys)
            if (key.log_id == tlog.entry.log_id && log_key == nullptr) log_key = &key;
        if (log_key == nullptr) {
            add_note(what + " is from log " + hex_encode(tlog.entry.log_id) +
                     ", unknown to the trust store: ignored");
            continue;
        }
        // Rekor v2 entries (hashedrekord/dsse 0.0.2) name their log by the checkpoint origin.
        const bool rekor_v2 = tlog.version == "0.0.2" && tlog.kind != "intoto";
        if (rekor_v2 && !tlog.inclusion_proof) {
            return what + " is a Rekor v2 entry (" + tlog.kind + " " + tlog.version +
                   ") without an inclusion proof, which it needs (it has no SET)";
        }
        if (tlog.inclusion_proof) {
            if (auto proven = verify_inclusion(tlog.entry.body, *tlog.inclusion_proof, *log_key,
                                               rekor_v2 ? std::string_view(log_key->log_host) : std::string_view(),
                                               candidate.origin + " " + what);
                !proven) {
                return what + ": " + describe(proven.error());
            }
        }
        if (!tlog.has_inclusion_promise) {
            if (!tlog.inclusion_proof) {
                add_note(what + " has no inclusion promise (SET), so it gives no signing time");
                continue;
            }
            if (auto bound = check_rekor_body(tlog.entry.body, binding, candidate.origin); !bound) {
                return what + " does not log this signature: " + describe(bound.error());
            }
            if (proven_only == nullptr) proven_only = log_key;
            add_note(what + " has a verified inclusion proof but no inclusion promise (SET), so it gives no "
                            "signing time");
            continue;
        }
        if (auto refusal = check_rekor_entry(tlog.entry, binding, store, what, candidate.origin, check)) {
            return refusal;
        }
    }
    if (!check.transparency_log_verified && proven_only != nullptr) {
        check.transparency_log_verified = true;  // logged, and proven so; no integrated time
        check.transparency_log = proven_only->origin;
    }
    return std::nullopt;
}

// A keyless bundle: the leaf's key verifies the signature, the Rekor entries verify and bind the
// leaf, and the leaf's path and identity are judged at every verified time: SET integrated times
// and RFC 3161 timestamps (check_times.cpp); its embedded SCTs with the CT logs (check_keyless.cpp).
std::optional<std::string> check_keyless(const SigstoreBundle& bundle, Signed& signed_content,
                                         const SignatureCandidate& candidate, const Scope& scope,
                                         const TrustStore& store, SignatureCheck& check) {
    if (auto refusal = keyless_chain_refusal(bundle.certificates, candidate.origin)) return refusal;
    auto leaf = parse_certificate_der(bundle.certificates.front(), candidate.origin + " signing certificate");
    if (!leaf) return describe(leaf.error());
    auto key = certificate_public_key(*leaf, candidate.origin + " signing certificate");
    if (!key) return describe(key.error());
    if (auto verified = verify_with(*key, signed_content); !verified) {
        return "the signature does not verify with the signing certificate's key: " + describe(verified.error());
    }
    signed_content.binding.signature = std::string(signed_content.signature);
    signed_content.binding.public_key_der = leaf->der;
    std::string note;
    if (auto refusal = check_tlog_entries(bundle, signed_content.binding, candidate, store, check, note)) {
        return refusal;
    }
    std::vector<SigningTime> times;
    if (auto refusal = keyless_signing_times(bundle, store, candidate.origin, note, times)) return refusal;
    if (auto refusal = keyless_refusal_at_times(*leaf, times, scope, store, check)) return refusal;
    if (check.integrated_time) {
        check.reason += "; Rekor SET verified with " + check.transparency_log;
    } else if (check.transparency_log_verified) {
        check.reason += "; logged in " + check.transparency_log;
    }
    check.reason += "; verified times: " + describe_signing_times(times);
    // What gave no time (an RFC 3161 token that did not verify, an entry of an unknown log) is said.
    if (!note.empty()) check.reason += "; " + note;
    return std::nullopt;
}

}  // namespace

SignatureCheck judge_bound_bundle(const SigstoreBundle& bundle, SignedContent& signed_content,
                                  const SignatureCandidate& candidate, const Scope& scope,
                                  const TrustStore& store, SignatureCheck check) {
    const auto refuse = [&](std::string reason) {
        check.reason = std::move(reason);
        return check;
    };
    // What a Rekor v2 hashedrekord logs: the digest of exactly what was signed.
    signed_content.binding.signed_message_digest =
        signed_content.prehashed ? *signed_content.prehashed
                                 : digest_of(DigestAlgorithm::sha256, signed_content.message);
    if (bundle.material != BundleMaterial::public_key) {
        if (auto refusal = check_keyless(bundle, signed_content, candidate, scope, store, check)) {
            check.signer.clear();
            return refuse("keyless (Fulcio certificate) bundle: " + *refusal);
        }
        check.accepted = true;
        // A keyless bundle timed only by RFC 3161 timestamps may have no log entry at all.
        apply_transparency_requirement(scope, {}, check);
        return check;
    }
    const std::string& hint = bundle.public_key_hint;
    std::string unsupported;
    for (const KeyCandidate& key : key_candidates(scope, store, hint)) {
        auto verified = verify_with(key.key->key, signed_content);
        if (!verified) {
            if (verified.error().code != Errc::signature_invalid) {
                unsupported += "; " + key.signer->key->path + ": " + verified.error().message;
            }
            continue;
        }
        signed_content.binding.signature = std::string(signed_content.signature);
        signed_content.binding.public_key_der = key.key->key.spki_der();
        std::string note;
        if (auto refusal = check_tlog_entries(bundle, signed_content.binding, candidate, store, check, note)) {
            return refuse("verified with " + key.signer->key->path + ", but " + *refusal);
        }
        check.accepted = true;
        check.signer = key.signer->name;
        check.reason = "verified with " + key.signer->key->path + " (" +
                       std::string(key_type_name(key.key->key.type())) + ", " +
                       (bundle.dsse ? "DSSE" : "messageSignature") + ")";
        if (!hint.empty() && !hint_names(hint, key.key->key)) {
            check.reason += "; the bundle's key hint names another key";
        }
        if (check.transparency_log_verified && check.integrated_time) {
            check.reason += "; Rekor SET verified with " + check.transparency_log + ", integrated time " +
                            std::to_string(*check.integrated_time);
        } else if (check.transparency_log_verified) {
            check.reason += "; Rekor inclusion proof verified with " + check.transparency_log;
        } else if (!note.empty()) {
            check.reason += "; " + note;
        }
        apply_transparency_requirement(scope, note, check);
        return check;
    }
    return refuse(no_key_reason(scope) + unsupported);
}

SignatureCheck check_bundle(const SignatureCandidate& candidate, const ImageResult& image,
                            const ImageReference& reference, const Scope& scope, const TrustStore& store) {
    SignatureCheck check;
    check.origin = candidate.origin;
    check.kind = "sigstore-bundle";
    const auto refuse = [&](std::string reason) {
        check.reason = std::move(reason);
        return check;
    };
    if (!candidate.media_type.empty() &&
        !candidate.media_type.starts_with(sigstore::kBundleMediaTypePrefix)) {
        return refuse("media type " + candidate.media_type + " is not a Sigstore bundle");
    }
    auto bundle = parse_sigstore_bundle(candidate.payload, candidate.origin);
    if (!bundle) return refuse(describe(bundle.error()));

    Signed signed_content;
    const auto unbound =
        bundle->dsse ? bind_dsse(*bundle->dsse, candidate.origin, image_target(image), check, signed_content)
                     : bind_message(*bundle->message_signature, candidate, image, reference, scope, check,
                                    signed_content);
    if (unbound) return refuse(*unbound);
    return judge_bound_bundle(*bundle, signed_content, candidate, scope, store, std::move(check));
}

}  // namespace edgeverify::signatures_detail
