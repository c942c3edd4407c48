// Private to src/core/signatures: the verified signing times of a keyless Sigstore bundle
// (FORMATS.md B.4 steps 3 and 4), and the Fulcio leaf judged at each of them (check_times.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edgeverify/sigstore_bundle.hpp"
#include "signatures/check_common.hpp"

namespace edgeverify::signatures_detail {

struct SigningTime {
    std::int64_t time = 0;  // Unix seconds
    std::string source;     // "the Rekor SET of <log>", "the RFC 3161 timestamp of <authority> (<TSA>)"
};

// Every verified time of a bundle whose tlog entries were already checked (a failing entry of a
// known log refuses the bundle before this): the integrated time of each entry with an inclusion
// promise (SET) from a log the store knows, and each RFC 3161 timestamp that
// verify_bundle_timestamps verifies against store.timestamp_authorities. Fills `times`; returns
// the refusal when none verified (naming `note`, the tlog notes, and why each timestamp failed) or
// when a timestamp is repeated. A timestamp that fails while another time verifies is added to
// `note` and gives no time (sigstore-go: a threshold of verified timestamps, default 1).
std::optional<std::string> keyless_signing_times(const SigstoreBundle& bundle, const TrustStore& store,
                                                 const std::string& origin, std::string& note,
                                                 std::vector<SigningTime>& times);

// The Fulcio leaf at every time (keyless_leaf_refusal: CA validFor, path, EKU, SCTs, identity):
// the first refusal (prefixed "at <t> (<source>): " for an RFC 3161 time, since the refusal itself
// speaks of the integrated time); on success check.reason is
// keyless_leaf_refusal's for the first time.
std::optional<std::string> keyless_refusal_at_times(const Certificate& leaf,
                                                    const std::vector<SigningTime>& times, const Scope& scope,
                                                    const TrustStore& store, SignatureCheck& check);

// "the Rekor SET of <log> at <t>, the RFC 3161 timestamp of <authority> (<TSA>) at <t>".
std::string describe_signing_times(const std::vector<SigningTime>& times);

}  // namespace edgeverify::signatures_detail
