// Every bound the verifier enforces, named in one place (documented in docs/limits.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace edgeverify::limits {

// Largest JSON document (index, manifest, config, manifest.json) parsed or kept in memory.
inline constexpr std::size_t kMaxJsonDocumentBytes = 4 * 1024 * 1024;
// Deepest nesting of arrays and objects in a JSON document.
inline constexpr int kMaxJsonDepth = 64;
// Total bytes of small documents an archive pass keeps in memory while it streams.
inline constexpr std::size_t kMaxKeptDocumentBytes = 16 * 1024 * 1024;
// Entries in an outer archive (oci-archive, docker-archive).
inline constexpr std::size_t kMaxArchiveEntries = 100000;
// Default ceiling on one layer's decompressed size (gzip/zstd bomb guard); --max-layer-size overrides.
inline constexpr std::uint64_t kDefaultMaxLayerUncompressedBytes = 16ULL * 1024 * 1024 * 1024;
// Nesting of image indexes (index -> index -> ...).
inline constexpr int kMaxIndexDepth = 8;
// Descriptors in one manifest or index.
inline constexpr std::size_t kMaxDescriptorsPerDocument = 4096;
// Images (manifests) verified from one source.
inline constexpr std::size_t kMaxImagesPerSource = 1024;
// Findings recorded per layer (facts beyond this are counted, not listed).
inline constexpr std::size_t kMaxFindingsPerLayer = 256;
// Bytes compared when applying recorded whiteouts to findings (findings x deleted path bytes);
// past it no whiteout is applied and every finding stands (docs/rules.md "leastPrivilege").
inline constexpr std::uint64_t kMaxWhiteoutMatchBytes = 64ULL * 1024 * 1024;
// Entries in one layer tar.
inline constexpr std::uint64_t kMaxLayerEntries = 1000000;
// Length of a path or link target inside a layer tar (PAX / GNU long names).
inline constexpr std::size_t kMaxLayerPathBytes = 64 * 1024;
// Size of one PAX extended header record block.
inline constexpr std::size_t kMaxPaxHeaderBytes = 1024 * 1024;

// Signature layers read for one image (cosign caps its .sig manifests at 1000 layers too).
inline constexpr std::size_t kMaxSignaturesPerImage = 1000;
// One CRL file of the trust directory's crl/ (the bound the CRL loader applies too).
inline constexpr std::size_t kMaxTrustCrlFileBytes = 4 * 1024 * 1024;

// Entries of any one list in a Sigstore bundle: certificates, tlog entries, RFC 3161 timestamps,
// inclusion-proof hashes (a Merkle path is at most 64 hashes for a tree of 2^64 leaves).
inline constexpr std::size_t kMaxBundleListEntries = 64;
// RFC 3161 timestamp tokens (src/core/crypto/timestamp_*.cpp): one token or TimeStampResp (a
// token with a 3-certificate RSA chain is about 7 KiB), the certificates it embeds (also the
// ESSCertIDs it lists), its signed attributes, and the TSA path length built to a trust anchor.
inline constexpr std::size_t kMaxTimestampTokenBytes = 64 * 1024;
inline constexpr std::size_t kMaxTimestampCertificates = 16;
inline constexpr std::size_t kMaxTimestampAttributes = 32;
inline constexpr std::size_t kMaxTimestampChainDepth = 8;

// Largest public key file read from a trust store (an RSA-8192 PEM is under 2 KiB).
inline constexpr std::size_t kMaxTrustKeyFileBytes = 64 * 1024;
// Most keys/*.pub (and, separately, rekor/*.pub) files a trust store may hold.
inline constexpr std::size_t kMaxTrustKeyFiles = 1024;
// Largest sigstore/trusted_root.json read from a trust store (the production root is ~7 KiB).
inline constexpr std::size_t kMaxTrustedRootBytes = 1024 * 1024;

// The device key file (a P-256 PKCS#8 PEM is ~250 bytes).
inline constexpr std::size_t kMaxDeviceKeyBytes = 16 * 1024;
// The persisted report sequence counter ("<decimal>\n").
inline constexpr std::size_t kMaxSequenceFileBytes = 64;
// One signed report (DSSE envelope) in the outbox.
inline constexpr std::size_t kMaxReportBytes = 4 * 1024 * 1024;
// Quota: reports waiting in outbox/ for the server (docs/reports.md says what happens at it).
inline constexpr std::size_t kMaxOutboxReports = 10000;
// Signatures read from one DSSE envelope.
inline constexpr std::size_t kMaxDsseSignatures = 16;

// Links followed to resolve one path inside an archive (skopeo's docker-archive aliases); more
// means a loop.
inline constexpr int kMaxLinkHops = 8;

// Image rules and inspect (docs/rules.md).
// Content kept of one captured file (dpkg status, apk installed database, os-release).
inline constexpr std::size_t kMaxCapturedFileBytes = 4 * 1024 * 1024;
// Captured file content kept over one whole pass (every layer of every image).
inline constexpr std::uint64_t kMaxCapturedBytesPerPass = 16 * 1024 * 1024;
// Packages listed in one image's inventory (more are counted, not listed).
inline constexpr std::size_t kMaxPackagesPerImage = 20000;
// Entries of one list in a scope's "rules" (digests, names, registries, forbidden paths).
inline constexpr std::size_t kMaxRuleListEntries = 1024;
// The trust store's vulnerability feed (vulnerabilities/feed.json), its detached signature, its
// entries, the packages and the ranges/versions of one entry, and one version or name in it.
inline constexpr std::size_t kMaxVulnerabilityFeedBytes = 8 * 1024 * 1024;
inline constexpr std::size_t kMaxVulnerabilityFeedSignatureBytes = 16 * 1024;
inline constexpr std::size_t kMaxFeedVulnerabilities = 50000;
inline constexpr std::size_t kMaxFeedAffectedPerEntry = 256;
inline constexpr std::size_t kMaxFeedVersionsPerAffected = 4096;
inline constexpr std::size_t kMaxFeedStringBytes = 256;
// Vulnerability attestations (docs/rules.md "vulnerabilityAttestation"): DSSE envelopes read for
// one image (cosign .att layers plus DSSE bundle referrers of the vuln predicate type), and
// findings read from one scan result. Each envelope is also bounded by kMaxJsonDocumentBytes.
inline constexpr std::size_t kMaxAttestationsPerImage = 100;
inline constexpr std::size_t kMaxAttestationFindings = 50000;
// state_dir/floors.json (anti-rollback floors) and its repositories.
inline constexpr std::size_t kMaxFloorsFileBytes = 1024 * 1024;
inline constexpr std::size_t kMaxFloorRepositories = 10000;
// state_dir/time_floor ("<RFC 3339>\n").
inline constexpr std::size_t kMaxTimeFloorFileBytes = 64;
// state_dir/floor_audit.jsonl: operator lowerings of rollback floors, kept until archived.
inline constexpr std::size_t kMaxFloorAuditFileBytes = 1024 * 1024;

// The uploader (src/agent/uploader.cpp, docs/reports.md "Upload protocol"): the body of the
// server's answer to one upload request (1000 results of a few hundred bytes fit easily).
inline constexpr std::size_t kMaxUploadResponseBytes = 1024 * 1024;
// A code or message taken from a server's per-report answer (longer text is cut) for the log and
// outbox/refused/<sequence>.reason.json.
inline constexpr std::size_t kMaxServerTextBytes = 1024;
// One outbox/refused/<sequence>.reason.json read back by list_refused_reports.
inline constexpr std::size_t kMaxRefusedReasonFileBytes = 16 * 1024;

// src/net (docs/net.md): one HTTP/1.1 message. Request line (or status line) plus header fields.
inline constexpr std::size_t kHttpMaxHeaderBytes = 16 * 1024;
// Header fields in one HTTP message.
inline constexpr std::size_t kHttpMaxHeaders = 64;
// Body of one HTTP message (a report batch; the server answers 413 above it, before reading it).
inline constexpr std::size_t kHttpMaxBodyBytes = 4 * 1024 * 1024;
// HttpServer: connections open at once; more are accepted and closed at once.
inline constexpr std::size_t kHttpServerMaxConnections = 256;
// HttpServer: a connection must deliver a request's headers (TLS handshake included, and the
// idle time between keep-alive requests) within this.
inline constexpr std::uint32_t kHttpServerHeaderTimeoutMs = 10000;
// HttpServer: once the headers are in, the body must arrive within this.
inline constexpr std::uint32_t kHttpServerBodyTimeoutMs = 30000;

// The agent daemon (src/agent, docs/agent.md). Names listed in one inbox scan; more is an error
// logged each scan (nothing is installed from a flooded inbox until it shrinks).
inline constexpr std::size_t kMaxInboxEntries = 1024;
// Files walked to fingerprint one layout directory in the inbox; a larger tree needs its .ready
// marker (it is never taken as complete by the stability rule).
inline constexpr std::uint64_t kMaxInboxFingerprintFiles = 100000;
// stdout and stderr each kept from one `edgeverify install` child (its --json answer).
inline constexpr std::size_t kMaxInstallOutputBytes = 1024 * 1024;
// Files walked to size one quarantine entry; a larger entry counts as over quarantine.maxBytes.
inline constexpr std::uint64_t kMaxQuarantineWalkFiles = 100000;

// The fleet server's storage (src/server/storage.hpp, docs/server-storage.md).
// A device id, as the device names itself ("ev-" + 20 hex digits today).
inline constexpr std::size_t kMaxDeviceIdBytes = 128;
// A device public key PEM handed in at enrollment (a P-256 SPKI PEM is ~180 bytes).
inline constexpr std::size_t kMaxPublicKeyPemBytes = 16 * 1024;
// Labels of one device, and the length of a label's name and value.
inline constexpr std::size_t kMaxDeviceLabels = 64;
inline constexpr std::size_t kMaxLabelNameBytes = 128;
inline constexpr std::size_t kMaxLabelValueBytes = 1024;
// A bootstrap token (only its SHA-256 is stored); shorter than the minimum is too guessable.
inline constexpr std::size_t kMinBootstrapTokenBytes = 16;
inline constexpr std::size_t kMaxBootstrapTokenBytes = 512;
// A reference, subject name or predicate type extracted from a report.
inline constexpr std::size_t kMaxReportReferenceBytes = 4096;
// A digest or fingerprint extracted from a report ("sha512:" + 128 hex digits is 135).
inline constexpr std::size_t kMaxReportDigestBytes = 256;
// An alarm's kind or message in a device report.
inline constexpr std::size_t kMaxAlarmTextBytes = 4096;
// The reason kept for a failed or not-admitted verification report (longer ones are cut at a
// UTF-8 boundary, never refused: the report itself is valid).
inline constexpr std::size_t kMaxReportReasonBytes = 1024;
// Images and alarms stored from one device report.
inline constexpr std::size_t kMaxReportImages = 4096;
inline constexpr std::size_t kMaxReportAlarms = 1024;
// Reports stored in one transaction (the upload protocol's batch bound).
inline constexpr std::size_t kMaxStoreBatchReports = 1000;
// Reports in one page of a report query.
inline constexpr std::size_t kMaxReportsPageSize = 500;
// Items in one page of the operator API (?limit=1..200; storage allows up to kMaxReportsPageSize).
inline constexpr std::size_t kMaxApiPageSize = 200;
// How long an SQLite writer waits for the write lock before the store fails with io-error.
inline constexpr int kSqliteBusyTimeoutMs = 5000;
// Embedded SCTs read from one certificate's SCT list (RFC 6962 3.3; Fulcio embeds one per CT log,
// real certificates carry 1 to 5).
inline constexpr std::size_t kMaxEmbeddedScts = 16;

}  // namespace edgeverify::limits
