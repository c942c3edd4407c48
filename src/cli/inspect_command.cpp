// Placeholder until the inspect command lands: refuses with a clear usage error.
#include "commands.hpp"

namespace edgeverify::cli {

int run_inspect(const std::vector<std::string>&) {
    return report_error(make_error(Errc::usage, "'inspect' is not built yet"));
}

}  // namespace edgeverify::cli
