// Admitted digests on the device (verdicts/sha256/<hex>.json) and the containerd verifier's
// decision over them (DESIGN.md "containerd verifier mode").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/state.hpp"

namespace edgeverify {

// One admitted digest. At admission the agent writes one for the index digest (when the image
// came from an index) and one for each platform manifest digest it verified.
struct StoredVerdict {
    Digest digest;
    std::string role;                 // "index" or "manifest"
    std::optional<Digest> index_digest;  // for a manifest selected from an index
    std::string reference;            // normalized reference judged, e.g. "docker.io/library/alpine:3.19"
    std::string containerd_name;      // the image name given to containerd
    std::string scope;                // trust-policy scope, "(default)", or "" for integrity-only
    std::string mode;                 // "enforce" or "audit"
    bool passed = false;              // every check passed (false: admitted in audit mode)
    std::string trust_store_digest;   // TrustStore::digest at verification time
    std::string verified_at;          // RFC 3339 UTC
    std::string agent_version;
};

// JSON form (documented in docs/verdicts.md); parsing is strict (unknown keys, wrong types ->
// schema_violation naming the file).
std::string verdict_to_json(const StoredVerdict& verdict);
Expected<StoredVerdict> parse_verdict_json(std::string_view json, std::string_view where);

// verdicts/sha256/<hex>.json, written with write_file_durably (mode 0644: the verifier, which
// containerd runs, only reads). read -> nullopt when absent.
Status write_verdict(const StateDirectory& state, const StoredVerdict& verdict);
Expected<std::optional<StoredVerdict>> read_verdict(const StateDirectory& state, const Digest& digest);
// Every verdict, sorted by digest; a file that does not parse is an error naming it.
Expected<std::vector<StoredVerdict>> list_verdicts(const StateDirectory& state);
Status remove_verdict(const StateDirectory& state, const Digest& digest);

// The containerd 2.x bindir verifier's answer for one pull.
struct PullDecision {
    bool allowed = false;
    std::string reason;  // one line, at most 1024 bytes
};
// Allows only when `digest` has a stored verdict that passed (or was admitted in audit mode,
// said in the reason) AND was made under `current_trust_store_digest`; `descriptor_json` (the
// stdin descriptor) must parse, name the same digest, and have an OCI/Docker manifest or index
// media type. Anything else denies with the reason.
PullDecision decide_pull(const StateDirectory& state, const std::string& current_trust_store_digest,
                         const Digest& digest, std::string_view descriptor_json);

}  // namespace edgeverify
