// One Sigstore bundle verified for an ARTIFACT (a file or its digest), not an image: what
// `edgeverify verify-bundle` does for the Sigstore conformance client protocol (docs/cli.md
// "verify-bundle"). The bundle is judged by the same verifier as image bundles
// (check_bundle.cpp), against a trust store built in memory from one trusted_root.json and one
// signer: an exact certificate identity and OIDC issuer (keyless), or a PEM public key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify {

// Who must have signed: exactly one of the two.
struct BundleSigner {
    std::optional<std::string> certificate_identity;     // the SAN, compared exactly
    std::optional<std::string> certificate_oidc_issuer;  // the Fulcio issuer extension, exactly
    std::optional<std::string> public_key_pem;           // key-based bundles
    std::string public_key_origin;                       // names the key in messages ("--key FILE")
};

struct ArtifactBundleVerdict {
    bool accepted = false;
    std::string reason;  // what verified, or why it was refused (one line)
};

// Verifies `bundle_json` (named `bundle_origin` in messages) for the artifact whose SHA-256 is
// `artifact`: a messageSignature must carry that digest and its signature must verify over it
// (FORMATS.md B.4 step 6), a DSSE envelope must list it among its in-toto subjects and verify
// over its PAE. Then the key or the Fulcio certificate (path to the trusted root's CAs at the
// verified time, identity), and the transparency-log entries of the root's tlogs (SETs, Merkle
// inclusion proofs with signed checkpoints, Rekor v2 hashedrekord 0.0.2 bodies). At least one
// verified transparency-log entry is required, as Sigstore clients require by default.
// A bundle that does not verify is a verdict (accepted false, the reason), not an error.
// Errors: Errc::usage when the signer has neither or both of identity+issuer and a key, or only
// one of identity and issuer; Errc::config (or json_*) for a trusted root that does not load;
// key errors (unsupported_key, key_malformed) for the key.
Expected<ArtifactBundleVerdict> verify_artifact_bundle(std::string_view bundle_json,
                                                       std::string_view bundle_origin, const Digest& artifact,
                                                       std::string_view trusted_root_json,
                                                       std::string_view trusted_root_origin,
                                                       const BundleSigner& signer);

// The protocol's FILE_OR_DIGEST: "sha256:" followed by 64 lowercase hex digits that is not the
// path of an existing file is a digest; anything else is a file, hashed with SHA-256 as it
// streams (any size, read in fixed-size chunks). Errors: not_found, permission_denied, io_error
// (also for a path that is not a regular file), naming the path.
Expected<Digest> artifact_digest_argument(const std::string& file_or_digest);

// The whole regular file at `path`, at most `max_bytes` (limit_exceeded beyond, naming `limit_name`);
// `what` names it in errors ("--bundle"). not_found / permission_denied / io_error otherwise.
Expected<std::string> read_bounded_file(const std::string& what, const std::string& path,
                                        std::size_t max_bytes, std::string_view limit_name);

}  // namespace edgeverify
