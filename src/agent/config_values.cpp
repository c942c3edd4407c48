// agent.json value rules (config_values.hpp).
#include "config_values.hpp"

#include <cctype>
#include <cstddef>

#include "edgeverify/oci.hpp"

namespace edgeverify::agent::config_values {
namespace {

constexpr std::size_t kMaxConfigPathBytes = 4095;   // PATH_MAX - 1
constexpr std::size_t kMaxSocketPathBytes = 107;    // sockaddr_un.sun_path - 1
constexpr std::size_t kMaxNamespaceBytes = 76;      // containerd's namespace limit

bool has_nul(const std::string& s) { return s.find('\0') != std::string::npos; }

}  // namespace

bool absolute_path(const std::string& s) {
    return !s.empty() && s.front() == '/' && s.size() <= kMaxConfigPathBytes && !has_nul(s);
}
bool socket_path(const std::string& s) { return absolute_path(s) && s.size() <= kMaxSocketPathBytes; }
bool command(const std::string& s) {
    return absolute_path(s) || (!s.empty() && s.find('/') == std::string::npos && !has_nul(s) && s.size() <= 255);
}
bool containerd_namespace(const std::string& s) {
    if (s.empty() || s.size() > kMaxNamespaceBytes || !std::isalnum(static_cast<unsigned char>(s.front())) ||
        !std::isalnum(static_cast<unsigned char>(s.back()))) {
        return false;
    }
    for (unsigned char c : s) {
        if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') return false;
    }
    return true;
}
bool platform(const std::string& s) { return s.empty() || parse_platform(s).has_value(); }

bool https_url(const std::string& s) {
    constexpr std::string_view scheme = "https://";
    if (s.size() <= scheme.size() || s.size() > 2048 || s.compare(0, scheme.size(), scheme) != 0) return false;
    std::string authority = s.substr(scheme.size());
    if (!authority.empty() && authority.back() == '/') authority.pop_back();
    std::string host = authority;
    std::string port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos || close == 1) return false;
        host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return false;
            port = authority.substr(close + 2);
            if (port.empty()) return false;
        }
        for (unsigned char c : host) {
            if (!std::isxdigit(c) && c != ':' && c != '.') return false;
        }
    } else {
        if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
            if (port.empty()) return false;
        }
        if (host.empty()) return false;
        for (unsigned char c : host) {
            if (!std::isalnum(c) && c != '.' && c != '-') return false;
        }
    }
    if (!port.empty()) {
        if (port.size() > 5) return false;
        for (unsigned char c : port) {
            if (!std::isdigit(c)) return false;
        }
        const int number = std::stoi(port);
        if (number < 1 || number > 65535) return false;
    }
    return true;
}
bool url_path(const std::string& s) {
    if (s.empty() || s.front() != '/' || s.size() > 1024) return false;
    for (unsigned char c : s) {
        if (c <= 0x20 || c >= 0x7f) return false;
    }
    return true;
}

}  // namespace edgeverify::agent::config_values
