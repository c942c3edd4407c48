// The verified signing times of a keyless Sigstore bundle: Rekor SETs and RFC 3161 timestamps
// (FORMATS.md B.4 step 3), and the certificate judged at each (step 4, the "hybrid model").
#include "signatures/check_times.hpp"

#include "edgeverify/timestamp.hpp"

namespace edgeverify::signatures_detail {

std::optional<std::string> keyless_signing_times(const SigstoreBundle& bundle, const TrustStore& store,
                                                 const std::string& origin, std::string& note,
                                                 std::vector<SigningTime>& times) {
    const auto add_note = [&](const std::string& text) { note += (note.empty() ? "" : "; ") + text; };
    for (const BundleTlogEntry& tlog : bundle.tlog_entries) {
        if (!tlog.has_inclusion_promise) continue;
        for (const RekorKey& key : store.rekor_keys) {
            if (key.log_id != tlog.entry.log_id) continue;
            times.push_back({tlog.entry.integrated_time, "the Rekor SET of " + key.origin});
            break;
        }
    }
    auto stamps = verify_bundle_timestamps(bundle, store.timestamp_authorities, origin);
    if (!stamps) return describe(stamps.error());
    for (const VerifiedTimestamp& stamp : stamps->verified) {
        times.push_back(
            {stamp.time, "the RFC 3161 timestamp of " + stamp.authority + " (" + stamp.tsa_subject + ")"});
    }
    for (const std::string& failure : stamps->failures) add_note(failure);
    if (!times.empty()) return std::nullopt;
    return "a keyless (Fulcio certificate) signature needs a verified signing time, and neither a Rekor SET "
           "nor "
           "an RFC 3161 timestamp verified" +
           (note.empty() ? std::string() : " (" + note + ")");
}

std::optional<std::string> keyless_refusal_at_times(const Certificate& leaf,
                                                    const std::vector<SigningTime>& times, const Scope& scope,
                                                    const TrustStore& store, SignatureCheck& check) {
    // Latest first, so the reason keyless_leaf_refusal leaves names the first time (a SET's).
    for (auto at = times.rbegin(); at != times.rend(); ++at) {
        if (auto refusal = keyless_leaf_refusal(leaf, at->time, scope, store, check)) {
            // keyless_leaf_refusal speaks of "the integrated time": right for a SET, named otherwise.
            if (at->source.starts_with("the Rekor SET")) return refusal;
            return "at " + std::to_string(at->time) + " (" + at->source + "): " + *refusal;
        }
    }
    return std::nullopt;
}

std::string describe_signing_times(const std::vector<SigningTime>& times) {
    std::string out;
    for (const SigningTime& at : times)
        out += (out.empty() ? "" : ", ") + at.source + " at " + std::to_string(at.time);
    return out;
}

}  // namespace edgeverify::signatures_detail
