// OCI digest grammar and validation (image-spec descriptor.md "Digests").
#include "edgeverify/digest.hpp"
#include "edgeverify/hex.hpp"

#include <array>

namespace edgeverify {
namespace {

bool is_algorithm_component_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_algorithm_separator(char c) {
    return c == '+' || c == '.' || c == '_' || c == '-';
}
bool is_encoded_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '=' ||
           c == '_' || c == '-';
}
bool is_lower_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// algorithm ::= component (separator component)*
bool valid_algorithm_grammar(std::string_view algorithm) {
    if (algorithm.empty()) return false;
    bool expect_component = true;
    for (char c : algorithm) {
        if (is_algorithm_component_char(c)) {
            expect_component = false;
        } else if (is_algorithm_separator(c) && !expect_component) {
            expect_component = true;
        } else {
            return false;
        }
    }
    return !expect_component;
}

std::string quoted(std::string_view text) {
    constexpr std::size_t kShown = 80;
    std::string out = "'";
    out.append(text.substr(0, kShown));
    if (text.size() > kShown) out += "...";
    out += "'";
    return out;
}

}  // namespace

std::string_view digest_algorithm_name(DigestAlgorithm algorithm) {
    return algorithm == DigestAlgorithm::sha512 ? "sha512" : "sha256";
}

std::size_t digest_hex_length(DigestAlgorithm algorithm) {
    return algorithm == DigestAlgorithm::sha512 ? 128 : 64;
}

Expected<Digest> Digest::parse(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return make_error(Errc::digest_invalid, "digest " + quoted(text) + ": expected algorithm:encoded");
    }
    const auto algorithm_text = text.substr(0, colon);
    const auto encoded = text.substr(colon + 1);
    if (!valid_algorithm_grammar(algorithm_text)) {
        return make_error(Errc::digest_invalid, "digest " + quoted(text) + ": invalid algorithm name");
    }
    if (encoded.empty()) {
        return make_error(Errc::digest_invalid, "digest " + quoted(text) + ": empty encoded part");
    }
    for (char c : encoded) {
        if (!is_encoded_char(c)) {
            return make_error(Errc::digest_invalid,
                              "digest " + quoted(text) + ": invalid character in encoded part");
        }
    }
    DigestAlgorithm algorithm;
    if (algorithm_text == "sha256") {
        algorithm = DigestAlgorithm::sha256;
    } else if (algorithm_text == "sha512") {
        algorithm = DigestAlgorithm::sha512;
    } else {
        return make_error(Errc::digest_unsupported, "digest " + quoted(text) + ": unsupported algorithm '" +
                                                        std::string(algorithm_text) +
                                                        "' (supported: sha256, sha512)");
    }
    const std::size_t want = digest_hex_length(algorithm);
    if (encoded.size() != want) {
        return make_error(Errc::digest_invalid, "digest " + quoted(text) + ": " +
                                                    std::string(algorithm_text) + " needs " +
                                                    std::to_string(want) + " hex characters, got " +
                                                    std::to_string(encoded.size()));
    }
    for (char c : encoded) {
        if (!is_lower_hex(c)) {
            return make_error(Errc::digest_invalid,
                              "digest " + quoted(text) + ": encoded part must be lowercase hex");
        }
    }
    return Digest(algorithm, std::string(encoded));
}

Digest Digest::from_bytes(DigestAlgorithm algorithm, const std::uint8_t* bytes, std::size_t length) {
    return Digest(algorithm, hex_encode(std::string_view(reinterpret_cast<const char*>(bytes), length)));
}

std::string hex_encode(std::string_view bytes) {
    static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                  '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<std::uint8_t>(c);
        hex.push_back(kHex[byte >> 4]);
        hex.push_back(kHex[byte & 0xf]);
    }
    return hex;
}

std::string sha256_bytes(std::string_view bytes) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, bytes).hex();  // lowercase, even length
    const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    std::string raw;
    raw.reserve(hex.size() / 2);
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) raw.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    return raw;
}

std::string Digest::str() const {
    return std::string(digest_algorithm_name(algorithm_)) + ":" + hex_;
}

Digest digest_of(DigestAlgorithm algorithm, std::string_view bytes) {
    auto hasher = make_hasher(algorithm);
    hasher->update(bytes.data(), bytes.size());
    return hasher->finish();
}

}  // namespace edgeverify
