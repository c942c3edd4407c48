// Command-line option parsing.
#include "options.hpp"

#include <cerrno>
#include <cstdlib>

namespace edgeverify::cli {

std::optional<std::string> ParsedOptions::value(const std::string& flag) const {
    auto it = values.find(flag);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

Expected<ParsedOptions> parse_options(const std::vector<std::string>& args, const OptionSpec& spec,
                                      const std::string& command) {
    ParsedOptions out;
    bool only_positional = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (only_positional || arg.size() < 2 || arg[0] != '-') {
            out.positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            only_positional = true;
            continue;
        }
        std::string flag = arg;
        std::optional<std::string> inline_value;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            flag = arg.substr(0, eq);
            inline_value = arg.substr(eq + 1);
        }
        if (spec.switches.count(flag)) {
            if (inline_value) {
                return make_error(Errc::usage, "option '" + flag + "' of " + command + " takes no value");
            }
            out.switches.insert(flag);
        } else if (spec.with_value.count(flag)) {
            if (!inline_value) {
                if (i + 1 >= args.size()) {
                    return make_error(Errc::usage, "option '" + flag + "' of " + command + " needs a value");
                }
                inline_value = args[++i];
            }
            if (out.values.count(flag)) {
                return make_error(Errc::usage, "option '" + flag + "' of " + command + " given twice");
            }
            out.values[flag] = *inline_value;
        } else {
            return make_error(Errc::usage, "unknown option '" + flag + "' for " + command +
                                               " (see 'edgeverify " + command + " --help')");
        }
    }
    return out;
}

Expected<std::uint64_t> parse_byte_size(const std::string& text, const std::string& flag) {
    const auto bad = [&] {
        return make_error(
            Errc::usage,
            flag + ": expected a byte count such as 1048576, 64K, 512M or 2G, got '" + text + "'");
    };
    if (text.empty() || text[0] < '0' || text[0] > '9') return bad();
    errno = 0;
    char* end = nullptr;
    const unsigned long long number = std::strtoull(text.c_str(), &end, 10);
    if (errno == ERANGE) return bad();
    std::string suffix(end);
    std::uint64_t multiplier = 1;
    if (suffix == "K" || suffix == "k") {
        multiplier = 1ULL << 10;
    } else if (suffix == "M") {
        multiplier = 1ULL << 20;
    } else if (suffix == "G") {
        multiplier = 1ULL << 30;
    } else if (!suffix.empty()) {
        return bad();
    }
    if (number == 0 || number > UINT64_MAX / multiplier) return bad();
    return static_cast<std::uint64_t>(number) * multiplier;
}

}  // namespace edgeverify::cli
