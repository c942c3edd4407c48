// The string rules of agent.json values (agent_config.cpp): paths, the containerd socket and
// namespace, the ctr command, a platform, the server URL and its reports path.
#pragma once

#include <string>

namespace edgeverify::agent::config_values {

bool absolute_path(const std::string& s);          // "/...", at most 4095 bytes, no NUL
bool socket_path(const std::string& s);            // absolute_path and at most 107 bytes (sun_path)
bool command(const std::string& s);                // absolute_path, or a name without '/' (PATH lookup)
bool containerd_namespace(const std::string& s);   // containerd's grammar, at most 76 bytes
bool platform(const std::string& s);               // empty, or OS/ARCH[/VARIANT]
bool https_url(const std::string& s);              // https://HOST[:PORT][/], no path
bool url_path(const std::string& s);               // "/..." of visible ASCII, at most 1024 bytes

}  // namespace edgeverify::agent::config_values
