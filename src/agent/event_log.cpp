// One line per event on stderr (event_log.hpp): values are quoted and escaped so that no
// byte of a hostile value (a file name, a containerd message) can start a second line.
#include "event_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "edgeverify/clock.hpp"

namespace edgeverify::agent {
namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
    }
    return "error";
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool needs_quotes(std::string_view value) {
    if (value.empty()) return true;
    for (unsigned char c : value) {
        if (c == ' ' || c == '"' || c == '=' || c == '\\' || is_control(c)) return true;
    }
    return false;
}

void append_value(std::string& out, std::string_view value) {
    if (!needs_quotes(value)) {
        out += value;
        return;
    }
    out += '"';
    for (unsigned char c : value) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (is_control(c)) {
                char escaped[5];
                std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
                out += escaped;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

}  // namespace

std::string format_event(std::string_view time, LogLevel level, std::string_view component,
                         std::string_view event, std::initializer_list<LogField> fields) {
    std::string line;
    line.reserve(64 + event.size());
    line += time;
    line += ' ';
    line += level_name(level);
    line += ' ';
    line += component;
    line += ": ";
    line += event;
    for (const auto& [key, value] : fields) {
        line += ' ';
        line += key;
        line += '=';
        append_value(line, value);
    }
    return line;
}

void log_event(LogLevel level, std::string_view component, std::string_view event,
               std::initializer_list<LogField> fields) {
    std::string line = format_event(rfc3339_utc_now(), level, component, event, fields);
    line += '\n';
    // One write(2) keeps lines from concurrent writers whole; retried only on EINTR or a
    // partial write (a pipe that is nearly full).
    std::string_view rest = line;
    while (!rest.empty()) {
        ssize_t written = ::write(STDERR_FILENO, rest.data(), rest.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return;  // stderr gone: nothing better to do with a log line
        }
        rest.remove_prefix(static_cast<std::size_t>(written));
    }
}

}  // namespace edgeverify::agent
