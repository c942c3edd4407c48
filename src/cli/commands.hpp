// Subcommands of the edgeverify CLI. Each returns the process exit code (DESIGN.md contract).
#pragma once

#include <string>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify::cli {

int run_verify(const std::vector<std::string>& args);
int run_keygen(const std::vector<std::string>& args);
int run_sign(const std::vector<std::string>& args);
int run_policy(const std::vector<std::string>& args);

// Prints "edgeverify: <kind>: <message>" to stderr and returns the exit code for the error.
int report_error(const Error& error);

}  // namespace edgeverify::cli
