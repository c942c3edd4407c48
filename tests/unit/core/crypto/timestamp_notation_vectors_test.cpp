// RFC 3161 tokens of the notation-go vectors (../shared/vectors/notation-go, read in place):
// countersignatures of real COSE envelopes, verified against the tsa stores of that set.
#include <doctest/doctest.h>

#include "edgeverify/notation.hpp"
#include "edgeverify/timestamp.hpp"
#include "unit/core/crypto/timestamp_support.hpp"

using namespace edgeverify;
using timestamp_test::read_vector;
using timestamp_test::vectors_dir;

namespace {

NotationEnvelope envelope(const std::string& name) {
    const std::string path = "notation-go/envelopes/timestamp/sigEnv/" + name;
    const auto media_type = name.starts_with("without") ? kNotationJwsMediaType : kNotationCoseMediaType;
    auto parsed = parse_notation_envelope(read_vector(path), media_type, path);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    return std::move(*parsed);
}

X509Store tsa_store(const std::string& name) {
    auto store = load_x509_store((vectors_dir() / "notation-go/truststore/x509/tsa" / name).string(),
                                 X509StoreKind::tsa);
    REQUIRE_MESSAGE(store.has_value(), (store ? "" : store.error().message));
    return std::move(*store);
}

TimestampTrust trust_of(const X509Store& store) {
    TimestampTrust trust;
    trust.name = "tsa store " + store.name;
    trust.store = &store;
    trust.require_ess_v2 = true;
    return trust;
}

}  // namespace

TEST_CASE("timestamp: the countersignature of coseWithTimestamp.sig verifies against tsa:test-timestamp") {
    const NotationEnvelope env = envelope("coseWithTimestamp.sig");
    REQUIRE(env.timestamp_token.has_value());
    auto token = parse_timestamp_token(*env.timestamp_token, "coseWithTimestamp.sig");
    REQUIRE_MESSAGE(token.has_value(), (token ? "" : token.error().message));
    CHECK(token->imprint_algorithm == "sha256");
    CHECK(!token->certificates.empty());
    const X509Store store = tsa_store("test-timestamp");
    auto verified = verify_timestamp_token(*token, env.signature, trust_of(store));
    REQUIRE_MESSAGE(verified.has_value(), (verified ? "" : verified.error().message));
    CHECK(verified->time == token->gen_time);
    CHECK(verified->time > 1700000000);
}

TEST_CASE("timestamp: the same countersignature against tsa:test-mismatch (DigiCert root) does not chain") {
    const NotationEnvelope env = envelope("coseWithTimestamp.sig");
    auto token = parse_timestamp_token(*env.timestamp_token, "coseWithTimestamp.sig");
    REQUIRE(token.has_value());
    const X509Store store = tsa_store("test-mismatch");
    auto verified = verify_timestamp_token(*token, env.signature, trust_of(store));
    REQUIRE(!verified.has_value());
    CHECK(verified.error().code == Errc::untrusted);
    CHECK(
        verified.error().message.starts_with("timestamp (tsa store test-mismatch): the TSA certificate \""));
    CHECK(verified.error().message.ends_with("\" does not chain to a root of the store"));
}

TEST_CASE(
    "timestamp: the countersignatures of the expired-certificate and after-notAfter envelopes verify as "
    "tokens") {
    const X509Store store = tsa_store("test-timestamp");
    for (const char* name : {"coseExpiredWithTimestamp.sig", "timestampAfterNotAfter.sig"}) {
        CAPTURE(name);
        const NotationEnvelope env = envelope(name);
        REQUIRE(env.timestamp_token.has_value());
        auto token = parse_timestamp_token(*env.timestamp_token, name);
        REQUIRE(token.has_value());
        auto verified = verify_timestamp_token(*token, env.signature, trust_of(store));
        CHECK_MESSAGE(verified.has_value(), (verified ? "" : verified.error().message));
        // The other envelope's signature is not what the token covers.
        CHECK(!verify_timestamp_token(*token, "another signature", trust_of(store)).has_value());
    }
}

TEST_CASE("timestamp: notation-go's token without certificates names the missing signing certificate") {
    auto token = parse_timestamp_token(
        read_vector("notation-go/envelopes/timestamp/countersignature/TimeStampTokenWithoutCertificate.p7s"),
        "tst");
    REQUIRE_MESSAGE(token.has_value(), (token ? "" : token.error().message));
    const NotationEnvelope env = envelope("withoutTimestamp.sig");
    const X509Store store = tsa_store("test-timestamp");
    auto verified = verify_timestamp_token(*token, env.signature, trust_of(store));
    REQUIRE(!verified.has_value());
    CHECK(verified.error().code == Errc::signature_invalid);
    CHECK(verified.error().message ==
          "timestamp (tsa store test-timestamp): signing certificate not found in the timestamp token");
}
