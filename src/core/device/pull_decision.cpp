// The containerd 2.x bindir verifier's decision for one pull (DESIGN.md "containerd verifier
// mode"): allow only a digest with a current, passing (or audit-admitted) verdict. Fail closed.
#include <optional>
#include <string>

#include "edgeverify/json.hpp"
#include "edgeverify/verdict_store.hpp"

namespace edgeverify {
namespace {

// containerd reads up to 32 KiB of stdout; one line of this size keeps logs readable.
constexpr std::size_t kMaxReasonBytes = 1024;
// The descriptor containerd writes is a few hundred bytes (annotations make it longer).
constexpr std::size_t kMaxDescriptorBytes = 64 * 1024;

constexpr std::string_view kPullableMediaTypes[] = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
};

// One printable line of at most kMaxReasonBytes: control bytes become '?', the tail is cut.
std::string one_line(std::string text) {
    for (char& c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) c = '?';
    }
    if (text.size() > kMaxReasonBytes) {
        static constexpr std::string_view kCut = "...";
        text.resize(kMaxReasonBytes - kCut.size());
        text += kCut;
    }
    return text;
}

PullDecision deny(const std::string& reason) { return PullDecision{false, one_line("denied: " + reason)}; }
PullDecision allow(const std::string& reason) { return PullDecision{true, one_line("allowed: " + reason)}; }

// The stdin descriptor must describe the digest being pulled, as a manifest or an index.
std::optional<std::string> descriptor_problem(const Digest& digest, std::string_view descriptor_json) {
    auto parsed = parse_json_strict(descriptor_json, "stdin descriptor", JsonLimits{kMaxDescriptorBytes, 16});
    if (!parsed) return "the descriptor on stdin is not valid JSON: " + parsed.error().message;
    const Json& d = *parsed;
    if (!d.is_object()) return std::string("the descriptor on stdin is not a JSON object");
    const auto digest_field = d.find("digest");
    if (digest_field == d.end() || !digest_field->is_string()) return std::string("the descriptor on stdin has no digest");
    if (digest_field->get<std::string>() != digest.str()) {
        return "the descriptor on stdin names " + digest_field->get<std::string>() + ", not -digest " + digest.str();
    }
    const auto media_type = d.find("mediaType");
    if (media_type == d.end() || !media_type->is_string()) return std::string("the descriptor on stdin has no mediaType");
    const std::string type = media_type->get<std::string>();
    bool pullable = false;
    for (const auto known : kPullableMediaTypes) pullable = pullable || type == known;
    if (!pullable) return "the descriptor's media type " + type + " is not an image manifest or index";
    const auto size = d.find("size");
    if (size != d.end() && !(size->is_number_integer() && size->get<long long>() >= 0)) {
        return std::string("the descriptor's size is not a non-negative integer");
    }
    return std::nullopt;
}

}  // namespace

PullDecision decide_pull(const StateDirectory& state, const std::string& current_trust_store_digest,
                         const Digest& digest, std::string_view descriptor_json) {
    if (auto problem = descriptor_problem(digest, descriptor_json)) return deny(*problem);
    if (current_trust_store_digest.empty()) return deny("the current trust-store digest is unknown");
    auto stored = read_verdict(state, digest);
    if (!stored) return deny("the verdict for " + digest.str() + " cannot be read: " + stored.error().message);
    if (!*stored) return deny(digest.str() + " was never admitted on this device (no verdict)");
    const StoredVerdict& verdict = **stored;
    if (verdict.trust_store_digest != current_trust_store_digest) {
        return deny(digest.str() + " (" + verdict.reference + ") was verified under trust store " +
                    verdict.trust_store_digest + ", the trust store is now " + current_trust_store_digest +
                    ": it must be verified again");
    }
    const std::string what = digest.str() + " (" + verdict.reference + ", " + verdict.role + ")";
    if (verdict.passed) {
        return allow(what + " verified " + verdict.verified_at + " under scope " +
                     (verdict.scope.empty() ? std::string("(integrity only)") : verdict.scope));
    }
    if (verdict.mode == "audit") {
        return allow(what + " admitted in audit mode " + verdict.verified_at +
                     " although checks failed (audit: not enforced)");
    }
    return deny(what + " failed verification " + verdict.verified_at);
}

}  // namespace edgeverify
