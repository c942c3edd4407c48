// One line per event on stderr (journald keeps stderr of a systemd service):
//   <RFC 3339 UTC> <level> <component>: <event> key=value key="value with spaces"
// Values with spaces, quotes, '=' or control characters are quoted with \" \\ \n escapes, so a
// hostile file name can never forge a second line.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace edgeverify::agent {

enum class LogLevel { info, warning, error };

using LogField = std::pair<std::string_view, std::string>;

// Formats one line (without the trailing newline); time is the caller's.
std::string format_event(std::string_view time, LogLevel level, std::string_view component,
                         std::string_view event, std::initializer_list<LogField> fields);

// Writes format_event(now, ...) + '\n' to stderr in one write(2).
void log_event(LogLevel level, std::string_view component, std::string_view event,
               std::initializer_list<LogField> fields = {});

}  // namespace edgeverify::agent
