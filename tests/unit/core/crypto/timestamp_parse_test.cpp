// Bad input for the RFC 3161 token parser: each refusal names the structure and field. The base
// token is notation-go's TimeStampTokenWithoutCertificate.p7s (../shared/vectors, read in place).
#include <doctest/doctest.h>

#include <vector>

#include "core/crypto/der.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/timestamp.hpp"
#include "unit/core/crypto/timestamp_support.hpp"

using namespace edgeverify;
using timestamp_test::read_vector;

namespace {

const std::string kBase =
    "notation-go/envelopes/timestamp/countersignature/TimeStampTokenWithoutCertificate.p7s";

std::string parse_error(std::string_view der) {
    auto token = parse_timestamp_token(der, "token");
    return token ? std::string("parsed")
                 : std::string(errc_name(token.error().code)) + ": " + token.error().message;
}

// The token rebuilt with its SignerInfo listed twice.
std::string with_two_signers(const std::string& der) {
    using namespace crypto;
    auto info = der_single(der, kDerSequence);
    REQUIRE(info.has_value());
    DerReader info_fields(*info);
    const std::string oid(*info_fields.read_element(kDerOid));
    auto signed_data = der_single(*info_fields.read(0xA0), kDerSequence);
    REQUIRE(signed_data.has_value());
    DerReader fields(*signed_data);
    std::vector<std::string_view> elements;
    while (!fields.empty()) elements.push_back(*fields.read_element(*fields.peek_tag()));
    auto signers = der_single(elements.back(), 0x31);  // signerInfos comes last
    REQUIRE(signers.has_value());
    std::string rebuilt;
    for (std::size_t i = 0; i + 1 < elements.size(); ++i) rebuilt += std::string(elements[i]);
    rebuilt += der_element(0x31, std::string(*signers) + std::string(*signers));
    return der_element(kDerSequence, oid + der_element(0xA0, der_element(kDerSequence, rebuilt)));
}

}  // namespace

TEST_SUITE("timestamp parse") {
    TEST_CASE("the base token parses: TSTInfo, one signer, signing-certificate-v2, no certificates") {
        auto token = parse_timestamp_token(read_vector(kBase), "token");
        REQUIRE_MESSAGE(token.has_value(), (token ? "" : token.error().message));
        CHECK(token->certificates.empty());
        CHECK(token->ess_v2);
        CHECK(token->content_type_attribute == "1.2.840.113549.1.9.16.1.4");
        CHECK(!token->signature.empty());
        CHECK(token->gen_time > 1600000000);
        CHECK(with_two_signers(read_vector(kBase)).size() > read_vector(kBase).size());
    }

    TEST_CASE("truncated: not one DER element") {
        const std::string der = read_vector(kBase);
        REQUIRE(der.size() > 100);
        CHECK(parse_error(der.substr(0, der.size() - 1)) ==
              "signature-invalid: token: timestamp token ContentInfo: not one DER SEQUENCE");
        CHECK(parse_error("") ==
              "signature-invalid: token: timestamp token ContentInfo: not one DER SEQUENCE");
        CHECK(parse_error(der + "x") ==
              "signature-invalid: token: timestamp token ContentInfo: not one DER SEQUENCE");
    }

    TEST_CASE("an encapsulated content that is not id-ct-TSTInfo") {
        std::string der = read_vector(kBase);
        const std::string tst_info_oid("\x06\x0b\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04", 13);
        const auto at = der.find(tst_info_oid);
        REQUIRE(at != std::string::npos);
        der[at + 12] = '\x05';
        CHECK(parse_error(der) ==
              "signature-invalid: token: timestamp token encapContentInfo eContentType: "
              "1.2.840.113549.1.9.16.1.5 is not id-ct-TSTInfo");
    }

    TEST_CASE("two SignerInfos") {
        CHECK(parse_error(with_two_signers(read_vector(kBase))) ==
              "signature-invalid: token: timestamp token SignedData signerInfos: more than one SignerInfo");
    }

    TEST_CASE("a token over kMaxTimestampTokenBytes") {
        const std::string big(limits::kMaxTimestampTokenBytes + 1, '\x30');
        CHECK(parse_error(big) == "limit-exceeded: token: timestamp token of " +
                                      std::to_string(limits::kMaxTimestampTokenBytes + 1) +
                                      " bytes exceeds kMaxTimestampTokenBytes (65536)");
    }

    TEST_CASE("not a SignedData ContentInfo") {
        using namespace crypto;
        const std::string data_oid =
            der_element(kDerOid, std::string("\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 9));
        CHECK(
            parse_error(
                der_element(kDerSequence, data_oid + der_element(0xA0, der_element(kDerOctetString, "x")))) ==
            "signature-invalid: token: timestamp token ContentInfo contentType: 1.2.840.113549.1.7.1 is not "
            "id-signedData");
        // A TimeStampResp whose status is rejection (2) carries no token.
        const std::string rejected =
            der_element(kDerSequence, der_element(kDerSequence, der_element(kDerInteger, "\x02")));
        CHECK(parse_error(rejected) ==
              "signature-invalid: token: timestamp token TimeStampResp status: not granted (02)");
    }

    TEST_CASE("notation-go's token with an invalid TSTInfo is refused naming TSTInfo") {
        const std::string error = parse_error(read_vector(
            "notation-go/envelopes/timestamp/countersignature/TimeStampTokenWithInvalidTSTInfo.p7s"));
        CHECK(error.starts_with("signature-invalid: token: timestamp token TSTInfo"));
    }
}
