// `edgeverify floor show [--json]` and `edgeverify floor lower REPOSITORY [--to VERSION] --reason
// TEXT`: the device's anti-rollback floors, and the one explicit way down (docs/rules.md).
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "edgeverify/rules.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kFloorHelp =
    "usage: edgeverify floor show [--json]\n"
    "       edgeverify floor lower REPOSITORY [--to VERSION] --reason TEXT\n"
    "\n"
    "show   prints the anti-rollback floors (state_dir/floors.json) and the time floor.\n"
    "lower  lowers REPOSITORY's floor to VERSION (a semantic version below it) or, without --to,\n"
    "       removes it; an audit record (who-knows-why: --reason) is written to\n"
    "       state_dir/floor_audit.jsonl first. Floors are raised only by installs.\n"
    "\n"
    "environment: EDGEVERIFY_STATE_DIR (default /var/lib/edgeverify)\n"
    "exit status: 0 done, 2 usage or configuration error, 3 I/O error or no such floor\n";

}  // namespace

int run_floor(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--json", "--help", "-h"}, {"--to", "--reason"}};
    auto parsed = parse_options(args, spec, "floor");
    if (!parsed) return report_error(parsed.error());
    if (parsed->has("--help") || parsed->has("-h") || parsed->positional.empty()) {
        std::fputs(kFloorHelp, parsed->positional.empty() && !parsed->has("--help") && !parsed->has("-h") ? stderr : stdout);
        return parsed->positional.empty() && !parsed->has("--help") && !parsed->has("-h") ? 2 : 0;
    }
    const StateDirectory state = state_directory_from_env();
    const std::string& action = parsed->positional.front();
    if (action == "show" && parsed->positional.size() == 1) {
        auto floors = read_rollback_floors(state);
        if (!floors) return report_error(floors.error());
        auto time_floor = read_time_floor(state);
        if (!time_floor) return report_error(time_floor.error());
        Json out = *floors;
        out["timeFloor"] = *time_floor ? Json(format_rfc3339(**time_floor)) : Json();
        if (parsed->has("--json")) {
            std::cout << out.dump(2) << std::endl;
            return 0;
        }
        std::printf("time floor  %s\n", *time_floor ? format_rfc3339(**time_floor).c_str() : "(none)");
        for (const auto& item : out["floors"].items()) {
            std::printf("%s  %s\n", item.key().c_str(), item.value().dump().c_str());
        }
        return 0;
    }
    if (action == "lower" && parsed->positional.size() == 2) {
        auto reference = parse_image_reference(parsed->positional[1]);
        if (!reference) return report_error(reference.error());
        auto reason = parsed->value("--reason");
        if (!reason) return report_error(make_error(Errc::usage, "floor lower needs --reason TEXT (it is audited)"));
        if (auto s = lower_rollback_floor(state, reference->name(), parsed->value("--to"), *reason); !s) {
            return report_error(s.error());
        }
        std::printf("floor of %s %s; audit record in %s\n", reference->name().c_str(),
                    parsed->value("--to") ? ("lowered to " + *parsed->value("--to")).c_str() : "removed",
                    floor_audit_path(state).c_str());
        return 0;
    }
    return report_error(make_error(Errc::usage, "floor: expected 'show' or 'lower REPOSITORY' (see 'edgeverify floor --help')"));
}

}  // namespace edgeverify::cli
