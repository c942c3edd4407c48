// `edgeverify list [--trust DIR] [--json]`: the images admitted on this device, read from the
// verdict store, and whether each verdict still holds under the trust store as it is now.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/trust_policy.hpp"
#include "edgeverify/verdict_store.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kListHelp =
    "usage: edgeverify list [--trust DIR] [--json]\n"
    "\n"
    "Lists the digests admitted on this device (the verdict store under EDGEVERIFY_STATE_DIR,\n"
    "default /var/lib/edgeverify): reference, digest, role, verdict time, the trust-store digest\n"
    "it was made under and whether that is still the current trust store (--trust, else\n"
    "EDGEVERIFY_TRUST_DIR, else /etc/edgeverify/trust). A verdict that is not current no longer\n"
    "allows a pull. Exit 0 listed, 1 a verdict file is corrupt, 3 unreadable.\n";

std::string default_trust_dir() {
    const char* value = std::getenv("EDGEVERIFY_TRUST_DIR");
    return value != nullptr && *value != '\0' ? value : std::string(kDefaultTrustDir);
}

// "yes", "no", or "unknown" when the trust store cannot be loaded.
std::string currency(const StoredVerdict& verdict, const std::optional<std::string>& current) {
    if (!current) return "unknown";
    return verdict.trust_store_digest == *current ? "yes" : "no";
}

}  // namespace

int run_list(const std::vector<std::string>& args) {
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
        std::fputs(kListHelp, stdout);
        return 0;
    }
    auto parsed = parse_options(args, OptionSpec{{"--json"}, {"--trust"}}, "list");
    if (!parsed) return report_error(parsed.error());
    if (!parsed->positional.empty()) return report_error(make_error(Errc::usage, "list takes no arguments"));
    const bool json = parsed->has("--json");
    const StateDirectory state = state_directory_from_env();
    auto verdicts = list_verdicts(state);
    if (!verdicts) return report_error(verdicts.error());

    const std::string trust_dir = parsed->value("--trust").value_or(default_trust_dir());
    std::optional<std::string> current;
    if (auto store = load_trust_store(trust_dir)) {
        current = store->digest.str();
    } else {
        std::fprintf(stderr, "edgeverify: warning: trust store %s cannot be loaded (%s): currency unknown\n",
                     trust_dir.c_str(), store.error().message.c_str());
    }

    if (json) {
        Json out{{"stateDirectory", state.root},
                 {"trustDirectory", trust_dir},
                 {"trustStoreDigest", current ? Json(*current) : Json(nullptr)},
                 {"images", Json::array()}};
        for (const StoredVerdict& v : *verdicts) {
            Json image = Json::parse(verdict_to_json(v));
            image.erase("schemaVersion");
            const std::string c = currency(v, current);
            image["current"] = c == "unknown" ? Json(nullptr) : Json(c == "yes");
            out["images"].push_back(std::move(image));
        }
        std::cout << out.dump(2) << std::endl;
        return 0;
    }
    if (verdicts->empty()) {
        std::printf("no images admitted (%s)\n", state.verdicts().c_str());
        return 0;
    }
    std::printf("%-71s  %-8s  %-7s  %-20s  %-7s  %s\n", "DIGEST", "ROLE", "RESULT", "VERIFIED", "CURRENT",
                "REFERENCE");
    for (const StoredVerdict& v : *verdicts) {
        const std::string result = v.passed ? "passed" : (v.mode == "audit" ? "audit" : "failed");
        std::printf("%-71s  %-8s  %-7s  %-20s  %-7s  %s\n", v.digest.str().c_str(), v.role.c_str(), result.c_str(),
                    v.verified_at.c_str(), currency(v, current).c_str(), v.reference.c_str());
    }
    std::printf("trust store: %s\n", current ? current->c_str() : "(cannot be loaded)");
    for (const StoredVerdict& v : *verdicts) {
        if (current && v.trust_store_digest != *current) {
            std::printf("not current: %s was verified under trust store %s\n", v.digest.str().c_str(),
                        v.trust_store_digest.c_str());
        }
    }
    return 0;
}

}  // namespace edgeverify::cli
