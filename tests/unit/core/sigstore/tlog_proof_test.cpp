// Merkle inclusion proofs and signed checkpoints (tlog_proof.hpp): synthetic trees checked against
// a reference computation of RFC 6962's MTH and PATH, strict note parsing, and real bundles of
// sigstore-conformance read in place (Rekor v1 ECDSA checkpoints, Rekor v2 Ed25519 checkpoints
// with witness co-signatures). Without the vectors those cases say so and pass.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/tlog_proof.hpp"

using namespace edgeverify;

namespace {

std::string raw_sha256(std::string_view bytes) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, bytes).hex();
    std::string raw;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return raw;
}

std::string leaf(std::size_t i) { return "entry " + std::to_string(i); }

// RFC 6962 section 2.1: MTH over leaves [begin, end), the largest power of two below n splits.
std::string mth(std::size_t begin, std::size_t end) {
    if (end - begin == 1) return raw_sha256(std::string(1, '\0') + leaf(begin));
    std::size_t k = 1;
    while (k * 2 < end - begin) k *= 2;
    return raw_sha256("\x01" + mth(begin, begin + k) + mth(begin + k, end));
}

// RFC 6962 section 2.1.1: PATH(m, D[begin:end]), leaf to root.
std::vector<std::string> path(std::size_t m, std::size_t begin, std::size_t end) {
    if (end - begin == 1) return {};
    std::size_t k = 1;
    while (k * 2 < end - begin) k *= 2;
    std::vector<std::string> out;
    if (m < k) {
        out = path(m, begin, begin + k);
        out.push_back(mth(begin + k, end));
    } else {
        out = path(m - k, begin + k, end);
        out.push_back(mth(begin, begin + k));
    }
    return out;
}

InclusionProof proof_for(std::size_t index, std::size_t size) {
    return InclusionProof{static_cast<std::int64_t>(index), static_cast<std::int64_t>(size), mth(0, size),
                          path(index, 0, size), {}};
}

std::filesystem::path conformance_case(const char* name) {
    std::filesystem::path base = std::getenv("EDGEVERIFY_SHARED_VECTORS")
                                     ? std::filesystem::path(std::getenv("EDGEVERIFY_SHARED_VECTORS"))
                                     : std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." /
                                           "shared" / "vectors";
    return base / "sigstore-conformance" / name;
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The case's bundle and the tlog keys of its trusted root (its own, or the production root).
struct Evidence {
    SigstoreBundle bundle;
    std::vector<RekorKey> keys;
};

std::optional<Evidence> load(const char* name) {
    const auto dir = conformance_case("bundle-verify") / name;
    if (!std::filesystem::exists(dir)) {
        MESSAGE("sigstore-conformance not found at " << dir.string() << ": nothing asserted");
        return std::nullopt;
    }
    auto bundle = parse_sigstore_bundle(read_all(dir / "bundle.sigstore.json"), name);
    REQUIRE(bundle);
    const auto own_root = dir / "trusted_root.json";
    const auto root = std::filesystem::exists(own_root)
                          ? own_root
                          : conformance_case("_default_trusted_root") / "production_trusted_root.json";
    auto keys = parse_trusted_root_tlogs(read_all(root), root.filename().string());
    REQUIRE(keys);
    return Evidence{std::move(*bundle), std::move(*keys)};
}

// Verifies the bundle's first entry's proof with the trusted key of its log.
Status verify_first_entry(const Evidence& e) {
    REQUIRE(!e.bundle.tlog_entries.empty());
    const BundleTlogEntry& entry = e.bundle.tlog_entries.front();
    REQUIRE(entry.inclusion_proof);
    for (const RekorKey& key : e.keys) {
        if (key.log_id != entry.entry.log_id) continue;
        const bool v2 = entry.version == "0.0.2";
        return verify_inclusion(entry.entry.body, *entry.inclusion_proof, key, v2 ? key.log_host : "", "entry");
    }
    FAIL("no trusted key for the entry's log");
    return {};
}

}  // namespace

TEST_CASE("merkle inclusion: every leaf of trees of 1..17 leaves verifies against the RFC 6962 root") {
    for (std::size_t size = 1; size <= 17; ++size) {
        for (std::size_t index = 0; index < size; ++index) {
            CAPTURE(size);
            CAPTURE(index);
            CHECK(verify_merkle_inclusion(leaf(index), proof_for(index, size), "test"));
        }
    }
}

TEST_CASE("merkle inclusion: a flipped bit, another leaf, or a wrong index fails as signature-invalid") {
    InclusionProof proof = proof_for(5, 11);
    auto flipped = proof;
    flipped.hashes[1][0] = static_cast<char>(flipped.hashes[1][0] ^ 1);
    auto result = verify_merkle_inclusion(leaf(5), flipped, "e");
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::signature_invalid);
    CHECK(result.error().message == "e: inclusion proof does not lead to the root hash");
    CHECK(verify_merkle_inclusion(leaf(6), proof, "e").error().code == Errc::signature_invalid);
    auto moved = proof;
    moved.log_index = 4;
    CHECK(verify_merkle_inclusion(leaf(5), moved, "e").error().code == Errc::signature_invalid);
}

TEST_CASE("merkle inclusion: malformed proofs are schema violations naming the problem") {
    const InclusionProof proof = proof_for(2, 5);
    auto outside = proof;
    outside.log_index = 5;
    CHECK(verify_merkle_inclusion(leaf(2), outside, "e").error().message ==
          "e: inclusion proof: index 5 is outside a tree of size 5");
    auto longer = proof;
    longer.hashes.push_back(longer.hashes.front());
    CHECK(verify_merkle_inclusion(leaf(2), longer, "e").error().message ==
          "e: inclusion proof: more hashes than the tree has levels");
    auto shorter = proof;
    shorter.hashes.pop_back();
    CHECK(verify_merkle_inclusion(leaf(2), shorter, "e").error().message ==
          "e: inclusion proof: fewer hashes than the tree has levels");
    auto short_hash = proof;
    short_hash.hashes[0].pop_back();
    CHECK(verify_merkle_inclusion(leaf(2), short_hash, "e").error().code == Errc::schema_violation);
}

TEST_CASE("checkpoint: a signed note parses into origin, size, root, extension lines and signatures") {
    const std::string root = base64_encode(std::string(32, 'r'));
    const std::string note = "example.org/log\n42\n" + root + "\nTimestamp: 1\n\n\xE2\x80\x94 example.org/log " +
                             base64_encode("hint" + std::string(64, 's')) + "\n";
    auto parsed = parse_checkpoint(note, "cp");
    REQUIRE(parsed);
    CHECK(parsed->origin == "example.org/log");
    CHECK(parsed->tree_size == 42);
    CHECK(parsed->root_hash == std::string(32, 'r'));
    CHECK(parsed->signed_text == "example.org/log\n42\n" + root + "\nTimestamp: 1\n");
    REQUIRE(parsed->signatures.size() == 1);
    CHECK(parsed->signatures[0].key_hint == "hint");
    CHECK(parsed->signatures[0].signature == std::string(64, 's'));
}

TEST_CASE("checkpoint: malformed notes are refused with the reason") {
    const std::string root = base64_encode(std::string(32, 'r'));
    const std::string sig = "\xE2\x80\x94 o " + base64_encode("hint" + std::string(8, 's')) + "\n";
    const auto message = [](const std::string& note) { return parse_checkpoint(note, "cp").error().message; };
    CHECK(message("o\n1\n" + root + "\n\n" + sig.substr(0, sig.size() - 1)) == "cp: checkpoint: does not end with a newline");
    CHECK(message("o\n1\n" + root + "\n" + sig) == "cp: checkpoint: has no blank line before its signatures");
    CHECK(message("o\n1\n\n" + sig) == "cp: checkpoint: needs origin, tree size and root hash lines");
    CHECK(message("o\n01\n" + root + "\n\n" + sig) == "cp: checkpoint: tree size is not a decimal number");
    CHECK(message("o\n1\nAAAA\n\n" + sig) == "cp: checkpoint: root hash is not base64 of 32 bytes");
    CHECK(message("o\n1\n" + root + "\n\n") == "cp: checkpoint: has no signature");
    CHECK(message("o\n1\n" + root + "\n\n- o " + base64_encode("hint12345") + "\n") ==
          "cp: checkpoint: a signature line does not start with an em dash");
    CHECK(message("o\n1\n" + root + "\n\n\xE2\x80\x94 o AAA\n") ==
          "cp: checkpoint: the signature of o is not valid base64 of hint and signature");
}

TEST_CASE("tlog proof vectors: Rekor v1 ECDSA checkpoint of happy-path-v0.3-new-mediaType verifies") {
    auto e = load("happy-path-v0.3-new-mediaType");
    if (!e) return;
    CHECK(verify_first_entry(*e));
}

TEST_CASE("tlog proof vectors: Rekor v2 Ed25519 checkpoints verify, witness co-signatures tolerated") {
    for (const char* name : {"rekor2-checkpoint-multiple-cosigs", "rekor2-checkpoint-origin-not-first",
                             "rekor2-checkpoint-two-sigs-from-origin"}) {
        CAPTURE(name);
        auto e = load(name);
        if (!e) return;
        CHECK(verify_first_entry(*e));
    }
}

TEST_CASE("tlog proof vectors: a corrupted proof hash, a bad key hint, a missing log signature fail") {
    auto corrupted = load("inclusion-proof-corrupted-hash_fail");
    if (!corrupted) return;
    CHECK(verify_first_entry(*corrupted).error().message == "entry: inclusion proof does not lead to the root hash");
    auto hint = load("checkpoint-bad-keyhint_fail");
    REQUIRE(hint);
    auto refused = verify_first_entry(*hint);
    CHECK(refused.error().code == Errc::signature_invalid);
    CHECK(refused.error().message.find("no signature by the log key") != std::string::npos);
    auto unsigned_note = load("rekor2-checkpoint-missing-log-signature_fail");
    REQUIRE(unsigned_note);
    CHECK(verify_first_entry(*unsigned_note).error().message == "entry: checkpoint: has no signature");
    auto no_root = load("rekor2-checkpoint-missing-root-hash_fail");
    REQUIRE(no_root);
    CHECK(verify_first_entry(*no_root).error().message ==
          "entry: checkpoint: needs origin, tree size and root hash lines");
}

TEST_CASE("tlog proof vectors: a Rekor v2 checkpoint whose origin is not the log's host is refused") {
    auto e = load("rekor2-checkpoint-multiple-cosigs");
    if (!e) return;
    const BundleTlogEntry& entry = e->bundle.tlog_entries.front();
    for (const RekorKey& key : e->keys) {
        if (key.log_id != entry.entry.log_id) continue;
        CHECK(key.log_host == "log2025-alpha1.rekor.sigstage.dev");
        auto refused = verify_inclusion(entry.entry.body, *entry.inclusion_proof, key, "rekor.example", "entry");
        CHECK(refused.error().message ==
              "entry: checkpoint: origin log2025-alpha1.rekor.sigstage.dev is not the log's rekor.example");
    }
}
