// Fuzz target: the tar header block format (src/core/reader/tar_header.hpp): the first 512 bytes
// are a header block, the rest a PAX extended header payload.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "reader/tar_header.hpp"

namespace tar = edgeverify::tar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < tar::kBlockSize) return -1;  // not a header block: keep it out of the corpus
    const unsigned char* block = data;
    (void)tar::header_format(block);
    (void)tar::checksum_matches(block);
    (void)tar::is_zero_block(block);
    for (const tar::Field field : {tar::kMode, tar::kUid, tar::kGid, tar::kSize, tar::kMtime, tar::kChecksum,
                                   tar::kDevMajor, tar::kDevMinor}) {
        (void)tar::parse_numeric(block, field);
        (void)tar::parse_octal(block + field.offset, field.length);
    }
    for (const tar::Field field : {tar::kName, tar::kLinkName, tar::kPrefix}) (void)tar::field_string(block, field);
    const std::string_view pax(reinterpret_cast<const char*>(data) + tar::kBlockSize, size - tar::kBlockSize);
    (void)tar::for_each_pax_record(pax, [](std::string_view key, std::string_view value) -> const char* {
        return key.size() + value.size() > 4096 ? "too long" : nullptr;
    });
    return 0;
}
