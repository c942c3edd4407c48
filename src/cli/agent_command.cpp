// `edgeverify agent [--config FILE]`: loads agent.json strictly and runs the daemon until
// SIGTERM/SIGINT (docs/agent.md).
#include <cstdio>

#include "agent/agent_config.hpp"
#include "agent/daemon.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kAgentHelp =
    "usage: edgeverify agent [--config FILE]\n"
    "\n"
    "The device daemon: installs the complete bundles dropped into STATE/inbox (one at a time,\n"
    "through 'edgeverify install'), quarantines refused ones, compares containerd with the\n"
    "verdict store, queues signed device reports and sends the outbox to the fleet server.\n"
    "Logs one line per event on stderr. Stops cleanly on SIGTERM or SIGINT. docs/agent.md.\n"
    "\n"
    "options:\n"
    "  --config FILE   agent.json (default /etc/edgeverify/agent.json)\n"
    "\n"
    "exit status: 0 stopped by a signal, 2 configuration error, 3 state directory unusable\n";

}  // namespace

int run_agent(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--help", "-h"}, {"--config"}};
    auto parsed = parse_options(args, spec, "agent");
    if (!parsed) return report_error(parsed.error());
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kAgentHelp, stdout);
        return 0;
    }
    if (!parsed->positional.empty()) {
        return report_error(make_error(Errc::usage, "agent takes no arguments (see 'edgeverify agent --help')"));
    }
    const std::string path = parsed->value("--config").value_or(std::string(agent::kDefaultAgentConfig));
    auto config = agent::load_agent_config(path);
    if (!config) {
        // Whatever kept the configuration from loading (absent, unreadable, invalid), the agent
        // does not start on guesses: exit 2.
        const Error& e = config.error();
        return report_error(e.code == Errc::config ? e : make_error(Errc::config, e.message));
    }
    agent::Daemon daemon(std::move(*config));
    return daemon.run();
}

}  // namespace edgeverify::cli
