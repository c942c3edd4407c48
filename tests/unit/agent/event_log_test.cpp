// The agent's one-line event format: plain values bare, anything else quoted and escaped so a
// hostile value can never start a second line.
#include <doctest/doctest.h>

#include "agent/event_log.hpp"

using edgeverify::agent::format_event;
using edgeverify::agent::LogLevel;

TEST_CASE("event log: time, level, component, event and bare values") {
    CHECK(format_event("2026-11-28T01:50:00Z", LogLevel::info, "inbox", "bundle-complete",
                       {{"path", "app.tar"}, {"size", "1234"}}) ==
          "2026-11-28T01:50:00Z info inbox: bundle-complete path=app.tar size=1234");
}

TEST_CASE("event log: each level has its name") {
    CHECK(format_event("T", LogLevel::warning, "c", "e", {}) == "T warning c: e");
    CHECK(format_event("T", LogLevel::error, "c", "e", {}) == "T error c: e");
}

TEST_CASE("event log: spaces, quotes, '=' and backslashes are quoted and escaped") {
    CHECK(format_event("T", LogLevel::info, "c", "e", {{"m", "a b"}}) == "T info c: e m=\"a b\"");
    CHECK(format_event("T", LogLevel::info, "c", "e", {{"m", "say \"hi\""}}) ==
          "T info c: e m=\"say \\\"hi\\\"\"");
    CHECK(format_event("T", LogLevel::info, "c", "e", {{"m", "k=v"}}) == "T info c: e m=\"k=v\"");
    CHECK(format_event("T", LogLevel::info, "c", "e", {{"m", "a\\b"}}) == "T info c: e m=\"a\\\\b\"");
}

TEST_CASE("event log: an empty value is written as \"\"") {
    CHECK(format_event("T", LogLevel::info, "c", "e", {{"m", ""}}) == "T info c: e m=\"\"");
}

TEST_CASE("event log: a hostile value with newlines cannot forge a second line") {
    std::string line = format_event("T", LogLevel::info, "inbox", "bundle-complete",
                                    {{"path", "x\n2026-11-28T00:00:00Z info inbox: installed\r\t"}});
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find('\r') == std::string::npos);
    CHECK(line == "T info inbox: bundle-complete path=\"x\\n2026-11-28T00:00:00Z info inbox: "
                  "installed\\r\\t\"");
}

TEST_CASE("event log: other control bytes and DEL are hex-escaped; UTF-8 passes through") {
    std::string value = std::string("a\x01") + '\0' + "\x7f" + "\xc3\xa9";
    CHECK(format_event("T", LogLevel::info, "c", "e", {{"m", value}}) ==
          "T info c: e m=\"a\\x01\\x00\\x7f\xc3\xa9\"");
}
