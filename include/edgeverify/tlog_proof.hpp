// Transparency-log inclusion evidence verified offline (FORMATS.md B.4 step 2): RFC 6962/9162
// Merkle inclusion proofs and the signed checkpoint (C2SP signed note) that commits to the root,
// signed by a trusted log key (ECDSA or Ed25519). Used for Rekor v1 and v2 bundle entries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/rekor.hpp"

namespace edgeverify {

// A bundle's inclusionProof. For Rekor v1 the proof's logIndex is the index inside the tree
// (shard), which may differ from the entry's global logIndex.
struct InclusionProof {
    std::int64_t log_index = 0;
    std::int64_t tree_size = 0;
    std::string root_hash;            // raw 32 bytes
    std::vector<std::string> hashes;  // raw 32 bytes each, leaf to root
    std::string checkpoint;           // signed note text; empty when the bundle has none (v0.1)
};

// RFC 6962 hashing: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right).
std::string merkle_leaf_hash(std::string_view leaf_data);

// Recomputes the root from the leaf `leaf_data` (the canonicalized entry body), the proof's
// index, size and hashes (RFC 9162 section 2.1.3.2) and compares it with root_hash.
// Errors: Errc::schema_violation for an index outside the tree, hashes that are not 32 bytes, or
// a proof of the wrong length; Errc::signature_invalid when the computed root differs.
// `where` names the entry in messages.
Status verify_merkle_inclusion(std::string_view leaf_data, const InclusionProof& proof, std::string_view where);

// One signature line of a signed note: "— <name> <base64(4-byte key hint || signature)>".
struct NoteSignature {
    std::string name;
    std::string key_hint;   // 4 bytes
    std::string signature;  // the rest
};

// A checkpoint (C2SP tlog-checkpoint): origin, tree size, root hash, optional extension lines.
struct Checkpoint {
    std::string signed_text;  // the note text the signatures cover, through its last '\n'
    std::string origin;
    std::int64_t tree_size = 0;
    std::string root_hash;    // raw 32 bytes
    std::vector<NoteSignature> signatures;
};

// Parses a signed note strictly: text lines, one blank line, then 1..kMaxNoteSignatures
// signature lines, every line ending in '\n'; decimal size without leading zeros; a root hash of
// 32 bytes. Anything else -> Errc::schema_violation naming `where` and the problem.
inline constexpr std::size_t kMaxNoteSignatures = 100;
Expected<Checkpoint> parse_checkpoint(std::string_view envelope, std::string_view where);

// The 4-byte key hint a note signature by `key` carries under `name`: ECDSA/RSA the first 4 bytes
// of SHA-256(SPKI DER); Ed25519 the first 4 bytes of SHA-256(name || "\n" || 0x01 || raw key).
std::string note_key_hint(const PublicKey& key, std::string_view name);

// Verifies the Merkle proof, then the checkpoint: one of its signatures whose hint is `key`'s
// verifies with `key` (ECDSA over SHA-256 of the text, Ed25519 over the text; other lines, e.g.
// witness co-signatures, are tolerated), its size equals tree_size and its hash equals root_hash.
// When `required_origin` is not empty (Rekor v2: the host of the log's baseUrl) the checkpoint
// origin must equal it. A proof without a checkpoint -> Errc::schema_violation.
// Errors: signature_invalid for a root, size, origin or signature that does not match.
Status verify_inclusion(std::string_view leaf_data, const InclusionProof& proof, const RekorKey& key,
                        std::string_view required_origin, std::string_view where);

}  // namespace edgeverify
