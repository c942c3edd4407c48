// Private to src/core/signatures: one Sigstore bundle verifier shared by images (check_bundle.cpp)
// and artifacts (verify_artifact_bundle.cpp). A binder says what the signature covers and whether
// that is the content being judged; judge_bound_bundle then checks the key or certificate, the
// signature and the transparency-log entries, the same way for both.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/sigstore_bundle.hpp"
#include "signatures/check_common.hpp"

namespace edgeverify::signatures_detail {

// What the signature covers, once the content binding is known.
struct SignedContent {
    std::string_view signature;       // into the parsed bundle
    std::string message;              // the bytes signed (DSSE PAE, or a detached artifact)
    std::optional<Digest> prehashed;  // messageSignature over a digest: the digest instead
    RekorBinding binding;
};

// The content a bundle must name: the digests it may bind and how messages name them
// ("this image" + "manifest sha256:..., index sha256:...", or "the artifact" + "sha256:...").
struct BindTarget {
    std::vector<Digest> digests;
    std::string what;
    std::string digests_text;
};

// DSSE: an in-toto payload whose subjects include one of the target's digests; the signature
// covers the PAE. Returns the refusal reason; fills check.signed_digest.
std::optional<std::string> bind_dsse(const SigstoreBundle::DsseEnvelope& dsse, const std::string& origin,
                                     const BindTarget& target, SignatureCheck& check, SignedContent& out);

// messageSignature over a digest: its SHA2_256 messageDigest must be one of the target's digests,
// and the signature is verified over that digest (FORMATS.md B.4 step 6, WithArtifactDigest).
std::optional<std::string> bind_message_digest(const SigstoreBundle::MessageSignature& message,
                                               const BindTarget& target, SignatureCheck& check,
                                               SignedContent& out);

// The bound bundle against the scope: a publicKey bundle against the scope's key signers, a
// certificate bundle keyless (Fulcio leaf, verified time, identity); then its tlog entries.
// `check` arrives with origin, kind and signed_digest set; the result is accepted or refused.
SignatureCheck judge_bound_bundle(const SigstoreBundle& bundle, SignedContent& content,
                                  const SignatureCandidate& candidate, const Scope& scope,
                                  const TrustStore& store, SignatureCheck check);

}  // namespace edgeverify::signatures_detail
