// Bearer tokens (operator_tokens.hpp).
#include "server/operator_tokens.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "edgeverify/digest.hpp"

namespace edgeverify::server {

std::array<std::uint8_t, 32> token_sha256(std::string_view token) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, token).hex();
    auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
    std::array<std::uint8_t, 32> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return out;
}

std::string hex_of(const std::array<std::uint8_t, 32>& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

std::optional<std::string_view> bearer_token(const net::HttpHeaders& headers) {
    auto value = net::find_header(headers, "Authorization");
    if (!value || value->size() < 7) return std::nullopt;
    std::string scheme(value->substr(0, 7));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer ") return std::nullopt;
    std::string_view token = value->substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (token.empty()) return std::nullopt;
    return token;
}

std::optional<std::string> find_operator(const std::vector<OperatorTokenEntry>& tokens, std::string_view token) {
    const auto presented = token_sha256(token);
    std::optional<std::string> found;
    for (const auto& entry : tokens) {
        unsigned difference = 0;
        for (std::size_t i = 0; i < presented.size(); ++i) difference |= presented[i] ^ entry.sha256[i];
        if (difference == 0) found = entry.name;
    }
    return found;
}

Expected<std::string> new_random_token() {
    std::array<std::uint8_t, 32> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t got = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return make_error(Errc::io_error, std::string("getrandom: ") + std::strerror(errno));
        filled += static_cast<std::size_t>(got);
    }
    return hex_of(bytes);
}

}  // namespace edgeverify::server
