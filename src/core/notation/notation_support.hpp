// Private to src/core/notation: the payload parser shared by the JWS and COSE envelopes, and
// the named bounds of this module (docs/limits.md).
#pragma once

#include <cstddef>
#include <string_view>

#include "edgeverify/notation.hpp"

namespace edgeverify::notation {

// notation-go reads envelope blobs up to 32 MiB; real envelopes are a few KiB, so a device keeps
// to 1 MiB.
inline constexpr std::size_t kMaxEnvelopeBytes = 1024 * 1024;
// A leaf, a few intermediates and a root; longer x5c chains are refused.
inline constexpr std::size_t kMaxChainCertificates = 10;

// Header names shared by the JWS and COSE envelopes (FORMATS.md C.3, C.4).
inline constexpr std::string_view kSigningScheme = "io.cncf.notary.signingScheme";
inline constexpr std::string_view kSigningTime = "io.cncf.notary.signingTime";
inline constexpr std::string_view kAuthenticSigningTime = "io.cncf.notary.authenticSigningTime";
inline constexpr std::string_view kExpiry = "io.cncf.notary.expiry";
inline constexpr std::string_view kPlugin = "io.cncf.notary.verificationPlugin";
inline constexpr std::string_view kPluginMinVersion = "io.cncf.notary.verificationPluginMinVersion";
inline constexpr std::string_view kTimestampSignature = "io.cncf.notary.timestampSignature";
// Listed in crit whenever present (signingScheme always).
inline constexpr std::string_view kHeadersThatMustBeCritical[] = {kSigningScheme, kExpiry, kAuthenticSigningTime,
                                                                  kPlugin, kPluginMinVersion};
// The extension headers a verifier understands when they are critical; any other -> refused.
inline bool is_understood_critical_header(std::string_view name) {
    return name == kSigningScheme || name == kSigningTime || name == kAuthenticSigningTime || name == kExpiry ||
           name == kPlugin || name == kPluginMinVersion;
}

// {"targetArtifact": {"mediaType", "digest", "size", ...}} (FORMATS.md C.2). Missing or
// mistyped fields -> Errc::schema_violation naming `where`.
Expected<NotationDescriptor> parse_payload(std::string_view payload, std::string_view where);

}  // namespace edgeverify::notation
