// Device identity and signed reports (DESIGN.md "Reports"): in-toto statements with the SLSA
// Verification Summary predicate, DSSE envelopes signed with the device key, and the outbox that
// keeps every report durable until the server acknowledges it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/state.hpp"

namespace edgeverify {

inline constexpr std::string_view kVerificationSummaryPredicate = "https://slsa.dev/verification_summary/v1";
inline constexpr std::string_view kDeviceReportPredicate = "https://edgeverify.dev/device-report/v1";
inline constexpr std::string_view kCheckDetailExtension = "https://edgeverify.dev/checks/v1";

struct DeviceIdentity {
    PrivateKey key;
    std::string public_key_pem;
    std::string fingerprint;  // "sha256:<hex of SPKI DER>"
    std::string device_id;    // "ev-" + first 20 hex digits of the fingerprint
};

// Creates state.device_key() (ECDSA P-256, PKCS#8 PEM, mode 0600, written durably) when absent;
// never overwrites. load_device_identity: absent -> not_found ("run edgeverify device init");
// a key file with group/other permissions -> permission_denied.
Expected<DeviceIdentity> init_device_identity(const StateDirectory& state);
Expected<DeviceIdentity> load_device_identity(const StateDirectory& state);

// What one verification decided, for its report.
struct VerificationRecord {
    std::string reference;             // normalized
    Digest manifest_digest;
    std::optional<Digest> index_digest;
    bool admitted = false;             // installed/allowed (audit mode admits failures too)
    bool passed = false;               // every check passed
    std::string trust_store_digest;
    std::string policy_uri;            // "file:///etc/edgeverify/trust/policy.json"
    std::string time_verified;         // RFC 3339 UTC
    Json checks = Json::object();      // per-check detail (integrity, signatures, rules)
};

// in-toto Statement v1: subject [{name: reference, digest: {sha256: manifest hex}}], predicateType
// kVerificationSummaryPredicate, predicate {verifier{id, version}, timeVerified, resourceUri,
// policy{uri, digest{sha256}}, verificationResult PASSED|FAILED, verifiedLevels,
// kCheckDetailExtension: checks}, plus device id and sequence in the predicate.
std::string make_verification_statement(const DeviceIdentity& device, std::uint64_t sequence,
                                        const VerificationRecord& record);

// A DSSE envelope {"payloadType","payload"(b64),"signatures":[{"keyid","sig"(b64)}]} over PAE,
// keyid = the device fingerprint.
Expected<std::string> sign_dsse_envelope(const DeviceIdentity& device, std::string_view payload_type,
                                         std::string_view payload);

// Reports waiting for the server: outbox/<20-digit sequence>.json, each written durably. The
// per-device sequence is persisted in state.sequence_file() before the report that uses it.
class Outbox {
public:
    explicit Outbox(StateDirectory state) : state_(std::move(state)) {}
    // Reserves the next sequence number (durably: a crash never reuses one).
    Expected<std::uint64_t> next_sequence();
    Status enqueue(std::uint64_t sequence, std::string_view envelope);
    // Pending reports in sequence order. A file in the outbox that is not <digits>.json (a
    // leftover temporary file aside) is an error naming it, never silently skipped.
    struct Pending {
        std::uint64_t sequence;
        std::string path;
    };
    Expected<std::vector<Pending>> pending() const;
    Status acknowledge(std::uint64_t sequence);  // removes it durably

private:
    StateDirectory state_;
};

}  // namespace edgeverify
