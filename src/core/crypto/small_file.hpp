// Private: reading a small trust file (a certificate, a CRL) whole, with a size bound.
#pragma once

#include <filesystem>
#include <string>

#include "edgeverify/error.hpp"

namespace edgeverify::crypto {

// The file's bytes; over `max_bytes` -> Errc::limit_exceeded; unreadable -> `code`.
Expected<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes, Errc code);

}  // namespace edgeverify::crypto
