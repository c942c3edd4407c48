// Fuzz target: RFC 3161 timestamp tokens and TimeStampResp (timestamp.hpp parse_timestamp_token),
// then their verification against a store made of the token's own certificates, which reaches
// the signer lookup, ESS and signature checks with hostile values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto token = edgeverify::parse_timestamp_token(std::string_view(reinterpret_cast<const char*>(data), size),
                                                   "fuzz timestamp");
    if (!token || token->certificates.empty()) return 0;
    const edgeverify::X509Store store{"fuzz", edgeverify::X509StoreKind::tsa, token->certificates};
    edgeverify::TimestampTrust trust;
    trust.name = "tsa store fuzz";
    trust.store = &store;
    (void)edgeverify::verify_timestamp_token(*token, "signature bytes", trust);
    return 0;
}
