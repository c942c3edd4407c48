// Placeholder until the agent command lands: refuses with a clear usage error.
#include "commands.hpp"

namespace edgeverify::cli {

int run_agent(const std::vector<std::string>&) {
    return report_error(make_error(Errc::usage, "'agent' is not built yet"));
}

}  // namespace edgeverify::cli
