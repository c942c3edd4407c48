// Private to src/core/sigstore: the Rekor v2 entry body (hashedrekord 0.0.2) against the bundle
// it must vouch for (FORMATS.md B.4 step 2, "Rekor v2"). Called by check_rekor_body.
#pragma once

#include <string>

#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"

namespace edgeverify {

// `body` is the parsed canonicalized body (kind hashedrekord, apiVersion 0.0.2 already read).
// Members other than those of the proto -> Errc::schema_violation naming the path; a digest,
// signature, key or certificate, or keyDetails that is not the bundle's -> Errc::signature_invalid
// naming the field. `prefix` starts every message ("<where>: Rekor entry body: ").
Status check_hashed_rekord_v002(const Json& body, const RekorBinding& binding, const std::string& prefix);

}  // namespace edgeverify
