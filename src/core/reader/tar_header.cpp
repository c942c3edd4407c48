// Tar header block parsing: numbers, checksums and magic (see tar_header.hpp).
#include "reader/tar_header.hpp"

#include <algorithm>
#include <cstring>

#include "edgeverify/layer_scan.hpp"

namespace edgeverify::tar {

HeaderFormat header_format(const unsigned char* block) {
    static constexpr char kUstarMagic[] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};
    static constexpr char kGnuMagic[] = {'u', 's', 't', 'a', 'r', ' ', ' ', '\0'};
    if (std::memcmp(block + 257, kUstarMagic, 8) == 0) return HeaderFormat::ustar;
    if (std::memcmp(block + 257, kGnuMagic, 8) == 0) return HeaderFormat::gnu;
    return HeaderFormat::v7;
}

std::optional<std::int64_t> parse_octal(const unsigned char* f, std::size_t n) {
    std::size_t begin = 0, end = n;
    while (begin < end && (f[begin] == ' ' || f[begin] == 0)) ++begin;
    while (end > begin && (f[end - 1] == ' ' || f[end - 1] == 0)) --end;
    std::uint64_t value = 0;
    for (std::size_t i = begin; i < end; ++i) {
        if (f[i] < '0' || f[i] > '7' || (value >> 60) != 0) return std::nullopt;
        value = value * 8 + (f[i] - '0');
    }
    return static_cast<std::int64_t>(value);
}

std::optional<std::int64_t> parse_numeric(const unsigned char* block, Field field) {
    const unsigned char* f = block + field.offset;
    if ((f[0] & 0x80) == 0) return parse_octal(f, field.length);
    const unsigned char invert = (f[0] & 0x40) ? 0xff : 0x00;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < field.length; ++i) {
        unsigned char c = f[i] ^ invert;
        if (i == 0) c &= 0x7f;
        if ((value >> 55) != 0) return std::nullopt;  // more than 63 bits
        value = (value << 8) | c;
    }
    if (invert) return -static_cast<std::int64_t>(value) - 1;
    return static_cast<std::int64_t>(value);
}

// Two branch-free reductions over the whole block (vectorized: this runs once per entry on the
// hot path), then corrected for the checksum field, which counts as eight spaces.
bool checksum_matches(const unsigned char* block) {
    const auto stored = parse_octal(block + kChecksum.offset, kChecksum.length);
    if (!stored) return false;
    std::uint32_t sum = 0, high = 0;
    for (std::size_t i = 0; i < kBlockSize; ++i) {
        sum += block[i];
        high += block[i] >> 7;
    }
    for (std::size_t i = kChecksum.offset; i < kChecksum.offset + kChecksum.length; ++i) {
        sum -= block[i];
        high -= block[i] >> 7;
    }
    sum += 8 * ' ';
    const std::int64_t unsigned_sum = sum, signed_sum = std::int64_t{sum} - 256 * std::int64_t{high};
    return *stored == unsigned_sum || *stored == signed_sum;
}

bool is_zero_block(const unsigned char* block) {
    return std::all_of(block, block + kBlockSize, [](unsigned char c) { return c == 0; });
}

std::string_view field_string(const unsigned char* block, Field f) {
    const auto* start = reinterpret_cast<const char*>(block + f.offset);
    const void* nul = std::memchr(start, 0, f.length);
    return {start, nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - start) : f.length};
}

}  // namespace edgeverify::tar

namespace edgeverify {

bool looks_like_tar_header(const void* block, std::size_t length) {
    return length >= tar::kBlockSize && tar::checksum_matches(static_cast<const unsigned char*>(block));
}

}  // namespace edgeverify
