// Bearer tokens (docs/server-api.md "Authentication"): the operator tokens of server.json, kept
// only as SHA-256 and compared in constant time, and new random tokens for the CLI.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/net/http.hpp"
#include "server/server_config.hpp"

namespace edgeverify::server {

std::array<std::uint8_t, 32> token_sha256(std::string_view token);
std::string hex_of(const std::array<std::uint8_t, 32>& bytes);

// The token of "Authorization: Bearer <token>" (scheme case-insensitive), or nullopt.
std::optional<std::string_view> bearer_token(const net::HttpHeaders& headers);

// The name of the operator whose token this is, or nullopt. Every entry is compared, each in
// constant time, so the time taken says nothing about which bytes matched.
std::optional<std::string> find_operator(const std::vector<OperatorTokenEntry>& tokens, std::string_view token);

// 32 random bytes (getrandom) as 64 lowercase hex digits; io_error when the kernel refuses.
Expected<std::string> new_random_token();

}  // namespace edgeverify::server
