// Test helper: reads the openssl-made fixtures of tests/data/keys (see make.sh there).
#pragma once

#include <fstream>
#include <iterator>
#include <string>

namespace edgeverify::test {

inline std::string key_file(const std::string& name) {
    std::ifstream in(std::string(EDGEVERIFY_TEST_DATA_DIR) + "/keys/" + name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace edgeverify::test
