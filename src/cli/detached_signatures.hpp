// Detached signature files named on the verify command line (--signature/--payload, --bundle),
// read once, bounded in size, and turned into candidates that apply to every image of the source.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/signatures.hpp"

namespace edgeverify::cli {

struct DetachedSignatureFiles {
    std::optional<std::string> signature;  // --signature FILE: base64 signature text
    std::optional<std::string> payload;    // --payload FILE: what --signature signs, or a bundle's artifact
    std::optional<std::string> bundle;     // --bundle FILE: a Sigstore bundle (.sigstore.json)
    std::optional<std::string> notation;   // --notation-signature FILE: a .jws.sig or .cose.sig envelope

    bool any() const { return signature || payload || bundle || notation; }
};

// Usage errors: --signature without --payload, --payload with neither --signature nor --bundle.
// Files: not_found / permission_denied / io_error when unreadable (exit 3), limit_exceeded over
// limits::kMaxJsonDocumentBytes, signature_invalid for signature text that is not base64.
// Candidates in this order: the --signature one (simple_signing, origin "--signature FILE"),
// then the --bundle one (sigstore_bundle, origin "--bundle FILE", artifact = the payload file),
// then the --notation-signature one (notation, origin "--notation-signature FILE", media type by
// the file name: *.jws.sig -> application/jose+json, *.cose.sig -> application/cose, another
// name -> usage error).
Expected<std::vector<SignatureCandidate>> read_detached_signatures(const DetachedSignatureFiles& files);

}  // namespace edgeverify::cli
