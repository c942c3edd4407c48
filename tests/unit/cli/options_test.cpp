// Command-line parsing of the edgeverify CLI: flags, values, and the byte-size syntax.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/options.hpp"

using namespace edgeverify;
using namespace edgeverify::cli;

namespace {
const OptionSpec kSpec{{"--json", "--all-platforms"}, {"--platform", "--max-layer-size"}};
}

TEST_SUITE("cli") {
    TEST_CASE("cli options: switches, values in both spellings, and positionals") {
        auto parsed = parse_options(
            {"src.tar", "--json", "--platform", "linux/arm64", "--max-layer-size=64M"}, kSpec, "verify");
        REQUIRE(parsed);
        CHECK(parsed->positional == std::vector<std::string>{"src.tar"});
        CHECK(parsed->has("--json"));
        CHECK_FALSE(parsed->has("--all-platforms"));
        CHECK(parsed->value("--platform") == "linux/arm64");
        CHECK(parsed->value("--max-layer-size") == "64M");
    }

    TEST_CASE("cli options: everything after -- is positional") {
        auto parsed = parse_options({"--", "--json"}, kSpec, "verify");
        REQUIRE(parsed);
        CHECK(parsed->positional == std::vector<std::string>{"--json"});
        CHECK_FALSE(parsed->has("--json"));
    }

    TEST_CASE("cli options: bad command lines are usage errors that say what is wrong") {
        struct Case {
            std::vector<std::string> args;
            std::string message;
        };
        const Case cases[] = {
            {{"--bogus"}, "unknown option '--bogus' for verify"},
            {{"--platform"}, "option '--platform' of verify needs a value"},
            {{"--json=yes"}, "option '--json' of verify takes no value"},
            {{"--platform", "a/b", "--platform=c/d"}, "option '--platform' of verify given twice"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.message);
            auto parsed = parse_options(c.args, kSpec, "verify");
            REQUIRE_FALSE(parsed);
            CHECK(parsed.error().code == Errc::usage);
            CHECK(parsed.error().message.find(c.message) != std::string::npos);
        }
    }

    TEST_CASE("cli byte sizes: plain numbers and binary K, M, G suffixes") {
        CHECK(*parse_byte_size("1048576", "--max-layer-size") == 1048576);
        CHECK(*parse_byte_size("64K", "--max-layer-size") == 64 * 1024);
        CHECK(*parse_byte_size("512M", "--max-layer-size") == 512ULL << 20);
        CHECK(*parse_byte_size("2G", "--max-layer-size") == 2ULL << 30);
    }

    TEST_CASE("cli byte sizes: zero, negative, unknown suffixes and overflow are refused") {
        for (const std::string text :
             {"", "0", "-1", "lots", "10T", "1.5G", "99999999999999999999", "17179869184G"}) {
            CAPTURE(text);
            auto size = parse_byte_size(text, "--max-layer-size");
            REQUIRE_FALSE(size);
            CHECK(size.error().code == Errc::usage);
            CHECK(size.error().message.find("--max-layer-size: expected a byte count") != std::string::npos);
        }
    }
}
