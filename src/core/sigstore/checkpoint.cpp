// Signed checkpoints (C2SP signed-note and tlog-checkpoint; FORMATS.md B.4 step 2): parsing the
// note, the key hint of a log key, and verifying a checkpoint against an inclusion proof.
#include <string>

#include "edgeverify/digest.hpp"
#include "edgeverify/tlog_proof.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kEmDash = "\xE2\x80\x94 ";  // U+2014 and a space start a signature line
constexpr std::size_t kHintBytes = 4;

Error bad_note(std::string_view where, const std::string& what) {
    return make_error(Errc::schema_violation, std::string(where) + ": checkpoint: " + what);
}

std::string sha256_prefix(std::string_view bytes, std::size_t count) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, bytes).hex();
    std::string raw;
    for (std::size_t i = 0; i < count * 2; i += 2) {
        const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
        raw.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    }
    return raw;
}

// Splits `text` (which must end in '\n') into lines without their '\n'.
std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        lines.push_back(text.substr(0, end));
        text.remove_prefix(end + 1);
    }
    return lines;
}

bool parse_size(std::string_view text, std::int64_t& value) {
    if (text.empty() || text.size() > 18 || (text.size() > 1 && text[0] == '0')) return false;
    value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    return true;
}

Expected<NoteSignature> parse_signature_line(std::string_view line, std::string_view where) {
    if (!line.starts_with(kEmDash)) return bad_note(where, "a signature line does not start with an em dash");
    line.remove_prefix(kEmDash.size());
    const std::size_t space = line.find(' ');
    if (space == 0 || space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos)
        return bad_note(where, "a signature line is not \"<name> <base64>\"");
    auto blob = base64_decode(line.substr(space + 1), where);
    if (!blob || blob->size() <= kHintBytes)
        return bad_note(where, "the signature of " + std::string(line.substr(0, space)) + " is not valid base64 of hint and signature");
    return NoteSignature{std::string(line.substr(0, space)), blob->substr(0, kHintBytes), blob->substr(kHintBytes)};
}

}  // namespace

Expected<Checkpoint> parse_checkpoint(std::string_view envelope, std::string_view where) {
    if (envelope.empty() || envelope.back() != '\n') return bad_note(where, "does not end with a newline");
    const std::size_t blank = envelope.find("\n\n");
    if (blank == std::string_view::npos) return bad_note(where, "has no blank line before its signatures");
    Checkpoint out;
    out.signed_text = std::string(envelope.substr(0, blank + 1));
    const auto text = lines_of(out.signed_text);
    if (text.size() < 3) return bad_note(where, "needs origin, tree size and root hash lines");
    if (text[0].empty()) return bad_note(where, "empty origin");
    out.origin = std::string(text[0]);
    if (!parse_size(text[1], out.tree_size)) return bad_note(where, "tree size is not a decimal number");
    auto root = base64_decode(text[2], where);
    if (!root || root->size() != 32) return bad_note(where, "root hash is not base64 of 32 bytes");
    out.root_hash = std::move(*root);

    const auto signatures = lines_of(envelope.substr(blank + 2));
    if (signatures.empty()) return bad_note(where, "has no signature");
    if (signatures.size() > kMaxNoteSignatures)
        return bad_note(where, "more than " + std::to_string(kMaxNoteSignatures) + " signatures");
    for (std::string_view line : signatures) {
        auto signature = parse_signature_line(line, where);
        if (!signature) return signature.take_error();
        out.signatures.push_back(std::move(*signature));
    }
    return out;
}

std::string note_key_hint(const PublicKey& key, std::string_view name) {
    if (key.type() != KeyType::ed25519) return sha256_prefix(key.spki_der(), kHintBytes);
    const std::string& spki = key.spki_der();
    std::string material(name);
    material += "\n\x01";
    material += spki.substr(spki.size() - 32);  // the raw key ends the SPKI
    return sha256_prefix(material, kHintBytes);
}

Status verify_inclusion(std::string_view leaf_data, const InclusionProof& proof, const RekorKey& key,
                        std::string_view required_origin, std::string_view where) {
    if (auto merkle = verify_merkle_inclusion(leaf_data, proof, where); !merkle) return merkle;
    if (proof.checkpoint.empty()) return bad_note(where, "the inclusion proof has no checkpoint");
    auto checkpoint = parse_checkpoint(proof.checkpoint, where);
    if (!checkpoint) return checkpoint.take_error();
    const auto mismatch = [&](const std::string& what) {
        return make_error(Errc::signature_invalid, std::string(where) + ": checkpoint: " + what);
    };
    bool signed_by_log = false;
    for (const NoteSignature& signature : checkpoint->signatures) {
        if (signature.key_hint != note_key_hint(key.key, signature.name)) continue;
        if (verify_signature(key.key, checkpoint->signed_text, signature.signature)) {
            signed_by_log = true;
            break;
        }
    }
    if (!signed_by_log) return mismatch("no signature by the log key of " + key.origin + " verifies");
    if (!required_origin.empty() && checkpoint->origin != required_origin)
        return mismatch("origin " + checkpoint->origin + " is not the log's " + std::string(required_origin));
    if (checkpoint->tree_size != proof.tree_size)
        return mismatch("tree size " + std::to_string(checkpoint->tree_size) + " is not the proof's " +
                        std::to_string(proof.tree_size));
    if (checkpoint->root_hash != proof.root_hash) return mismatch("root hash is not the proof's");
    return {};
}

}  // namespace edgeverify
