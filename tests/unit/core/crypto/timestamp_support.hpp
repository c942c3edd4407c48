// Shared by the RFC 3161 timestamp tests: the public vector sets, read in place.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace timestamp_test {

// ../shared/vectors next to the repository (as tests/CMakeLists.txt), or EDGEVERIFY_SHARED_VECTORS.
inline std::filesystem::path vectors_dir() {
    if (const char* configured = std::getenv("EDGEVERIFY_SHARED_VECTORS")) return configured;
    return (std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors")
        .lexically_normal();
}

// A vector file's bytes; empty when it cannot be read (the tests then fail on the parse).
inline std::string read_vector(const std::string& relative) {
    std::ifstream in(vectors_dir() / relative, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace timestamp_test
