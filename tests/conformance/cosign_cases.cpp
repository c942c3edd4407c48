// Cases of the containers-image-cosign set (../shared/vectors/containers-image-cosign/SOURCE.md):
// an image directory (manifest.json + containers-image `dir:` signature files), a reference and a
// containers-policy.json `sigstoreSigned` requirement (FORMATS.md D.2/D.3), translated into an
// in-memory edgeverify trust store with one enforcing scope, threshold 1, one key signer per key.
// rekorPublicKey* members become the store's Rekor keys with requireTransparencyLog, so a
// signature counts only with a verified SET (check_signature). Requirements this build cannot
// verify (Fulcio, BYO-PKI, OpenPGP) fail with the reason instead of passing by accident. The
// `rekor-set` unit cases run verify_rekor_set and check_rekor_body directly.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "case_kinds.hpp"
#include "edgeverify/crypto.hpp"
#include "edgeverify/oci.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/signatures.hpp"
#include "edgeverify/trust_decision.hpp"

namespace fs = std::filesystem;

namespace edgeverify::conformance {
namespace {

const std::string kNeedsFulcio =
    "requires Fulcio certificate verification (FORMATS.md A.8: chain, SAN and issuer at the Rekor "
    "integratedTime), not implemented yet";
const std::string kNeedsPki =
    "requires BYO-PKI X.509 chain and SAN verification (FORMATS.md D.2 pki), not implemented yet";
const std::string kNeedsGpg = "requires OpenPGP (signedBy GPGKeys) verification, not implemented yet";

std::string describe(const Error& e) {
    return std::string(errc_name(e.code)) + ": " + e.message;
}

Expected<std::string> read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, path.string() + ": cannot open");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// A containers-policy.json requirement as edgeverify sees it.
struct Requirement {
    TrustStore store;
    std::string identity = "matchRepoDigestOrExact";  // containers' default when omitted
    std::string identity_value;                       // dockerReference / dockerRepository
    bool rekor = false;         // a rekorPublicKey* member: requireTransparencyLog with those keys
    std::string unsupported;    // non-empty: this build cannot judge the requirement
    std::optional<bool> fixed;  // insecureAcceptAnything (true) / reject (false)
};

Error policy_error(const std::string& message) {
    return make_error(Errc::config, "policy: " + message);
}

Status add_key(Requirement& req, const std::string& name, const std::string& pem) {
    auto key = parse_public_key_pem(pem, name);
    if (!key) return policy_error(name + ": " + describe(key.error()));
    SignerSpec signer;
    signer.name = "key-" + std::to_string(req.store.keys.size() + 1);
    signer.key = KeySigner{name};
    req.store.keys.emplace(name, TrustedKey{name, std::move(*key)});
    req.store.policy.scopes.front().signers.push_back(std::move(signer));
    return {};
}

// The raw sha256 of `bytes` (a Rekor v1 log id is sha256 of the log key's SPKI DER).
std::string raw_sha256(std::string_view bytes) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, bytes).hex();
    std::string raw;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return raw;
}

// A PEM public key as a Rekor key, as the trust store loads rekor/*.pub: no validity window.
Expected<RekorKey> rekor_key(const std::string& name, const std::string& pem) {
    auto key = parse_public_key_pem(pem, name);
    if (!key) return policy_error(name + ": " + describe(key.error()));
    std::string log_id = raw_sha256(key->spki_der());
    return RekorKey{name, std::move(*key), std::move(log_id), {}, {}, {}};
}

Status add_rekor_key(Requirement& req, const std::string& name, const std::string& pem) {
    auto key = rekor_key(name, pem);
    if (!key) return key.take_error();
    req.store.rekor_keys.push_back(std::move(*key));
    return {};
}

// One key source: a path, or base64 PEM data.
Status load_key_field(Requirement& req, const Json& value, bool is_data, const std::string& where,
                      const fs::path& base, bool rekor) {
    const auto add = rekor ? add_rekor_key : add_key;
    if (!value.is_string()) return policy_error(where + ": expected a string");
    const std::string text = value.get<std::string>();
    if (!is_data) {
        auto pem = read_bytes(base / text);
        if (!pem) return policy_error(where + ": " + describe(pem.error()));
        return add(req, text, *pem);
    }
    auto pem = base64_decode(text, where);
    if (!pem) return policy_error(where + ": " + describe(pem.error()));
    return add(req, where, *pem);
}

Expected<Requirement> translate(const Json& policy, const fs::path& base) {
    Requirement req;
    Scope scope;
    scope.name = "case";
    scope.mode = PolicyMode::enforce;
    scope.threshold = 1;
    req.store.policy.scopes.push_back(std::move(scope));
    if (!policy.is_object() || !policy.contains("type") || !policy["type"].is_string())
        return policy_error("requirement without a string 'type'");
    const std::string type = policy["type"].get<std::string>();
    if (type == "insecureAcceptAnything" || type == "reject") {
        req.fixed = type == "insecureAcceptAnything";
        return req;
    }
    if (type == "signedBy") {
        req.unsupported = kNeedsGpg;
        return req;
    }
    if (type != "sigstoreSigned") return policy_error("unknown requirement type '" + type + "'");

    static const std::set<std::string> key_sources = {"keyPath",  "keyPaths", "keyData",
                                                      "keyDatas", "fulcio",   "pki"};
    static const std::set<std::string> rekor_sources = {"rekorPublicKeyPath", "rekorPublicKeyPaths",
                                                        "rekorPublicKeyData", "rekorPublicKeyDatas"};
    int key_count = 0, rekor_count = 0;
    for (const auto& [member, value] : policy.items()) {
        if (key_sources.count(member))
            ++key_count;
        else if (rekor_sources.count(member))
            ++rekor_count;
        else if (member != "type" && member != "signedIdentity")
            return policy_error("unknown member '" + member + "' in sigstoreSigned");
    }
    if (key_count != 1)
        return policy_error(
            "sigstoreSigned needs exactly one of keyPath, keyPaths, keyData, "
            "keyDatas, fulcio, pki");
    if (rekor_count > 1) return policy_error("at most one rekorPublicKey* member");
    req.rekor = rekor_count == 1;
    req.store.policy.scopes.front().require_transparency_log = req.rekor;
    if (policy.contains("fulcio")) {
        if (!req.rekor)
            return policy_error("fulcio requires a rekorPublicKey* member (containers/image rule)");
        req.unsupported = kNeedsFulcio;
    } else if (policy.contains("pki")) {
        if (req.rekor)
            return policy_error("pki does not allow rekorPublicKey* members (containers/image rule)");
        req.unsupported = kNeedsPki;
    }
    for (const std::string member : {"keyPath", "keyPaths", "keyData", "keyDatas", "rekorPublicKeyPath",
                                     "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas"}) {
        if (!policy.contains(member)) continue;
        const bool rekor = member.rfind("rekor", 0) == 0;
        const bool plural = member.back() == 's', is_data = member.find("Data") != std::string::npos;
        const Json& value = policy[member];
        if (plural && (!value.is_array() || value.empty()))
            return policy_error(member + ": expected a non-empty array");
        for (std::size_t i = 0; i < (plural ? value.size() : 1); ++i) {
            const std::string where = plural ? member + "[" + std::to_string(i) + "]" : member;
            if (auto s = load_key_field(req, plural ? value[i] : value, is_data, where, base, rekor); !s)
                return s.error();
        }
    }
    if (policy.contains("signedIdentity")) {
        const Json& id = policy["signedIdentity"];
        if (!id.is_object() || !id.contains("type") || !id["type"].is_string())
            return policy_error("signedIdentity without a string 'type'");
        req.identity = id["type"].get<std::string>();
        const char* field = req.identity == "exactReference"    ? "dockerReference"
                            : req.identity == "exactRepository" ? "dockerRepository"
                                                                : nullptr;
        if (field) {
            if (!id.contains(field) || !id[field].is_string())
                return policy_error(std::string("signedIdentity.") + field + " missing");
            req.identity_value = id[field].get<std::string>();
        } else if (req.identity == "remapIdentity") {
            if (req.unsupported.empty())
                req.unsupported = "signedIdentity remapIdentity is not supported by this runner";
        } else if (req.identity != "matchExact" && req.identity != "matchRepoDigestOrExact" &&
                   req.identity != "matchRepository") {
            return policy_error("unknown signedIdentity type '" + req.identity + "'");
        }
    }
    return req;
}

// A reference that names a tag or digest explicitly (cosign writes repository-only ones).
bool names_tag_or_digest(const std::string& text) {
    const auto slash = text.rfind('/');
    const std::string last = slash == std::string::npos ? text : text.substr(slash + 1);
    return last.find(':') != std::string::npos || last.find('@') != std::string::npos;
}

std::optional<std::string> exact_mismatch(const std::string& signed_text, const std::string& wanted_text) {
    if (!names_tag_or_digest(signed_text))
        return "signed identity " + signed_text + " names no tag or digest";
    if (!names_tag_or_digest(wanted_text)) return "reference " + wanted_text + " names no tag or digest";
    auto a = parse_image_reference(signed_text);
    auto b = parse_image_reference(wanted_text);
    if (!a || !b) return std::string("unparsable reference");
    if (a->str() != b->str()) return "signed identity " + a->str() + " is not " + b->str();
    return std::nullopt;
}

// The signedIdentity rule beyond the repository equality check_signature already applied.
std::optional<std::string> identity_refusal(const Requirement& req, const std::string& signed_ref,
                                            const std::string& image_ref,
                                            const ImageReference& parsed_image) {
    if (req.identity == "matchExact") return exact_mismatch(signed_ref, image_ref);
    if (req.identity == "matchRepoDigestOrExact") {
        if (parsed_image.digest && parsed_image.tag.empty()) return std::nullopt;
        return exact_mismatch(signed_ref, image_ref);
    }
    if (req.identity == "exactReference") return exact_mismatch(signed_ref, req.identity_value);
    return std::nullopt;  // matchRepository, exactRepository: repository equality
}

enum class Got { valid, invalid, undecidable };

struct Judgement {
    Got got = Got::invalid;
    std::string reason;
};

Judgement judge_image(const Json& c, const fs::path& base) {
    const std::string image_ref = c.contains("image_ref") && c["image_ref"].is_string()
                                      ? c["image_ref"].get<std::string>()
                                      : std::string();
    auto reference = parse_image_reference(image_ref);
    if (!reference) return {Got::undecidable, "image_ref: " + describe(reference.error())};
    const Json& policy = c["policy"];
    auto req = translate(policy, base);
    if (!req) return {Got::invalid, "policy refused: " + req.error().message};
    // exactReference / exactRepository judge the signature against the policy's identity.
    ImageReference identity = *reference;
    if (!req->identity_value.empty()) {
        auto parsed = parse_image_reference(req->identity_value);
        if (!parsed) return {Got::invalid, "policy signedIdentity: " + describe(parsed.error())};
        identity = *parsed;
    }
    req->store.policy.scopes.front().match = identity.name();
    if (req->fixed)
        return {*req->fixed ? Got::valid : Got::invalid, "requirement " + policy["type"].get<std::string>()};
    if (!req->unsupported.empty()) return {Got::undecidable, req->unsupported};

    const fs::path image_dir = base / c["image"].get<std::string>();
    auto manifest = read_bytes(image_dir / "manifest.json");
    if (!manifest)
        return {Got::invalid, "no manifest.json, signatures cannot be bound: " + describe(manifest.error())};
    auto kind = sniff_document_kind(*manifest, "manifest.json");
    if (!kind) return {Got::invalid, "manifest.json: " + describe(kind.error())};
    if (*kind == DocumentKind::index) {
        if (auto index = parse_image_index(*manifest, "manifest.json"); !index)
            return {Got::invalid, "manifest.json: " + describe(index.error())};
    } else if (auto parsed = parse_image_manifest(*manifest, "manifest.json"); !parsed) {
        return {Got::invalid, "manifest.json: " + describe(parsed.error())};
    }
    ImageResult image;
    image.name = image_ref;
    image.manifest_digest = digest_of(DigestAlgorithm::sha256, *manifest);

    std::vector<SignatureCandidate> accepted;
    std::string refusals;
    const auto refuse = [&](const std::string& name, const std::string& why) {
        refusals += (refusals.empty() ? "" : "; ") + name + ": " + why;
    };
    for (const auto& entry : c["signatures"]) {
        const std::string name = entry.is_string() ? entry.get<std::string>() : "(not a string)";
        auto bytes = read_bytes(image_dir / name);
        if (!bytes) {
            refuse(name, describe(bytes.error()));
            continue;
        }
        auto candidate = parse_containers_signature_file(*bytes, name);
        if (!candidate) {
            refuse(name, describe(candidate.error()));
            continue;
        }
        const SignatureCheck check =
            check_signature(*candidate, image, identity, req->store.policy.scopes.front(), req->store);
        if (!check.accepted) {
            refuse(name, check.reason);
            continue;
        }
        auto payload = parse_simple_signing_payload(candidate->payload, name);
        if (!payload) {
            refuse(name, describe(payload.error()));
            continue;
        }
        if (auto why = identity_refusal(*req, payload->docker_reference, image_ref, *reference)) {
            refuse(name, req->identity + ": " + *why);
            continue;
        }
        accepted.push_back(std::move(*candidate));
    }
    const TrustDecision decision =
        decide_trust(req->store, identity, image, SourceKind::oci_layout, accepted);
    if (!decision.failure) return {Got::valid, {}};
    if (refusals.empty()) refusals = decision.failure->message;
    return {Got::invalid, refusals};
}

// The DER inside the first PEM block of `text` (armor lines dropped, base64 joined).
Expected<std::string> pem_der(const std::string& text, const std::string& where) {
    const auto begin = text.find("-----BEGIN ");
    const auto body = begin == std::string::npos ? begin : text.find('\n', begin);
    const auto end = text.find("-----END ");
    if (body == std::string::npos || end == std::string::npos || end < body)
        return make_error(Errc::schema_violation, where + ": not PEM");
    std::string b64;
    for (const char c : text.substr(body, end - body))
        if (c != '\n' && c != '\r') b64.push_back(c);
    return base64_decode(b64, where);
}

Expected<std::string> trimmed_bytes(const fs::path& path) {
    auto bytes = read_bytes(path);
    if (!bytes) return bytes;
    while (!bytes->empty() && (bytes->back() == '\n' || bytes->back() == '\r')) bytes->pop_back();
    return bytes;
}

// containers/image TestVerifyRekorSET: the SET verifies with the case's Rekor key and the
// hashedrekord body binds the payload digest, the signature and the certificate.
Judgement judge_rekor_set(const Json& c, const fs::path& base) {
    for (const char* member : {"set", "rekor_key", "cert", "sig_b64", "payload"})
        if (!c.contains(member) || !c[member].is_string())
            return {Got::undecidable, std::string("rekor-set case needs a string '") + member + "'"};
    const auto file = [&](const char* member) { return base / c[member].get<std::string>(); };
    auto set = read_bytes(file("set"));
    auto key_pem = read_bytes(file("rekor_key"));
    auto cert = read_bytes(file("cert"));
    auto sig_b64 = trimmed_bytes(file("sig_b64"));
    auto payload = read_bytes(file("payload"));
    for (const auto* read : {&set, &key_pem, &cert, &sig_b64, &payload})
        if (!*read) return {Got::undecidable, describe(read->error())};

    auto key = rekor_key(c["rekor_key"].get<std::string>(), *key_pem);
    if (!key) return {Got::undecidable, describe(key.error())};
    std::vector<RekorKey> keys;
    keys.push_back(std::move(*key));
    auto entry = parse_cosign_rekor_bundle(*set, "rekor-set");
    if (!entry) return {Got::invalid, describe(entry.error())};
    auto used = verify_rekor_set(*entry, keys);
    if (!used) return {Got::invalid, describe(used.error())};

    RekorBinding binding;
    auto signature = base64_decode(*sig_b64, "sig_b64");
    if (!signature) return {Got::undecidable, describe(signature.error())};
    auto cert_der = pem_der(*cert, "cert");
    if (!cert_der) return {Got::undecidable, describe(cert_der.error())};
    binding.signature = std::move(*signature);
    binding.public_key_der = std::move(*cert_der);
    binding.signed_bytes_digest = digest_of(DigestAlgorithm::sha256, *payload);
    if (auto bound = check_rekor_body(entry->body, binding, "rekor-set"); !bound)
        return {Got::invalid, describe(bound.error())};
    return {Got::valid, {}};
}

CaseOutcome outcome(const Judgement& j, bool expect_valid) {
    if (j.got == Got::undecidable) return {false, j.reason};
    const bool got_valid = j.got == Got::valid;
    if (std::getenv("EDGEVERIFY_VECTORS_VERBOSE") != nullptr && !got_valid)  // why it was rejected
        std::fprintf(stderr, "  rejected: %s\n", j.reason.c_str());
    if (got_valid == expect_valid) return {true, {}};
    return {false, expect_valid ? "expected valid, got invalid: " + j.reason
                                : "expected invalid, but it was accepted"};
}

}  // namespace

CaseOutcome run_signed_image_case(const Json& c, const fs::path& base, bool expect_valid) {
    if (!c["image"].is_string() || !c["signatures"].is_array())
        return {false, "case needs 'image' and 'signatures'"};
    return outcome(judge_image(c, base), expect_valid);
}

CaseOutcome run_rekor_set_case(const Json& c, const fs::path& base, bool expect_valid) {
    return outcome(judge_rekor_set(c, base), expect_valid);
}

}  // namespace edgeverify::conformance
