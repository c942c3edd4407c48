// RFC 3161 tokens made at test time by the openssl CLI (tests/data/timestamp/make_tokens.sh: a
// root CA, a TSA certificate with the critical timeStamping EKU, a foreign TSA), verified against
// a trusted_root-style authority and a tsa store; each refusal asserted by its message.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "edgeverify/timestamp.hpp"

using namespace edgeverify;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// Removes the generated directory when the test process ends.
struct RemovedAtExit {
    fs::path path;
    ~RemovedAtExit() {
        std::error_code ignored;
        if (!path.empty()) fs::remove_all(path, ignored);
    }
};

// Made once per test run; a failing generator fails every test that needs it.
const fs::path& tokens_dir() {
    static const fs::path dir = [] {
        const fs::path out = fs::temp_directory_path() / ("edgeverify-tsa-" + std::to_string(::getpid()));
        fs::remove_all(out);
        const std::string command = "bash '" + std::string(EDGEVERIFY_TEST_DATA_DIR) +
                                    "/timestamp/make_tokens.sh' '" + out.string() + "' >/dev/null 2>&1";
        static RemovedAtExit cleanup{out};
        if (std::system(command.c_str()) != 0) return fs::path();
        return out;
    }();
    REQUIRE_MESSAGE(!dir.empty(), "tests/data/timestamp/make_tokens.sh failed (openssl missing?)");
    return dir;
}

Certificate cert(const std::string& name) {
    auto parsed = parse_certificates_file(slurp(tokens_dir() / (name + ".crt")), name);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    return parsed->front();
}

TimestampToken token(const std::string& name) {
    auto parsed = parse_timestamp_token(slurp(tokens_dir() / name), name);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    return std::move(*parsed);
}

// A trusted_root.json-style authority: TSA leaf, root.
CertificateAuthority authority(std::vector<Certificate> chain) {
    CertificateAuthority ca;
    ca.origin = "trusted_root.json timestampAuthorities[0]";
    ca.chain = std::move(chain);
    ca.valid_from = 0;
    return ca;
}

TimestampTrust trust_of(const CertificateAuthority& ca) {
    TimestampTrust trust;
    trust.name = ca.origin;
    trust.authority = &ca;
    return trust;
}

std::string error_of(const Expected<VerifiedTimestamp>& result) {
    return result ? std::string("accepted")
                  : std::string(errc_name(result.error().code)) + ": " + result.error().message;
}

}  // namespace

TEST_SUITE("timestamp (openssl ts)") {
    TEST_CASE("a token with the TSA certificate verifies, at its genTime") {
        const std::string data = slurp(tokens_dir() / "data.bin");
        const TimestampToken good = token("good.tsr");
        CHECK(good.imprint_algorithm == "sha256");
        CHECK(good.certificates.size() == 1);
        CHECK(good.ess_v2);
        CHECK(good.accuracy_micros == 1000000);
        const CertificateAuthority ca = authority({cert("tsa"), cert("root")});
        auto verified = verify_timestamp_token(good, data, trust_of(ca));
        REQUIRE_MESSAGE(verified.has_value(), error_of(verified));
        CHECK(verified->time == good.gen_time);
        CHECK(std::llabs(verified->time - static_cast<std::int64_t>(std::time(nullptr))) < 3600);
        CHECK(verified->tsa_subject == "C=US, O=Edgeverify Test, CN=Test TSA");
        // The bare token (openssl ts -token_out) is the same token.
        CHECK(token("good.token").tst_info_der == good.tst_info_der);
        // A tsa store of the root alone verifies it too (the token carries the TSA certificate).
        X509Store store{"test", X509StoreKind::tsa, {cert("root")}};
        TimestampTrust by_store;
        by_store.name = "tsa store test";
        by_store.store = &store;
        by_store.require_ess_v2 = true;
        CHECK_MESSAGE(verify_timestamp_token(good, data, by_store).has_value(),
                      error_of(verify_timestamp_token(good, data, by_store)));
    }

    TEST_CASE("a token without certificates verifies with the authority's own TSA certificate") {
        const TimestampToken bare = token("no-cert.tsr");
        CHECK(bare.certificates.empty());
        CHECK(bare.imprint_algorithm == "sha384");
        const CertificateAuthority ca = authority({cert("tsa"), cert("root")});
        auto verified = verify_timestamp_token(bare, slurp(tokens_dir() / "data.bin"), trust_of(ca));
        CHECK_MESSAGE(verified.has_value(), error_of(verified));
        // Against a store of roots the TSA certificate cannot be found.
        X509Store store{"test", X509StoreKind::tsa, {cert("root")}};
        TimestampTrust by_store;
        by_store.name = "tsa store test";
        by_store.store = &store;
        CHECK(error_of(verify_timestamp_token(bare, slurp(tokens_dir() / "data.bin"), by_store)) ==
              "signature-invalid: timestamp (tsa store test): signing certificate not found in the timestamp "
              "token");
    }

    TEST_CASE("other bytes than the ones stamped: the imprint does not match") {
        const CertificateAuthority ca = authority({cert("tsa"), cert("root")});
        CHECK(error_of(verify_timestamp_token(token("good.tsr"), "other bytes", trust_of(ca))) ==
              "signature-invalid: timestamp (trusted_root.json timestampAuthorities[0]): the message imprint "
              "is not "
              "the sha256 of the signature bytes");
    }

    TEST_CASE("a tampered TSTInfo: the message-digest attribute no longer matches") {
        std::string der = slurp(tokens_dir() / "good.tsr");
        // genTime is a GeneralizedTime (tag 0x18, 15 bytes "YYYYMMDDHHMMSSZ"): change its year.
        const auto at = der.find(std::string("\x18\x0f", 2));
        REQUIRE(at != std::string::npos);
        der[at + 2 + 3] = der[at + 2 + 3] == '9' ? '8' : static_cast<char>(der[at + 2 + 3] + 1);
        auto tampered = parse_timestamp_token(der, "tampered");
        REQUIRE(tampered.has_value());
        const CertificateAuthority ca = authority({cert("tsa"), cert("root")});
        CHECK(error_of(verify_timestamp_token(*tampered, slurp(tokens_dir() / "data.bin"), trust_of(ca))) ==
              "signature-invalid: timestamp (trusted_root.json timestampAuthorities[0]): the message-digest "
              "attribute does not match the TSTInfo");
    }

    TEST_CASE("a token from a foreign TSA is refused by the authority and by the store") {
        const std::string data = slurp(tokens_dir() / "data.bin");
        const CertificateAuthority ca = authority({cert("tsa"), cert("root")});
        CHECK(error_of(verify_timestamp_token(token("foreign.tsr"), data, trust_of(ca))) ==
              "untrusted: timestamp (trusted_root.json timestampAuthorities[0]): the token's TSA certificate "
              "\"C=US, O=Elsewhere, CN=Foreign TSA\" is not the authority's (C=US, O=Edgeverify Test, "
              "CN=Test TSA)");
        // An authority given as intermediates/root only: no path from the foreign TSA.
        const CertificateAuthority root_only = authority({cert("root")});
        CHECK(error_of(verify_timestamp_token(token("foreign.tsr"), data, trust_of(root_only)))
                  .starts_with("signature-invalid: timestamp (trusted_root.json timestampAuthorities[0]): "
                               "the TSA certificate does not "
                               "chain to the authority at genTime"));
        X509Store store{"test", X509StoreKind::tsa, {cert("root")}};
        TimestampTrust by_store;
        by_store.name = "tsa store test";
        by_store.store = &store;
        CHECK(error_of(verify_timestamp_token(token("foreign.tsr"), data, by_store)) ==
              "untrusted: timestamp (tsa store test): the TSA certificate \"C=US, O=Elsewhere, CN=Foreign "
              "TSA\" does "
              "not chain to a root of the store");
    }

    TEST_CASE("genTime outside the authority's validFor") {
        CertificateAuthority ca = authority({cert("tsa"), cert("root")});
        const TimestampToken good = token("good.tsr");
        ca.valid_until = good.gen_time - 1;
        CHECK(error_of(verify_timestamp_token(good, slurp(tokens_dir() / "data.bin"), trust_of(ca))) ==
              "untrusted: timestamp (trusted_root.json timestampAuthorities[0]): genTime " +
                  std::to_string(good.gen_time) + " is outside the authority's validFor");
        ca.valid_until = good.gen_time;  // inclusive
        CHECK(verify_timestamp_token(good, slurp(tokens_dir() / "data.bin"), trust_of(ca)).has_value());
    }

    TEST_CASE("a TSA certificate whose timeStamping EKU is not critical is refused") {
        // openssl ts refuses to sign with it, so the token is re-signed with openssl cms (CAdES
        // adds signing-certificate-v2) over the TSTInfo of a good token.
        const fs::path dir = tokens_dir();
        { std::ofstream(dir / "tstinfo.der", std::ios::binary) << token("good.tsr").tst_info_der; }
        const std::string command =
            "cd '" + dir.string() +
            "' && openssl cms -sign -binary -nodetach -cades -outform DER -md sha256 "
            "-econtent_type 1.2.840.113549.1.9.16.1.4 -in tstinfo.der -signer tsa-noeku.crt "
            "-inkey tsa-noeku.key -out noeku.token >/dev/null 2>&1";
        REQUIRE(std::system(command.c_str()) == 0);
        const TimestampToken noeku = token("noeku.token");
        CHECK(noeku.certificates.size() == 1);
        const CertificateAuthority ca = authority({cert("root")});
        CHECK(error_of(verify_timestamp_token(noeku, slurp(dir / "data.bin"), trust_of(ca))) ==
              "untrusted: timestamp (trusted_root.json timestampAuthorities[0]): the TSA certificate \"C=US, "
              "O=Edgeverify Test, CN=Test TSA without critical EKU\" needs a critical extendedKeyUsage of "
              "exactly "
              "timeStamping");
    }
}
