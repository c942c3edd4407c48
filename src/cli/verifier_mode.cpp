// containerd 2.x image-verifier mode (DESIGN.md "containerd verifier mode", FORMATS.md E):
// `edgeverify -name REF -digest DIGEST -stdin-media-type TYPE` with the descriptor on stdin.
// Prints one reason line on stdout; exit 0 allows the pull, 1 denies it. Every error denies.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "commands.hpp"
#include "edgeverify/trust_policy.hpp"
#include "edgeverify/verdict_store.hpp"

namespace edgeverify::cli {
namespace {

// containerd writes one descriptor (a few hundred bytes); more than this is not one.
constexpr std::size_t kMaxVerifierStdinBytes = 64 * 1024;
// containerd reads at most 32 KiB of stdout; the reason stays far below.
constexpr std::size_t kMaxVerifierOutputBytes = 4 * 1024;
constexpr std::string_view kDescriptorMediaType = "application/vnd.oci.descriptor.v1+json";
constexpr int kAllow = 0;
constexpr int kDeny = 1;

const char* const kVerifierFlags[] = {"name", "digest", "stdin-media-type"};

// "-name", "--name", "-name=X", "--name=X" -> "name" (and the value after '=' when present).
std::optional<std::pair<std::string, std::optional<std::string>>> go_flag(const std::string& arg) {
    if (arg.size() < 2 || arg[0] != '-') return std::nullopt;
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (const auto eq = body.find('='); eq != std::string::npos) {
        value = body.substr(eq + 1);
        body.resize(eq);
    }
    for (const char* flag : kVerifierFlags) {
        if (body == flag) return std::make_pair(body, value);
    }
    return std::nullopt;
}

Expected<std::map<std::string, std::string>> parse_verifier_flags(const std::vector<std::string>& args) {
    std::map<std::string, std::string> values;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto flag = go_flag(args[i]);
        if (!flag) return make_error(Errc::usage, "unexpected argument '" + args[i] + "'");
        if (!flag->second) {
            if (i + 1 >= args.size()) return make_error(Errc::usage, "flag -" + flag->first + " needs a value");
            flag->second = args[++i];
        }
        if (values.count(flag->first)) return make_error(Errc::usage, "flag -" + flag->first + " given twice");
        values[flag->first] = *flag->second;
    }
    for (const char* required : {"name", "digest"}) {
        if (!values.count(required)) return make_error(Errc::usage, std::string("missing -") + required);
    }
    return values;
}

Expected<std::string> read_stdin_bounded() {
    std::string input;
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            return make_error(Errc::io_error, "cannot read the descriptor on stdin");
        }
        if (n == 0) return input;
        input.append(buffer, static_cast<std::size_t>(n));
        if (input.size() > kMaxVerifierStdinBytes) {
            return make_error(Errc::limit_exceeded, "stdin is over " + std::to_string(kMaxVerifierStdinBytes) +
                                                        " bytes (kMaxVerifierStdinBytes): not one descriptor");
        }
    }
}

std::string env_or(const char* name, std::string_view fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : std::string(fallback);
}

// One line on stdout: the image name and error messages come from outside and may hold anything.
int answer(bool allowed, std::string reason) {
    if (reason.size() > kMaxVerifierOutputBytes) reason.resize(kMaxVerifierOutputBytes);
    for (char& c : reason) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    }
    reason += '\n';
    std::fwrite(reason.data(), 1, reason.size(), stdout);
    std::fflush(stdout);
    return allowed ? kAllow : kDeny;
}

int deny_error(const Error& error) {
    return answer(false, "denied: edgeverify " + std::string(errc_name(error.code)) + ": " + error.message);
}

}  // namespace

bool is_verifier_invocation(const std::vector<std::string>& args) {
    return !args.empty() && go_flag(args.front()).has_value();
}

int run_verifier_mode(const std::vector<std::string>& args) {
    // The descriptor is read first and always, so containerd's writer never sees a broken pipe.
    auto input = read_stdin_bounded();
    auto flags = parse_verifier_flags(args);
    if (!flags) return deny_error(flags.error());
    if (!input) return deny_error(input.error());
    const auto media_type = flags->find("stdin-media-type");
    if (media_type != flags->end() && media_type->second != kDescriptorMediaType) {
        return deny_error(make_error(Errc::unsupported_media_type,
                                     "stdin media type '" + media_type->second + "' is not " +
                                         std::string(kDescriptorMediaType)));
    }
    auto digest = Digest::parse(flags->at("digest"));
    if (!digest) return deny_error(digest.error());
    const std::string trust_dir = env_or("EDGEVERIFY_TRUST_DIR", kDefaultTrustDir);
    auto store = load_trust_store(trust_dir);
    if (!store) {
        return deny_error(make_error(store.error().code,
                                     "trust store " + trust_dir + " cannot be loaded: " + store.error().message));
    }
    const PullDecision decision =
        decide_pull(state_directory_from_env(), store->digest.str(), *digest, *input);
    return answer(decision.allowed, decision.reason + " [image " + flags->at("name") + "]");
}

}  // namespace edgeverify::cli
