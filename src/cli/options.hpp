// Command-line parsing shared by the subcommands: "--flag", "--flag VALUE", "--flag=VALUE".
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify::cli {

struct OptionSpec {
    std::set<std::string> switches;    // flags without a value, e.g. "--json"
    std::set<std::string> with_value;  // flags taking a value, e.g. "--platform"
};

struct ParsedOptions {
    std::vector<std::string> positional;
    std::set<std::string> switches;
    std::map<std::string, std::string> values;

    bool has(const std::string& flag) const { return switches.count(flag) != 0; }
    std::optional<std::string> value(const std::string& flag) const;
};

// `command` names the subcommand in errors ("unknown option '--x' for verify").
Expected<ParsedOptions> parse_options(const std::vector<std::string>& args, const OptionSpec& spec,
                                      const std::string& command);

// "1048576", "64K", "512M", "2G" (binary multiples) -> bytes.
Expected<std::uint64_t> parse_byte_size(const std::string& text, const std::string& flag);

}  // namespace edgeverify::cli
