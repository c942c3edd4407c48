// The wall clock as UTC text (clock.hpp).
#include "edgeverify/clock.hpp"

#include <ctime>

namespace edgeverify {
namespace {

std::string utc_now(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof text, format, &utc);
    return text;
}

}  // namespace

std::string rfc3339_utc_now() { return utc_now("%Y-%m-%dT%H:%M:%SZ"); }
std::string compact_utc_now() { return utc_now("%Y%m%dT%H%M%SZ"); }

}  // namespace edgeverify
