// The tar header block format (ustar, GNU, PAX records): field offsets, number parsing and
// checksums, shared by the layer tar scanner and any reader that sniffs for tar.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace edgeverify::tar {

inline constexpr std::size_t kBlockSize = 512;

// Offset and length of a header field (POSIX.1-1988 ustar; GNU shares the first 345 bytes).
struct Field {
    std::size_t offset;
    std::size_t length;
};
inline constexpr Field kName{0, 100}, kMode{100, 8}, kUid{108, 8}, kGid{116, 8};
inline constexpr Field kSize{124, 12}, kMtime{136, 12}, kChecksum{148, 8};
inline constexpr Field kLinkName{157, 100}, kDevMajor{329, 8}, kDevMinor{337, 8};
inline constexpr Field kPrefix{345, 155};  // ustar only: GNU keeps atime/ctime here
inline constexpr std::size_t kTypeflagOffset = 156;
inline constexpr std::size_t kGnuSparseIsExtended = 482;     // in a GNU 'S' header
inline constexpr std::size_t kGnuSparseExtIsExtended = 504;  // in a sparse extension block

enum class HeaderFormat { v7, ustar, gnu };
HeaderFormat header_format(const unsigned char* block);

// Octal with optional leading/trailing spaces and NULs (as GNU tar and Go's archive/tar read it).
std::optional<std::int64_t> parse_octal(const unsigned char* field, std::size_t length);
// Octal, or GNU base-256 (first byte 0x80 / 0xff, two's complement) for what octal cannot hold.
std::optional<std::int64_t> parse_numeric(const unsigned char* block, Field field);
// Unsigned or (historic) signed byte sum, as GNU tar accepts either.
bool checksum_matches(const unsigned char* block);
bool is_zero_block(const unsigned char* block);
// A NUL-terminated (or full-length) string field.
std::string_view field_string(const unsigned char* block, Field field);

struct PaxSyntaxError {
    std::size_t at;   // byte offset of the bad record inside the payload
    const char* why;  // what is wrong with it
};

// Calls on_record(key, value) for each "%d key=value\n" record of a PAX extended header payload;
// on_record returns nullptr, or why the value is unacceptable.
template <class OnRecord>
std::optional<PaxSyntaxError> for_each_pax_record(std::string_view payload, OnRecord&& on_record) {
    std::size_t pos = 0;
    while (pos < payload.size()) {
        const std::string_view rest = payload.substr(pos);
        std::size_t digits = 0;
        std::uint64_t length = 0;
        while (digits < rest.size() && digits < 19 && rest[digits] >= '0' && rest[digits] <= '9') {
            length = length * 10 + static_cast<std::uint64_t>(rest[digits] - '0');
            ++digits;
        }
        if (digits == 0 || digits >= rest.size() || rest[digits] != ' ')
            return PaxSyntaxError{pos, "no length"};
        if (length > rest.size() || length < digits + 4) return PaxSyntaxError{pos, "length out of range"};
        const std::string_view record = rest.substr(digits + 1, length - digits - 1);
        if (record.back() != '\n') return PaxSyntaxError{pos, "not terminated by a newline"};
        const std::size_t eq = record.find('=');
        if (eq == std::string_view::npos || eq == 0) return PaxSyntaxError{pos, "no key=value"};
        if (const char* why =
                on_record(record.substr(0, eq), record.substr(eq + 1, record.size() - eq - 2))) {
            return PaxSyntaxError{pos, why};
        }
        pos += length;
    }
    return std::nullopt;
}

}  // namespace edgeverify::tar
