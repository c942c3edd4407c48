// Fuzz target: DSSE envelopes as the fleet server receives device reports (report.hpp
// verify_dsse_envelope), checked with a fixed test key so that the seeds signed with
// seed_key.pem (make_seeds.sh) reach the signature check and the payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "edgeverify/report.hpp"
#include "edgeverify/sigstore_bundle.hpp"

namespace {

// The public half of tests/fuzz/seed_key.pem, a test-only key.
constexpr std::string_view kSeedPublicKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEyRU8Q5ukkcyRPYnqkQVyqYk50fUb\n"
    "DP0M2N+B+Xhh9+AKqroBYswkhE+Y8sPP+FKRno6uphWhHBB4sd/ZbwrSFQ==\n"
    "-----END PUBLIC KEY-----\n";

const edgeverify::PublicKey& seed_key() {
    static const edgeverify::PublicKey key = [] {
        auto parsed = edgeverify::parse_public_key_pem(kSeedPublicKey, "seed key");
        if (!parsed) std::abort();
        return std::move(*parsed);
    }();
    return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    if (auto payload = edgeverify::verify_dsse_envelope(seed_key(), json)) {
        (void)edgeverify::intoto_subject_digests(*payload, "fuzz envelope payload");
    }
    return 0;
}
