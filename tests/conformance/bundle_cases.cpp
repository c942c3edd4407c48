// Cases of the cosign-v3-oci-bundle set (../shared/vectors/cosign-v3-oci-bundle/SOURCE.md): a
// Sigstore bundle, the digest of the image it is attached to, identity regexes and a trusted root.
// Each case is judged through the real decision path: check_signature() with the bundle as a
// candidate, a scope holding one sigstore signer, enforce mode, threshold 1, and the Rekor keys and
// Fulcio CAs of the case's trusted root. A verdict that would be right only because something is
// not verified by this build yet (issue 8) is reported as a failure with that reason, never as a
// pass.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "case_kinds.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/sct.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/trust_decision.hpp"

namespace fs = std::filesystem;

namespace edgeverify::conformance {
namespace {

const std::string kNeedsFulcio = "requires Fulcio certificate and identity verification (issue 8)";

Expected<std::string> read_case_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, path.string() + ": cannot open");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string text_of(const Json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

bool mentions(const std::string& text, std::initializer_list<const char*> words) {
    for (const char* word : words)
        if (text.find(word) != std::string::npos) return true;
    return false;
}

// Whether the bundle, as our parser reads it, names `digest` among its DSSE subjects (or as its
// message digest): the verdict then hinges on the certificate and the identity.
bool bundle_names_digest(const SigstoreBundle& bundle, const Digest& digest) {
    if (bundle.dsse) {
        auto subjects = intoto_subject_digests(bundle.dsse->payload, "statement");
        if (!subjects) return false;
        for (const Digest& d : *subjects)
            if (d == digest) return true;
        return false;
    }
    if (!bundle.message_signature || bundle.message_signature->algorithm != "SHA2_256") return false;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char byte : bundle.message_signature->digest) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0xF];
    }
    return hex == digest.hex();
}

struct Setup {
    TrustStore store;
    ImageReference reference;
    ImageResult image;
    SignatureCandidate candidate;
    std::optional<SigstoreBundle> parsed;  // our own reading, to know what the verdict hinges on
};

Expected<Setup> set_up(const Json& c, const fs::path& base) {
    Setup s;
    const std::string bundle_name = text_of(c, "bundle");
    auto bundle = read_case_file(base / bundle_name);
    if (!bundle) return bundle.take_error();
    auto digest = Digest::parse(text_of(c, "artifact_digest"));
    if (!digest) return make_error(digest.error().code, "artifact_digest: " + digest.error().message);
    auto reference = parse_image_reference("example.invalid/cosign-v3-oci-bundle@" + digest->str());
    if (!reference) return reference.take_error();
    s.reference = *reference;
    s.image.name = s.reference.str();
    s.image.manifest_digest = *digest;
    s.image.manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
    s.candidate.kind = CandidateKind::sigstore_bundle;
    s.candidate.origin = bundle_name;
    s.candidate.media_type = std::string(sigstore::kBundleMediaTypeV03);
    s.candidate.payload = std::move(*bundle);
    if (auto parsed = parse_sigstore_bundle(s.candidate.payload, bundle_name)) s.parsed = std::move(*parsed);

    const Json identity = c.contains("identity") ? c["identity"] : Json::object();
    SignerSpec signer;
    signer.name = "sigstore-1";
    signer.sigstore =
        SigstoreSigner{{}, text_of(identity, "issuer_regex"), {}, text_of(identity, "san_regex")};
    if (signer.sigstore->issuer_regexp.empty() || signer.sigstore->identity_regexp.empty())
        return make_error(Errc::config, "case needs identity.san_regex and identity.issuer_regex");
    Scope scope;
    scope.name = "case";
    scope.match = s.reference.name();
    scope.mode = PolicyMode::enforce;
    scope.threshold = 1;
    scope.signers.push_back(std::move(signer));
    s.store.policy.scopes.push_back(std::move(scope));
    if (const std::string root_name = text_of(c, "trusted_root"); !root_name.empty()) {
        auto root = read_case_file(base / root_name);
        if (!root) return root.take_error();
        auto tlogs = parse_trusted_root_tlogs(*root, root_name);
        if (!tlogs) return tlogs.take_error();
        s.store.rekor_keys = std::move(*tlogs);
        auto authorities = parse_trusted_root_authorities(*root, root_name, "certificateAuthorities");
        if (!authorities) return authorities.take_error();
        s.store.certificate_authorities = std::move(*authorities);
        auto ct_logs = parse_trusted_root_ctlogs(*root, root_name);
        if (!ct_logs) return ct_logs.take_error();
        s.store.ct_logs = std::move(*ct_logs);
    }
    return s;
}

}  // namespace

CaseOutcome run_bundle_case(const Json& c, const fs::path& base, bool expect_valid) {
    auto setup = set_up(c, base);
    if (!setup)
        return {false,
                "case setup: " + std::string(errc_name(setup.error().code)) + ": " + setup.error().message};
    Setup& s = *setup;
    const SignatureCheck check =
        check_signature(s.candidate, s.image, s.reference, s.store.policy.scopes.front(), s.store);
    // A refusal for what this build cannot verify yet (not for what the bundle says).
    const bool keyless_refusal =
        !check.accepted && mentions(check.reason, {"issue 8", "not verified by this build",
                                                   "needs a verified signing time", "no Fulcio certificate authority"});
    const bool certificate_bundle = s.parsed && s.parsed->material != BundleMaterial::public_key;
    if (std::getenv("EDGEVERIFY_VECTORS_VERBOSE") != nullptr)  // what check_signature said
        std::fprintf(stderr, "  %s: %s\n", check.accepted ? "accepted" : "refused", check.reason.c_str());

    if (expect_valid) {
        if (check.accepted) return {true, {}};
        if (keyless_refusal) return {false, kNeedsFulcio};
        return {false, "expected valid, got: " + check.reason};
    }
    if (check.accepted) return {false, "expected invalid, but it was accepted: " + check.reason};
    // Which refusal is the right one: a bundle that does not name the image must be refused for
    // that; one that does can only be refused for its certificate or identity.
    const bool names_image = s.parsed && bundle_names_digest(*s.parsed, s.image.manifest_digest);
    if (!names_image) {
        if (!keyless_refusal && mentions(check.reason, {"subject", "digest"})) return {true, {}};
        return {false, "expected a refusal for the subject digest, got: " + check.reason};
    }
    if (keyless_refusal || certificate_bundle) {
        if (!keyless_refusal && mentions(check.reason, {"identity", "SAN", "issuer", "certificate"}))
            return {true, {}};
        return {false, kNeedsFulcio};
    }
    return {false, "expected a refusal for the certificate or identity, got: " + check.reason};
}

}  // namespace edgeverify::conformance
