// Raw bytes as text and hashes as raw bytes: the one place for both (src/core/digest.cpp).
#pragma once

#include <string>
#include <string_view>

namespace edgeverify {

// Lowercase hex of raw bytes ("0a1b...").
std::string hex_encode(std::string_view bytes);
// The raw 32 bytes of sha256(bytes): log ids, key ids, Merkle nodes, SCT issuer key hashes.
std::string sha256_bytes(std::string_view bytes);

}  // namespace edgeverify
