// Private: PEM armor (RFC 7468) around DER, strict about labels and base64.
#pragma once

#include <string>
#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify::crypto {

struct PemBlock {
    std::string label;  // "PUBLIC KEY", "RSA PUBLIC KEY", ...
    std::string der;
};

// The first PEM block in `text` (text before it is ignored, as openssl does; anything but
// whitespace after it is refused). Errors are Errc::key_malformed naming `where`.
Expected<PemBlock> pem_decode(std::string_view text, std::string_view where);

// "-----BEGIN label-----", base64 in 64-character lines, "-----END label-----\n".
std::string pem_encode(std::string_view label, std::string_view der);

}  // namespace edgeverify::crypto
