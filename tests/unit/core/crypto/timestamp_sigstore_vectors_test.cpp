// RFC 3161 timestamps of the sigstore-conformance bundles (../shared/vectors/sigstore-conformance,
// read in place), each against the case's own trusted_root.json timestampAuthorities.
#include <doctest/doctest.h>

#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/timestamp.hpp"
#include "unit/core/crypto/timestamp_support.hpp"

using namespace edgeverify;
using timestamp_test::read_vector;

namespace {

BundleTimestamps timestamps_of(const std::string& name) {
    const std::string dir = "sigstore-conformance/bundle-verify/" + name + "/";
    auto bundle = parse_sigstore_bundle(read_vector(dir + "bundle.sigstore.json"), name);
    REQUIRE_MESSAGE(bundle.has_value(), (bundle ? "" : bundle.error().message));
    REQUIRE(bundle->rfc3161_signed_timestamps.size() == 1);
    auto authorities = parse_trusted_root_authorities(read_vector(dir + "trusted_root.json"),
                                                      "trusted_root.json", "timestampAuthorities");
    REQUIRE_MESSAGE(authorities.has_value(), (authorities ? "" : authorities.error().message));
    REQUIRE(!authorities->empty());
    auto stamps = verify_bundle_timestamps(*bundle, *authorities, name);
    REQUIRE_MESSAGE(stamps.has_value(), (stamps ? "" : stamps.error().message));
    return std::move(*stamps);
}

std::string failures_of(const BundleTimestamps& stamps) {
    std::string out;
    for (const std::string& failure : stamps.failures) out += failure + "\n";
    return out;
}

}  // namespace

TEST_SUITE("timestamp (sigstore-conformance)") {
    TEST_CASE("valid timestamps verify, with and without an embedded TSA certificate") {
        for (const char* name :
             {"rekor2-timestamp-without-embedded-cert", "rekor2-timestamp-with-expired-cert-chain",
              "rekor2-checkpoint-multiple-cosigs", "intoto-with-custom-trust-root"}) {
            CAPTURE(name);
            const BundleTimestamps stamps = timestamps_of(name);
            CHECK_MESSAGE(stamps.verified.size() == 1, failures_of(stamps));
            CHECK(stamps.failures.empty());
            if (!stamps.verified.empty())
                CHECK(stamps.verified[0].authority == "trusted_root.json timestampAuthorities[0]");
        }
    }

    TEST_CASE("a timestamp over other bytes than the signature gives no time") {
        const BundleTimestamps stamps = timestamps_of("rekor2-timestamp-payload-mismatch_fail");
        CHECK(stamps.verified.empty());
        REQUIRE(stamps.failures.size() == 1);
        CHECK(stamps.failures[0] ==
              "rfc3161Timestamps[0]: timestamp (trusted_root.json timestampAuthorities[0]): the message "
              "imprint is not "
              "the sha256 of the signature bytes");
    }

    TEST_CASE("a timestamp from a TSA outside the trusted root, without embedded certificates") {
        const BundleTimestamps stamps =
            timestamps_of("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail");
        CHECK(stamps.verified.empty());
        REQUIRE(stamps.failures.size() == 1);
        CHECK(stamps.failures[0] ==
              "rfc3161Timestamps[0]: timestamp (trusted_root.json timestampAuthorities[0]): the TSA "
              "certificate the "
              "SignerInfo names is neither in the token nor the authority's chain");
    }

    TEST_CASE("a genTime after the end of the authority's validFor") {
        const BundleTimestamps stamps =
            timestamps_of("rekor2-timestamp-outside-trust-root-tsa-validity_fail");
        CHECK(stamps.verified.empty());
        REQUIRE(stamps.failures.size() == 1);
        CHECK(stamps.failures[0].find("is outside the authority's validFor") != std::string::npos);
    }

    TEST_CASE("the same token twice is refused, never counted twice") {
        const std::string dir = "sigstore-conformance/bundle-verify/rekor2-timestamp-without-embedded-cert/";
        auto bundle = parse_sigstore_bundle(read_vector(dir + "bundle.sigstore.json"), "b");
        REQUIRE(bundle.has_value());
        bundle->rfc3161_signed_timestamps.push_back(bundle->rfc3161_signed_timestamps[0]);
        auto stamps = verify_bundle_timestamps(*bundle, {}, "b");
        REQUIRE(!stamps.has_value());
        CHECK(stamps.error().message == "b: rfc3161Timestamps[0] and [1] are the same timestamp");
    }
}
