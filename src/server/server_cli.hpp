// The administration commands of edgeverify-server (docs/server.md "Command line"): they work
// directly on the configured database, without a running server.
#pragma once

#include <string>
#include <vector>

#include "server/server_config.hpp"

namespace edgeverify::server {

// args: the words after the command name ("add", "--public-key", "k.pem", ...). Exit codes: 0
// done, 2 usage error, 1 refused or failed (the message says why, on stderr).
int run_device_command(const ServerConfig& config, const std::vector<std::string>& args);
int run_token_command(const ServerConfig& config, const std::vector<std::string>& args);
// Needs no configuration: prints a new token and its server.json entry.
int run_operator_token_command(const std::vector<std::string>& args);

}  // namespace edgeverify::server
