// The edgeverify command: dispatches subcommands (DESIGN.md "CLI contract").
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"

namespace {

constexpr const char* kUsage =
    "usage: edgeverify COMMAND [options]\n"
    "\n"
    "Verifies container images offline before they may run on an edge device.\n"
    "\n"
    "commands:\n"
    "  verify SOURCE [--trust DIR]      check every byte of an image, then its signatures against\n"
    "                                   the trust policy (--integrity-only: bytes only)\n"
    "  policy check [--trust DIR]       lint a trust store and its policy\n"
    "  sign SOURCE --key KEY --reference REF   write a cosign signature into an OCI layout\n"
    "  keygen --out PREFIX              generate an ECDSA P-256 signing key pair\n"
    "  version                          print the version\n"
    "  help                             this help\n"
    "\n"
    "Run 'edgeverify COMMAND --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "verify") return edgeverify::cli::run_verify(args);
    if (command == "sign") return edgeverify::cli::run_sign(args);
    if (command == "keygen") return edgeverify::cli::run_keygen(args);
    if (command == "policy") return edgeverify::cli::run_policy(args);
    if (command == "version" || command == "--version") {
        std::printf("edgeverify %s\n", EDGEVERIFY_VERSION);
        return 0;
    }
    if (command == "help" || command == "--help" || command == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    std::fprintf(stderr, "edgeverify: usage: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
}
