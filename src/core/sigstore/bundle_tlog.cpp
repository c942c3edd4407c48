// The transparency-log entries and timestamp data of a Sigstore bundle's verificationMaterial
// (FORMATS.md B.2), parsed strictly as proto3 JSON. The SET and Merkle proof are decoded here;
// verifying them is the trust stage's job.
#include "sigstore/bundle_fields.hpp"

namespace edgeverify::sigstore_detail {
namespace {

// inclusionProof, decoded; verified by verify_inclusion (tlog_proof.hpp). v0.1 bundles predate
// checkpoints in proofs (sigstore-conformance's v0.1 bundles have none).
Expected<InclusionProof> parse_inclusion_proof(const Json& proof, const At& at, bool checkpoint_required) {
    InclusionProof out;
    auto index = int64_field(proof, "logIndex", at);
    if (!index) return index.take_error();
    out.log_index = *index;
    auto size = int64_field(proof, "treeSize", at);
    if (!size) return size.take_error();
    out.tree_size = *size;
    auto root = bytes_field(proof, "rootHash", at, true);
    if (!root) return root.take_error();
    out.root_hash = std::move(*root);
    auto hashes = array_field(proof, "hashes", at);
    if (!hashes) return hashes.take_error();
    if (*hashes != nullptr) {
        for (std::size_t i = 0; i < (*hashes)->size(); ++i) {
            const Json& hash = (**hashes)[i];
            const At here = at.field("hashes").item(i);
            if (!hash.is_string()) return violation(here, "expected a base64 string");
            auto raw = base64_decode(hash.get<std::string>(), "");
            if (!raw) return violation(here, "invalid base64");
            out.hashes.push_back(std::move(*raw));
        }
    }
    auto checkpoint = object_field(proof, "checkpoint", at, checkpoint_required, {"envelope"});
    if (!checkpoint) return checkpoint.take_error();
    if (*checkpoint == nullptr) return out;
    auto envelope = string_field(**checkpoint, "envelope", at.field("checkpoint"), true);
    if (!envelope) return envelope.take_error();
    out.checkpoint = std::move(*envelope);
    return out;
}

}  // namespace

Expected<BundleTlogEntry> parse_tlog_entry(const Json& entry, const At& at, int minor_version) {
    if (auto s = only_members(entry, at,
                              {"logIndex", "logId", "kindVersion", "integratedTime", "inclusionPromise",
                               "inclusionProof", "canonicalizedBody"});
        !s)
        return s.take_error();
    BundleTlogEntry out;
    auto log_index = int64_field(entry, "logIndex", at);
    if (!log_index) return log_index.take_error();
    out.entry.log_index = *log_index;
    auto integrated = int64_field(entry, "integratedTime", at);
    if (!integrated) return integrated.take_error();
    out.entry.integrated_time = *integrated;

    auto log_id = object_field(entry, "logId", at, true, {"keyId"});
    if (!log_id) return log_id.take_error();
    auto key_id = bytes_field(**log_id, "keyId", at.field("logId"), true);
    if (!key_id) return key_id.take_error();
    out.entry.log_id = std::move(*key_id);

    auto kind_version = object_field(entry, "kindVersion", at, true, {"kind", "version"});
    if (!kind_version) return kind_version.take_error();
    auto kind = string_field(**kind_version, "kind", at.field("kindVersion"), true);
    if (!kind) return kind.take_error();
    auto version = string_field(**kind_version, "version", at.field("kindVersion"), true);
    if (!version) return version.take_error();
    out.kind = std::move(*kind);
    out.version = std::move(*version);

    auto body = bytes_field(entry, "canonicalizedBody", at, true);
    if (!body) return body.take_error();
    out.entry.body = std::move(*body);

    auto promise = object_field(entry, "inclusionPromise", at, false, {"signedEntryTimestamp"});
    if (!promise) return promise.take_error();
    if (*promise != nullptr) {
        auto set = bytes_field(**promise, "signedEntryTimestamp", at.field("inclusionPromise"), true);
        if (!set) return set.take_error();
        out.entry.signed_entry_timestamp = std::move(*set);
        out.has_inclusion_promise = true;
    }
    auto proof = object_field(entry, "inclusionProof", at, false,
                              {"logIndex", "rootHash", "treeSize", "hashes", "checkpoint"});
    if (!proof) return proof.take_error();
    if (*proof != nullptr) {
        auto parsed = parse_inclusion_proof(**proof, at.field("inclusionProof"), minor_version >= 2);
        if (!parsed) return parsed.take_error();
        out.inclusion_proof = std::move(*parsed);
        out.has_inclusion_proof = true;
    }
    return out;
}

Expected<std::size_t> count_rfc3161_timestamps(const Json& data, const At& at) {
    if (auto s = only_members(data, at, {"rfc3161Timestamps"}); !s) return s.take_error();
    auto list = array_field(data, "rfc3161Timestamps", at);
    if (!list) return list.take_error();
    if (*list == nullptr) return std::size_t{0};
    for (std::size_t i = 0; i < (*list)->size(); ++i) {
        const At here = at.field("rfc3161Timestamps").item(i);
        const Json& timestamp = (**list)[i];
        if (auto s = only_members(timestamp, here, {"signedTimestamp"}); !s) return s.take_error();
        if (auto der = bytes_field(timestamp, "signedTimestamp", here, true); !der) return der.take_error();
    }
    return (*list)->size();
}

}  // namespace edgeverify::sigstore_detail
