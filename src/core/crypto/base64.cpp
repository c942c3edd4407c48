// Strict RFC 4648 base64: padding required, no whitespace, zero trailing bits, so every byte
// string has exactly one accepted encoding.
#include <algorithm>
#include <array>
#include <cstdint>

#include "edgeverify/crypto.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> kDecode = [] {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return table;
}();

Error base64_error(std::string_view where, std::string_view why) {
    return make_error(Errc::schema_violation,
                      std::string(where) + ": not valid base64 (" + std::string(why) + ")");
}

}  // namespace

Expected<std::string> base64_decode(std::string_view text, std::string_view where) {
    if (text.size() % 4 != 0) return base64_error(where, "length is not a multiple of 4");
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') padding = (text[text.size() - 2] == '=') ? 2 : 1;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t pos = 0; pos < text.size(); pos += 4) {
        const bool last = pos + 4 == text.size();
        const std::size_t real = last ? 4 - padding : 4;
        if (real < 2) return base64_error(where, "too much padding");
        std::uint32_t group = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            std::int8_t value = 0;
            if (i < real) {
                value = kDecode[static_cast<unsigned char>(text[pos + i])];
                if (value < 0)
                    return base64_error(
                        where, "character outside the alphabet at offset " + std::to_string(pos + i));
            }
            group = (group << 6) | static_cast<std::uint32_t>(value);
        }
        // Trailing bits beyond the encoded bytes must be zero, so each value has one encoding.
        if ((real == 2 && (group & 0xFFFF) != 0) || (real == 3 && (group & 0xFF) != 0)) {
            return base64_error(where, "non-zero trailing bits");
        }
        out.push_back(static_cast<char>((group >> 16) & 0xFF));
        if (real >= 3) out.push_back(static_cast<char>((group >> 8) & 0xFF));
        if (real == 4) out.push_back(static_cast<char>(group & 0xFF));
    }
    return out;
}

Expected<std::string> base64url_decode(std::string_view text, std::string_view where) {
    if (text.size() % 4 == 1) return base64_error(where, "base64url length leaves a dangling character");
    std::string standard;
    standard.reserve(text.size() + 2);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        // '+', '/' and padding belong to standard base64, not to RFC 7515's base64url.
        if (c == '+' || c == '/' || c == '=') {
            return base64_error(where, "character outside the base64url alphabet at offset " + std::to_string(i));
        }
        standard.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
    }
    while (standard.size() % 4 != 0) standard.push_back('=');
    return base64_decode(standard, where);
}

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t pos = 0; pos < bytes.size(); pos += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - pos);
        std::uint32_t group = 0;
        for (std::size_t i = 0; i < 3; ++i) {
            group = (group << 8) | (i < n ? static_cast<std::uint8_t>(bytes[pos + i]) : 0u);
        }
        out.push_back(kAlphabet[(group >> 18) & 0x3F]);
        out.push_back(kAlphabet[(group >> 12) & 0x3F]);
        out.push_back(n >= 2 ? kAlphabet[(group >> 6) & 0x3F] : '=');
        out.push_back(n == 3 ? kAlphabet[group & 0x3F] : '=');
    }
    return out;
}

}  // namespace edgeverify
