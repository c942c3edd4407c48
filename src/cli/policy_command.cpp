// `edgeverify policy check [--trust DIR] [--json]`: loads the trust store exactly as verify
// does, prints what it holds, and warns about what can never be satisfied by this build.
#include <cstdio>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "edgeverify/state.hpp"
#include "edgeverify/trust_policy.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kPolicyHelp =
    "usage: edgeverify policy check [--trust DIR] [--json]\n"
    "\n"
    "Loads the trust store (policy.json and keys/) with the same strict rules as verify, prints\n"
    "its scopes, signers and keys, and warns about signers this build cannot verify and keys no\n"
    "signer uses. Exit 0 valid, 2 invalid, 3 unreadable.\n";

// What is legal but cannot work as the operator probably means it.
std::vector<std::string> lint(const TrustStore& store) {
    std::vector<std::string> warnings;
    std::set<std::string> used_keys;
    for (const Scope& scope : store.policy.scopes) {
        std::set<std::string> key_signers;
        std::size_t x509_signers = 0;  // verified (Notation), each counts once by name
        for (const SignerSpec& signer : scope.signers) {
            if (signer.key) {
                used_keys.insert(signer.key->path);
                key_signers.insert(signer.key->path);
            } else if (signer.x509) {
                ++x509_signers;  // a tsaStore's RFC 3161 countersignatures are verified too
            } else {
                warnings.push_back(
                    "scope " + scope.name + ": signer " + signer.name +
                    " is a sigstore signer, which this build does not verify yet: it never counts");
            }
        }
        const std::size_t verifiable = key_signers.size() + x509_signers;
        if (static_cast<int>(verifiable) < scope.threshold) {
            warnings.push_back(
                "scope " + scope.name + ": threshold " + std::to_string(scope.threshold) +
                " needs more than the " + std::to_string(verifiable) +
                " key or x509 signer(s) this build can verify: every image is " +
                (scope.mode == PolicyMode::audit ? "admitted with a failure (audit)" : "refused"));
        }
        if (scope.require_transparency_log && store.rekor_keys.empty()) {
            warnings.push_back(
                "scope " + scope.name +
                ": requireTransparencyLog is set and the trust store holds no Rekor key "
                "(rekor/*.pub or the tlogs of sigstore/trusted_root.json): every image is refused");
        }
    }
    for (const auto& [path, _] : store.keys) {
        if (!used_keys.count(path)) warnings.push_back("key " + path + " is loaded but no signer names it");
    }
    return warnings;
}

}  // namespace

int run_policy(const std::vector<std::string>& given) {
    // --json may stand anywhere, as with verify.
    std::vector<std::string> args;
    bool json = false;
    for (const auto& a : given) {
        if (a == "--json") {
            json = true;
        } else {
            args.push_back(a);
        }
    }
    const auto fail = [&](const Error& error) {
        if (json) {
            std::cout << Json{{"result", "error"},
                              {"errors",
                               Json::array({{{"code", errc_name(error.code)}, {"message", error.message}}})}}
                             .dump(2)
                      << std::endl;
        }
        return report_error(error);
    };
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        std::fputs(kPolicyHelp, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args.front() != "check") {
        return fail(make_error(Errc::usage, "unknown policy subcommand '" + args.front() +
                                                "' (see 'edgeverify policy --help')"));
    }
    auto parsed = parse_options({args.begin() + 1, args.end()}, OptionSpec{{}, {"--trust"}}, "policy check");
    if (!parsed) return fail(parsed.error());
    if (!parsed->positional.empty()) {
        return fail(make_error(Errc::usage, "policy check takes no arguments besides --trust and --json"));
    }
    const std::string directory = parsed->value("--trust").value_or(std::string(kDefaultTrustDir));
    auto store = load_trust_store(directory);
    if (!store) return fail(store.error());
    if (json) {
        Json j{{"trustDirectory", directory}, {"result", "valid"}, {"digest", store->digest.str()}};
        j["scopes"] = Json::array();
        for (const Scope& s : store->policy.scopes) j["scopes"].push_back(s.name);
        j["keys"] = Json::object();
        for (const auto& [path, key] : store->keys) j["keys"][path] = key_type_name(key.key.type());
        j["warnings"] = lint(*store);
        std::cout << j.dump(2) << std::endl;
        return 0;
    }
    std::printf("trust store %s: valid (digest %s)\n", directory.c_str(), store->digest.str().c_str());
    std::printf("default: %s\n", store->policy.default_action == DefaultAction::audit ? "audit" : "reject");
    for (const Scope& s : store->policy.scopes) {
        std::printf("scope %s: match %s, mode %s, threshold %d of %zu signer(s)\n", s.name.c_str(),
                    s.match.c_str(), s.mode == PolicyMode::audit ? "audit" : "enforce", s.threshold,
                    s.signers.size());
    }
    for (const auto& [path, key] : store->keys) {
        std::printf("key %s: %s\n", path.c_str(), std::string(key_type_name(key.key.type())).c_str());
    }
    for (const auto& warning : lint(*store)) std::printf("warning: %s\n", warning.c_str());
    return 0;
}

}  // namespace edgeverify::cli
