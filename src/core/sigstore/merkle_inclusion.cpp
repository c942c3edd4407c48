// RFC 6962/9162 Merkle inclusion proofs (FORMATS.md B.4 step 2): the leaf hash of a logged entry
// body and the root it proves, recomputed from the audit path.
#include <string>

#include "edgeverify/digest.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/tlog_proof.hpp"

namespace edgeverify {
namespace {

constexpr std::size_t kHashBytes = 32;

std::string node_hash(std::string_view left, std::string_view right) {
    std::string data;
    data.reserve(1 + left.size() + right.size());
    data.push_back('\x01');
    data.append(left);
    data.append(right);
    return sha256_bytes(data);
}

Error bad_proof(std::string_view where, const std::string& what) {
    return make_error(Errc::schema_violation, std::string(where) + ": inclusion proof: " + what);
}

}  // namespace

std::string merkle_leaf_hash(std::string_view leaf_data) {
    std::string data;
    data.reserve(1 + leaf_data.size());
    data.push_back('\x00');
    data.append(leaf_data);
    return sha256_bytes(data);
}

Status verify_merkle_inclusion(std::string_view leaf_data, const InclusionProof& proof, std::string_view where) {
    if (proof.tree_size <= 0 || proof.log_index < 0 || proof.log_index >= proof.tree_size) {
        return bad_proof(where, "index " + std::to_string(proof.log_index) + " is outside a tree of size " +
                                    std::to_string(proof.tree_size));
    }
    if (proof.root_hash.size() != kHashBytes) return bad_proof(where, "root hash is not 32 bytes");
    for (std::size_t i = 0; i < proof.hashes.size(); ++i) {
        if (proof.hashes[i].size() != kHashBytes)
            return bad_proof(where, "hashes[" + std::to_string(i) + "] is not 32 bytes");
    }
    // RFC 9162 section 2.1.3.2: walk from the leaf to the root; fn is the node's index, sn the
    // index of the last node at that level.
    auto fn = static_cast<std::uint64_t>(proof.log_index);
    auto sn = static_cast<std::uint64_t>(proof.tree_size - 1);
    std::string root = merkle_leaf_hash(leaf_data);
    for (const std::string& sibling : proof.hashes) {
        if (sn == 0) return bad_proof(where, "more hashes than the tree has levels");
        if ((fn & 1U) != 0 || fn == sn) {
            root = node_hash(sibling, root);
            while ((fn & 1U) == 0 && fn != 0) {
                fn >>= 1U;
                sn >>= 1U;
            }
        } else {
            root = node_hash(root, sibling);
        }
        fn >>= 1U;
        sn >>= 1U;
    }
    if (sn != 0) return bad_proof(where, "fewer hashes than the tree has levels");
    if (root != proof.root_hash) {
        return make_error(Errc::signature_invalid,
                          std::string(where) + ": inclusion proof does not lead to the root hash");
    }
    return {};
}

}  // namespace edgeverify
