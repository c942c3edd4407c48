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
int run_install(const std::vector<std::string>& args);
int run_list(const std::vector<std::string>& args);
int run_remove(const std::vector<std::string>& args);
int run_device(const std::vector<std::string>& args);  // device_command.cpp: device init/show
int run_inspect(const std::vector<std::string>& args);  // inspect_command.cpp: facts, no verdict
int run_floor(const std::vector<std::string>& args);    // floor_command.cpp: rollback floors (rules)
int run_agent(const std::vector<std::string>& args);    // agent_command.cpp: the daemon
int run_verify_bundle(const std::vector<std::string>& args);  // verify_bundle_command.cpp: Sigstore conformance CLI

// containerd 2.x image-verifier mode (verifier_mode.cpp): entered when the first argument is one
// of containerd's flags (-name, -digest, -stdin-media-type in Go flag syntax). Exit 0 allow, 1 deny.
bool is_verifier_invocation(const std::vector<std::string>& args);
int run_verifier_mode(const std::vector<std::string>& args);

// Prints "edgeverify: <kind>: <message>" to stderr and returns the exit code for the error.
int report_error(const Error& error);

}  // namespace edgeverify::cli
