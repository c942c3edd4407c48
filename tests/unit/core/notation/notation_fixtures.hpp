// Reads the Notation fixtures of tests/data/notation (made by its generate.sh).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "edgeverify/x509.hpp"

namespace notation_test {

inline std::string fixture_path(const std::string& name) {
    return std::string(EDGEVERIFY_TEST_DATA_DIR) + "/notation/" + name;
}

inline std::string read_fixture(const std::string& name) {
    std::ifstream in(fixture_path(name), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

inline edgeverify::Certificate certificate(const std::string& name) {
    auto certs = edgeverify::parse_certificates_file(read_fixture(name), name);
    if (!certs || certs->size() != 1) return {};
    return certs->front();
}

// 2030-01-01T00:00:00Z: inside every fixture's validity (generated 2026, valid 100 years).
inline constexpr std::int64_t kNow = 1893456000;

}  // namespace notation_test
