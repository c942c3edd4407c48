// Embedded SCTs (sct.hpp, RFC 6962 3.2-3.3): hand-made hostile SCT lists and the precertificate
// TBS rebuild. Real Fulcio certificates are in x509_sct_vectors_test.cpp.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "../sigstore/bundle_test_support.hpp"
#include "edgeverify/sct.hpp"

using namespace edgeverify;
using sigstore_test::check_error;
using sigstore_test::read_all;

namespace {

std::string u16(std::size_t n) {
    return {static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
}

// A DER element (short, 0x81 or 0x82 length form) around `contents`.
std::string der(std::uint8_t tag, const std::string& contents) {
    std::string out(1, static_cast<char>(tag));
    if (contents.size() < 0x80) return out + static_cast<char>(contents.size()) + contents;
    if (contents.size() < 0x100) return out + "\x81" + static_cast<char>(contents.size()) + contents;
    return out + "\x82" + u16(contents.size()) + contents;
}

std::string octet_string(const std::string& contents) {
    return der(0x04, contents);
}

// One well-formed v1 SCT: log id of 32 `id` bytes, timestamp 1000 ms, no extensions, ECDSA/SHA-256.
std::string sct_bytes(char id = 'L', std::uint8_t version = 0) {
    std::string sct(1, static_cast<char>(version));
    sct += std::string(32, id);
    sct += std::string("\0\0\0\0\0\0\x03\xe8", 8);
    sct += u16(0);
    sct += std::string("\x04\x03", 2) + u16(3) + "sig";
    return sct;
}

std::string sct_list(const std::vector<std::string>& scts) {
    std::string list;
    for (const std::string& sct : scts) list += u16(sct.size()) + sct;
    return octet_string(u16(list.size()) + list);
}

}  // namespace

TEST_SUITE("crypto") {
    TEST_CASE("SCT list: one well-formed SCT is read field by field") {
        auto scts = parse_sct_list(sct_list({sct_bytes()}), "leaf");
        REQUIRE(scts);
        REQUIRE(scts->size() == 1);
        CHECK((*scts)[0].version == 0);
        CHECK((*scts)[0].log_id == std::string(32, 'L'));
        CHECK((*scts)[0].timestamp_ms == 1000);
        CHECK((*scts)[0].extensions.empty());
        CHECK((*scts)[0].hash_algorithm == 4);
        CHECK((*scts)[0].signature_algorithm == 3);
        CHECK((*scts)[0].signature == "sig");
    }

    TEST_CASE("SCT list: hostile encodings are refused by name") {
        const std::string one = sct_bytes();
        // The list claims 100 bytes, 2 follow.
        check_error(parse_sct_list(octet_string(u16(100) + "ab"), "leaf"), Errc::key_malformed,
                    "leaf: SCT list: list length overflows the extension");
        // An SCT claims more bytes than the list holds.
        const std::string overflow = u16(one.size() + 50) + one;
        check_error(parse_sct_list(octet_string(u16(overflow.size()) + overflow), "leaf"),
                    Errc::key_malformed, "leaf: SCT list: SCT 0: length overflows the list");
        check_error(parse_sct_list(octet_string(u16(0)), "leaf"), Errc::key_malformed,
                    "leaf: SCT list: the list is empty (RFC 6962 requires at least one SCT)");
        check_error(parse_sct_list(sct_list({sct_bytes('L', 1)}), "leaf"), Errc::key_malformed,
                    "leaf: SCT list: SCT 0: version 1 is not v1 (0)");
        check_error(parse_sct_list(sct_list({one, one.substr(0, 20)}), "leaf"), Errc::key_malformed,
                    "leaf: SCT list: SCT 1: log id shorter than 32 bytes");
        check_error(parse_sct_list(sct_list({one + "zz"}), "leaf"), Errc::key_malformed,
                    "leaf: SCT list: SCT 0: 2 bytes after the signature");
        check_error(parse_sct_list(octet_string(u16(one.size() + 2) + u16(one.size()) + one) + "x", "leaf"),
                    Errc::key_malformed, "leaf: SCT list: not one DER OCTET STRING");
        check_error(parse_sct_list(std::string("\x30\x00", 2), "leaf"), Errc::key_malformed,
                    "leaf: SCT list: not one DER OCTET STRING");
    }

    TEST_CASE("SCT signed data: RFC 6962 precert_entry layout, non-empty SCT extensions included") {
        // Static CT logs put a leaf index in the extensions (conformance bundle-with-sct-with-extensions).
        std::string sct = sct_bytes();
        sct.replace(1 + 32 + 8, 2, u16(3) + "ext");
        auto scts = parse_sct_list(sct_list({sct}), "leaf");
        REQUIRE(scts);
        REQUIRE((*scts)[0].extensions == "ext");
        const std::string issuer_hash(32, 'h');
        const std::string expected = std::string("\x00\x00", 2) + std::string("\0\0\0\0\0\0\x03\xe8", 8) +
                                     std::string("\x00\x01", 2) + issuer_hash +
                                     std::string("\x00\x00\x04", 3) + "TBS!" + u16(3) + "ext";
        CHECK(sct_signed_data((*scts)[0], issuer_hash, "TBS!") == expected);
    }

    TEST_CASE("SCT list: more than kMaxEmbeddedScts SCTs is a named limit") {
        CHECK(parse_sct_list(sct_list(std::vector<std::string>(16, sct_bytes())), "leaf"));
        check_error(parse_sct_list(sct_list(std::vector<std::string>(17, sct_bytes())), "leaf"),
                    Errc::limit_exceeded, "leaf: SCT list: more than kMaxEmbeddedScts (16) SCTs");
    }

    TEST_CASE(
        "precert TBS: the SCT extension is removed, lengths re-encoded, [3] dropped when it was alone") {
        const std::string sct_oid = "\x06\x0a\x2b\x06\x01\x04\x01\xd6\x79\x02\x04\x02";
        const std::string sct_ext = der(0x30, sct_oid + octet_string(std::string(150, 'x')));
        const std::string other_ext =
            der(0x30, std::string("\x06\x03\x55\x1d\x13", 5) + octet_string(std::string("\x30\x00", 2)));
        const std::string serial("\x02\x01\x07", 3);
        const auto tbs_with = [&](const std::string& extensions) {
            return der(0x30, serial + der(0xA3, der(0x30, extensions)));
        };
        Certificate alone;
        alone.tbs_der = tbs_with(sct_ext);
        auto rebuilt = precert_tbs_certificate(alone, "leaf");
        REQUIRE(rebuilt);
        CHECK(*rebuilt == der(0x30, serial));  // 0x30 0x03 ...: the long form became short

        Certificate two;
        two.tbs_der = tbs_with(sct_ext + other_ext);
        rebuilt = precert_tbs_certificate(two, "leaf");
        REQUIRE(rebuilt);
        CHECK(*rebuilt == tbs_with(other_ext));

        Certificate broken;
        broken.tbs_der = std::string("\x30\x05\x02\x01\x07\xA3\x09", 7);
        check_error(precert_tbs_certificate(broken, "leaf"), Errc::key_malformed,
                    "leaf: TBSCertificate: a field is not DER");
    }
}
