// Named caps on the lists of a Sigstore bundle (limits::kMaxBundleListEntries).
#include <doctest/doctest.h>

#include "bundle_test_support.hpp"
#include "edgeverify/limits.hpp"

using edgeverify::Errc;
using edgeverify::Json;
using namespace sigstore_test;

namespace {
constexpr std::size_t kAtCap = edgeverify::limits::kMaxBundleListEntries;
}

TEST_CASE("bundle limits: tlog entries beyond kMaxBundleListEntries are refused as limit-exceeded") {
    check_error(parse_mutated([](Json& b) {
                    const Json one = entry(b);
                    Json list = Json::array();
                    for (std::size_t i = 0; i <= kAtCap; ++i) list.push_back(one);
                    material(b)["tlogEntries"] = list;
                }),
                Errc::limit_exceeded, "verificationMaterial.tlogEntries: 65 entries, more than 64");
}

TEST_CASE("bundle limits: inclusion-proof hashes and timestamps are capped too, the cap itself is fine") {
    check_error(parse_mutated([](Json& b) {
                    entry(b)["inclusionProof"]["hashes"] = Json::array();
                    for (std::size_t i = 0; i <= kAtCap; ++i) entry(b)["inclusionProof"]["hashes"].push_back(kB64);
                }),
                Errc::limit_exceeded, "hashes: 65 entries");
    check_error(parse_mutated([](Json& b) {
                    Json& list = material(b)["timestampVerificationData"]["rfc3161Timestamps"];
                    const Json one = list[0];
                    for (std::size_t i = 0; i < kAtCap; ++i) list.push_back(one);
                }),
                Errc::limit_exceeded, "rfc3161Timestamps: 65 entries");
    auto at_cap = parse_mutated([](Json& b) {
        entry(b)["inclusionProof"]["hashes"] = Json::array();
        for (std::size_t i = 0; i < kAtCap; ++i) entry(b)["inclusionProof"]["hashes"].push_back(kB64);
    });
    CHECK(at_cap.has_value());
}
