// The edgeverify command: dispatches subcommands (DESIGN.md "CLI contract").
#include <cstdio>
#include <string>
#include <string_view>
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
    "  sign SOURCE --key KEY [--bundle]  write a cosign signature (or a Sigstore bundle referrer)\n"
    "                                   into an OCI layout or oci-archive\n"
    "  install SOURCE [--trust DIR]     verify, then import into containerd and record the verdict\n"
    "  verify-bundle --bundle F ... FILE_OR_DIGEST  one Sigstore bundle for one artifact (the\n"
    "                                   Sigstore conformance client protocol; docs/cli.md)\n"
    "  inspect SOURCE [--json]          the image's facts (layers, user, base, packages), no verdict\n"
    "  floor show | lower REPO --reason T  anti-rollback floors; lowering is audited\n"
    "  agent [--config FILE]            the daemon: inbox, installs, reports (docs/agent.md)\n"
    "  keygen --out PREFIX              generate an ECDSA P-256 signing key pair\n"
    "  list [--json]                    images admitted on this device (the verdict store)\n"
    "  remove DIGEST                    remove an admitted image from containerd and its verdicts\n"
    "  device init|show [--json]        the device key and id (for enrollment)\n"
    "  version                          print the version\n"
    "  help                             this help\n"
    "\n"
    "Run 'edgeverify COMMAND --help' for a command's options.\n"
    "Run as 'edgeverify -name REF -digest DIGEST -stdin-media-type TYPE' it is containerd's image\n"
    "verifier (docs/verdicts.md).\n";

using Command = int (*)(const std::vector<std::string>&);

// One line per subcommand.
constexpr struct {
    std::string_view name;
    Command run;
} kCommands[] = {
    {"verify", edgeverify::cli::run_verify},
    {"sign", edgeverify::cli::run_sign},
    {"keygen", edgeverify::cli::run_keygen},
    {"policy", edgeverify::cli::run_policy},
    {"install", edgeverify::cli::run_install},
    {"list", edgeverify::cli::run_list},
    {"remove", edgeverify::cli::run_remove},
    {"device", edgeverify::cli::run_device},
    {"inspect", edgeverify::cli::run_inspect},
    {"floor", edgeverify::cli::run_floor},
    {"agent", edgeverify::cli::run_agent},
    {"verify-bundle", edgeverify::cli::run_verify_bundle},
};

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    // containerd runs every binary in its verifier bin_dir with Go-style flags and no command.
    if (edgeverify::cli::is_verifier_invocation(args)) return edgeverify::cli::run_verifier_mode(args);
    const std::string command = args.front();
    args.erase(args.begin());
    for (const auto& entry : kCommands) {
        if (command == entry.name) return entry.run(args);
    }
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
