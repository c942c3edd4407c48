// Device identity and signed reports (DESIGN.md "Reports"): in-toto statements with the SLSA
// Verification Summary predicate, DSSE envelopes signed with the device key, and the outbox that
// keeps every report durable until the server acknowledges it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/clock.hpp"
#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/state.hpp"

namespace edgeverify {

inline constexpr std::string_view kVerificationSummaryPredicate = "https://slsa.dev/verification_summary/v1";
inline constexpr std::string_view kDeviceReportPredicate = "https://edgeverify.dev/device-report/v1";
inline constexpr std::string_view kCheckDetailExtension = "https://edgeverify.dev/checks/v1";
// Where a report names its device and sequence number (and, in a verification summary, what the
// device did with the image): a URI-named member of the predicate.
inline constexpr std::string_view kReportContextExtension = "https://edgeverify.dev/report-context/v1";
inline constexpr std::string_view kInTotoStatementType = "https://in-toto.io/Statement/v1";
// The in-toto payload type of DSSE envelopes (the same constant Sigstore bundles use).
inline constexpr std::string_view kInTotoPayloadType = sigstore::kInTotoPayloadType;
// The verifier id is this prefix plus the device id: the device that signs is the verifier.
inline constexpr std::string_view kVerifierIdPrefix = "https://edgeverify.dev/verifier/device/";

// Named limits (kMaxDeviceKeyBytes, kMaxSequenceFileBytes, kMaxReportBytes, kMaxOutboxReports,
// kMaxDsseSignatures) live in limits.hpp with the others.
using limits::kMaxDeviceKeyBytes;
using limits::kMaxDsseSignatures;
using limits::kMaxOutboxReports;
using limits::kMaxReportBytes;
using limits::kMaxSequenceFileBytes;

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
    std::string reference;  // normalized
    Digest manifest_digest;
    std::optional<Digest> index_digest;
    bool admitted = false;  // installed/allowed (audit mode admits failures too)
    bool passed = false;    // every check passed
    std::string trust_store_digest;
    std::string policy_uri;        // "file:///etc/edgeverify/trust/policy.json"
    std::string time_verified;     // RFC 3339 UTC
    Json checks = Json::object();  // per-check detail (integrity, signatures, rules)
    // Optional: attestations the decision used (VSA inputAttestations), e.g. a signature manifest.
    struct InputAttestation {
        std::string uri;
        Digest digest;
    };
    std::vector<InputAttestation> input_attestations;
};

// in-toto Statement v1: subject [{name: reference, digest: {sha256: manifest hex}}], predicateType
// kVerificationSummaryPredicate, predicate {verifier{id, version}, timeVerified, resourceUri,
// policy{uri, digest{sha256}}, verificationResult PASSED|FAILED, verifiedLevels,
// kCheckDetailExtension: checks}, plus device id and sequence in the predicate
// (kReportContextExtension: {deviceId, sequence, admitted, trustStoreDigest, indexDigest?}).
// verifiedLevels: ["SLSA_BUILD_LEVEL_0"] when passed (edgeverify checks signatures and integrity,
// not build provenance, so it claims no build level), ["FAILED"] otherwise. docs/reports.md.
std::string make_verification_statement(const DeviceIdentity& device, std::uint64_t sequence,
                                        const VerificationRecord& record);

// The periodic device report (predicate kDeviceReportPredicate).
struct DeviceReport {
    struct Image {
        std::string reference;           // as containerd names it
        Digest digest;                   // the manifest or index digest containerd holds
        std::string verdict;             // "admitted", "unverified" (trust store changed), "not-admitted"
        std::string verified_at;         // RFC 3339 UTC of the verdict; empty when none
        std::string trust_store_digest;  // of the verdict; empty when none
    };
    struct Alarm {
        std::string kind;  // e.g. "image-not-admitted", "report-refused"
        std::string message;
        std::optional<Digest> digest;  // the image concerned, when there is one
    };
    std::string agent_version;       // EDGEVERIFY_VERSION
    std::string trust_store_digest;  // current "sha256:<hex>"
    std::vector<Image> images;
    std::vector<Alarm> alarms;
    std::string boot_id;  // read_boot_id()
    std::string time;     // RFC 3339 UTC
};

// in-toto Statement v1: subject [{name: device id, digest: {sha256: fingerprint hex}}],
// predicateType kDeviceReportPredicate, predicate {deviceId, sequence, agentVersion,
// trustStoreDigest, bootId, time, images[{reference, digest, verdict, verifiedAt?,
// trustStoreDigest?}], alarms[{kind, message, digest?}]}.
std::string make_device_report_statement(const DeviceIdentity& device, std::uint64_t sequence,
                                         const DeviceReport& report);

// What `device show --json` offers for enrollment: proof that the holder of the device key
// asked, an in-toto Statement v1 with subject [{name: device id, digest: {sha256: fingerprint
// hex}}], predicateType kDeviceEnrollmentPredicate, predicate {deviceId, fingerprint, publicKey
// (PEM), time}. Signed with sign_dsse_envelope it verifies with the public key it carries.
inline constexpr std::string_view kDeviceEnrollmentPredicate = "https://edgeverify.dev/device-enrollment/v1";
std::string make_enrollment_statement(const DeviceIdentity& device, std::string_view time);

// /proc/sys/kernel/random/boot_id (a UUID, trailing newline removed); io_error when unreadable.
Expected<std::string> read_boot_id();

// A DSSE envelope {"payloadType","payload"(b64),"signatures":[{"keyid","sig"(b64)}]} over PAE,
// keyid = the device fingerprint.
Expected<std::string> sign_dsse_envelope(const DeviceIdentity& device, std::string_view payload_type,
                                         std::string_view payload);

// Verifies an envelope and returns its payload (decoded). Strict: a JSON object with exactly
// payloadType (must equal `payload_type`), payload (strict base64) and signatures (1 to
// kMaxDsseSignatures objects with "sig" and optionally "keyid", nothing else) ->
// schema_violation otherwise (json_* for bad JSON, key_malformed never). At least one signature
// must verify over dsse_pae(payloadType, payload) with `key`, else signature_invalid. keyids
// are hints only and never decide.
Expected<std::string> verify_dsse_envelope(const PublicKey& key, std::string_view envelope_json,
                                           std::string_view payload_type = kInTotoPayloadType);

// Reports waiting for the server: outbox/<20-digit sequence>.json, each written durably. The
// per-device sequence is persisted in state.sequence_file() before the report that uses it.
// Sequences are unique and increasing, not gapless (a crash between next_sequence and enqueue,
// or a refused enqueue, leaves a gap). Processes sharing a state directory are serialized with
// flock(2) on the state root (sequence) and the outbox directory (writes, cleanup).
// Rule for a full disk or a full outbox (docs/reports.md): enqueue fails (io_error with no
// partial file left / limit_exceeded at kMaxOutboxReports) and the caller must not go on as if
// the report existed: an install whose report cannot be queued is not admitted.
class Outbox {
public:
    explicit Outbox(StateDirectory state) : state_(std::move(state)) {}
    // Reserves the next sequence number (durably: a crash never reuses one).
    // A sequence file that is not "<decimal>\n" is an error (schema_violation naming it), never a
    // reset. The next number is above both the stored one and any report still queued.
    Expected<std::uint64_t> next_sequence();
    // Writes outbox/<sequence>.json durably. A sequence already queued -> usage error (never
    // overwritten); an envelope over kMaxReportBytes or an outbox holding kMaxOutboxReports ->
    // limit_exceeded; a full disk -> io_error, nothing left behind.
    Status enqueue(std::uint64_t sequence, std::string_view envelope);
    // Pending reports in sequence order. A file in the outbox that is not <digits>.json (a
    // leftover temporary file aside, which is removed) is an error naming it, never silently
    // skipped. Subdirectories (the uploader's refused/) are not reports and are skipped.
    struct Pending {
        std::uint64_t sequence;
        std::string path;
    };
    Expected<std::vector<Pending>> pending() const;
    Expected<std::string> read(std::uint64_t sequence) const;  // the envelope; not_found if absent
    Status acknowledge(std::uint64_t sequence);                // removes it durably
    std::string path_for(std::uint64_t sequence) const;        // outbox/<20-digit sequence>.json

private:
    StateDirectory state_;
};

}  // namespace edgeverify
