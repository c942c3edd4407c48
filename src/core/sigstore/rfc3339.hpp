// RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)" (proto3 JSON Timestamp) to unix
// seconds, for trusted_root.json validFor windows. Fractions round towards the inside of the
// window: up for a start (`round_up`), down for an end. nullopt for anything malformed.
// Private to src/core/sigstore.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace edgeverify::sigstore_detail {

std::optional<std::int64_t> parse_rfc3339(std::string_view text, bool round_up);

}  // namespace edgeverify::sigstore_detail
