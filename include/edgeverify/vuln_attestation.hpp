// Signed vulnerability attestations (docs/rules.md "vulnerabilityAttestation", issue 7 item 7a):
// in-toto statements of predicate type https://cosign.sigstore.dev/attestation/vuln/v1 in DSSE
// envelopes, found beside the image (cosign `.att` manifests, Sigstore bundle referrers), and the
// subset of the predicate the rule judges.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/source.hpp"
#include "edgeverify/vulnerability_feed.hpp"

namespace edgeverify {

namespace attestation {
inline constexpr std::string_view kDsseEnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";
inline constexpr std::string_view kVulnPredicateType = "https://cosign.sigstore.dev/attestation/vuln/v1";
inline constexpr std::string_view kSaveKindAttestations = "dev.cosignproject.cosign/atts";
}  // namespace attestation

// One attestation as found, before any verification.
struct AttestationCandidate {
    enum class Form { dsse_envelope, sigstore_bundle };
    Form form = Form::dsse_envelope;
    std::string origin;    // "sha256-<hex>.att layer 1/2", "referrer sha256:<hex>"
    std::string document;  // the envelope JSON (.att layer) or the bundle JSON (referrer)
    std::map<std::string, std::string> annotations;  // the layer's (a certificate means keyless)
};

// cosign's `.att` attestations of `subject` in an OCI layout or archive: image manifests tagged
// `sha256-<hex>.att` (or marked kind=dev.cosignproject.cosign/atts by cosign save), one DSSE
// envelope per layer of media type application/vnd.dsse.envelope.v1+json. Manifests and layers
// are checked for size and digest first. More than limits::kMaxAttestationsPerImage layers ->
// Errc::limit_exceeded.
Expected<std::vector<AttestationCandidate>> find_cosign_attestations(BlobSource& source,
                                                                     const Digest& subject);

// One finding of a scan: the vulnerability, its severity (nullopt: the scanner said UNKNOWN), the
// package and versions as the scanner names them.
struct VulnerabilityFinding {
    std::string id;
    std::optional<Severity> severity;
    std::string package;
    std::string installed_version;
    std::string fixed_version;  // "" when the scanner lists none
};

// The predicate subset the rule judges. The scan result accepted is a Trivy JSON report
// (`trivy --format cosign-vuln`): Results[].Vulnerabilities[] with VulnerabilityID, PkgName,
// Severity, InstalledVersion, FixedVersion; other members are ignored.
struct VulnerabilityScan {
    std::vector<Digest> subjects;  // sha256 subjects of the statement
    std::string scanner_uri, scanner_version, db_version;
    std::string scan_finished;  // metadata.scanFinishedOn as written
    std::int64_t scan_finished_seconds = 0;
    std::vector<VulnerabilityFinding> findings;
};

// The predicate type of an in-toto statement, read without judging it (to pick the attestations
// that are about vulnerabilities before verifying them); nullopt when it does not say.
std::optional<std::string> intoto_predicate_type(std::string_view statement);

// Parses an in-toto statement (v0.1 or v1) of predicate type kVulnPredicateType. Errors
// (Errc::schema_violation naming `where` and the JSON path): another predicate type, no
// scanner.result, a result that is not a Trivy report, a missing or zero (0001-01-01, Go's zero
// time) or non-RFC 3339 metadata.scanFinishedOn, a severity other than CRITICAL HIGH MEDIUM LOW
// UNKNOWN, more than limits::kMaxAttestationFindings findings.
Expected<VulnerabilityScan> parse_vulnerability_statement(std::string_view statement, std::string_view where);

}  // namespace edgeverify
