// Regressions found by tests/fuzz/fuzz_timestamp: a DER element whose tag was peeked but whose
// length does not fit was dereferenced as if read (an empty std::optional: reads of freed memory
// under ASan). Each is refused by name now.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "edgeverify/timestamp.hpp"

using namespace edgeverify;

namespace {

std::string from_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    return out;
}

std::string parse_error(std::string_view hex) {
    auto token = parse_timestamp_token(from_hex(hex), "token");
    return token ? std::string("parsed") : std::string(errc_name(token.error().code)) + ": " + token.error().message;
}

}  // namespace

TEST_CASE("timestamp token fuzz regressions: a peeked element that does not fit is refused by name") {
    // ContentInfo > SignedData > TSTInfo whose last field is an accuracy SEQUENCE header claiming
    // 5 bytes with none left (30 05).
    CHECK(parse_error("307b06092a864886f70d010702a06e306c02010331003065060b2a864886f70d0109100104a05604543052"
                      "02010106042a0304013031300d0609608648016503040201050004201111111111111111111111111111"
                      "111111111111111111111111111111111111020101180f32303236303130313030303030305a3005") ==
          "signature-invalid: token: timestamp token TSTInfo accuracy: malformed");
    // A TimeStampResp whose PKIStatusInfo SEQUENCE has a 4-byte length past the end.
    CHECK(parse_error("30063084ffffffff") == "signature-invalid: token: timestamp token TimeStampResp status: malformed");
}
