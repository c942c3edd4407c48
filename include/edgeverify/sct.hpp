// Certificate Transparency for keyless Sigstore certificates (FORMATS.md B.4 step 5, RFC 6962
// 3.2): the SCTs a Fulcio leaf embeds, checked against the CT log keys of trusted_root.json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {

// A CT log key has the shape of a transparency-log key (TransparencyLogInstance): key, log id
// (raw sha256 of the SPKI DER), inclusive validFor window in unix seconds.
using CtLogKey = RekorKey;

// The `ctlogs` of a trusted_root.json, origin "<where> ctlogs[i]", read by the tlogs parser
// (same rules: validFor.start required, the key must parse, Errc::config naming the JSON path);
// logId is optional here (absent: sha256 of the SPKI DER) and when given must be that hash.
// An absent or null list is empty.
Expected<std::vector<CtLogKey>> parse_trusted_root_ctlogs(std::string_view json, std::string_view where);

inline constexpr std::string_view kSctListOid = "1.3.6.1.4.1.11129.2.4.2";

// One SignedCertificateTimestamp (RFC 6962 3.2) as the TLS encoding carries it.
struct SignedCertificateTimestamp {
    std::uint8_t version = 0;              // 0 = v1, the only version accepted
    std::string log_id;                    // 32 raw bytes
    std::uint64_t timestamp_ms = 0;        // milliseconds since the epoch
    std::string extensions;                // CtExtensions, opaque
    std::uint8_t hash_algorithm = 0;       // TLS HashAlgorithm (4 = sha256)
    std::uint8_t signature_algorithm = 0;  // TLS SignatureAlgorithm (1 = rsa, 3 = ecdsa)
    std::string signature;
};

// The SCT list of extension 1.3.6.1.4.1.11129.2.4.2 (its extnValue: an OCTET STRING wrapping
// the TLS SignedCertificateTimestampList). Every length is checked against what remains; an empty
// list, an unknown version, a short log id or trailing bytes -> Errc::key_malformed naming
// `where`; more than limits::kMaxEmbeddedScts -> Errc::limit_exceeded naming the limit.
Expected<std::vector<SignedCertificateTimestamp>> parse_sct_list(std::string_view extension_value,
                                                                 std::string_view where);

// The precertificate TBSCertificate the log signed: `leaf`'s TBS with the SCT list extension
// removed (the [3] Extensions wrapper dropped when it was the only one), lengths re-encoded.
// A TBS that is not DER -> Errc::key_malformed naming `where`.
Expected<std::string> precert_tbs_certificate(const Certificate& leaf, std::string_view where);

// The bytes an embedded SCT signs (RFC 6962 3.2 digitally-signed struct, precert_entry).
std::string sct_signed_data(const SignedCertificateTimestamp& sct, std::string_view issuer_key_hash,
                            std::string_view precert_tbs);

// Verifies the embedded SCTs of `leaf`, issued by `issuer` (the certificate above it in the
// verified chain, whose SPKI hash the log signed). At least one SCT must verify with a CT log key
// whose log id matches and whose validFor contains the SCT's timestamp. Returns that key.
// Errors: Errc::untrusted "the trust store has no CT log key (sigstore/trusted_root.json ctlogs)",
// "the signing certificate has no embedded SCT", "no SCT verifies with a trusted CT log key
// (SCT 0: ...; SCT 1: ...)"; the errors of parse_sct_list and precert_tbs_certificate.
Expected<const CtLogKey*> verify_embedded_scts(const Certificate& leaf, const Certificate& issuer,
                                               const std::vector<CtLogKey>& ct_logs, std::string_view where);

}  // namespace edgeverify
