// What `edgeverify install` leaves behind about its decision: verdicts for admitted digests and a
// signed verification report in the outbox, for installs and rejections alike.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edgeverify/integrity.hpp"
#include "edgeverify/state.hpp"
#include "edgeverify/trust_decision.hpp"
#include "edgeverify/trust_policy.hpp"

namespace edgeverify::cli {

struct InstallOutcome {
    const IntegrityReport* report = nullptr;           // null when verification never ran
    const std::vector<TrustDecision>* decisions = nullptr;  // null when trust was not judged
    std::string fallback_reference;                    // for a rejection with no decision
    std::vector<std::string> containerd_names;         // per image, when installed
    bool installed = false;
    std::optional<Error> refusal;                      // why it was refused, when it was
    std::optional<Error> undone;                       // why an import was undone after its report
    std::string verified_at;                           // RFC 3339
};

// write_verdict for each installed image: its index digest (role "index") and its manifest
// digest (role "manifest"). Only called after containerd confirmed the import.
Status record_verdicts(const StateDirectory& state, const TrustStore& store, const InstallOutcome& outcome);

// One signed verification report per image (one for the whole source when no image was read),
// enqueued in the outbox: init_device_identity, Outbox::next_sequence,
// make_verification_statement, sign_dsse_envelope, enqueue. Returns the sequence numbers used.
Expected<std::vector<std::uint64_t>> enqueue_reports(const StateDirectory& state, const TrustStore& store,
                                                     const InstallOutcome& outcome);

}  // namespace edgeverify::cli
