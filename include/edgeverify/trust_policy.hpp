// The on-device trust policy (policy.json, DESIGN.md "Trust policy"), image references
// normalized like Docker's short names, scope selection, and the trust store directory.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/notation.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {

// "alpine" -> docker.io/library/alpine:latest; "registry.example.com:5000/fleet/app@sha256:.."
struct ImageReference {
    std::string registry;    // "docker.io", "registry.example.com:5000", "localhost"
    std::string repository;  // "library/alpine", "fleet/app"
    std::string tag;         // empty when the reference names only a digest
    std::optional<Digest> digest;

    std::string name() const;  // "registry/repository": what scopes match against
    std::string str() const;   // full normalized form
};
// Docker's normalization: no registry -> docker.io; docker.io single-component -> library/;
// a first component with '.' or ':' or equal to "localhost" is a registry; no tag and no digest
// -> tag "latest". Uppercase repository, empty components, bad tags -> Errc::usage.
Expected<ImageReference> parse_image_reference(std::string_view text);

// The reference a source names for its image (io.containerd.image.name, ref name, RepoTags), when
// it counts as one (DESIGN.md "CLI contract"): a full reference with a repository path
// ("registry.example.com/fleet/app:1.0"). A bare tag such as "1.0", or a name that does not parse,
// gives nullopt.
std::optional<ImageReference> reference_from_source_name(std::string_view name);

enum class PolicyMode { enforce, audit };
enum class DefaultAction { reject, audit };
// How a simple-signing payload's docker-reference must relate to the image reference:
// `repository` (default, cosign's own behaviour): same registry/repository; `exact`: the same
// normalized reference, tag or digest included (containers' matchExact).
enum class ReferenceMatch { repository, exact };

struct KeySigner {
    std::string path;  // relative to the trust directory, e.g. "keys/release.pub"
};
struct SigstoreSigner {
    std::string issuer, issuer_regexp, identity, identity_regexp;  // one of each pair is set
};
// A Notation-style signer (docs/trust-policy.md "x509 signers"): a chain anchored in a named
// store and a leaf whose subject holds the trusted identity.
struct X509Signer {
    std::string trust_store;               // "ca/<name>" or "signingAuthority/<name>"
    std::string subject;                   // as written: "C=US, ST=WA, O=Acme, CN=release"
    TrustedIdentity identity;              // `subject` parsed (parse_trusted_identity)
    std::optional<std::string> tsa_store;  // "tsa/<name>": RFC 3161 countersignatures required
    NotationLevel level;                   // "level" and "override" (strict by default)
    bool verify_timestamp_always = true;   // "verifyTimestamp": "always" | "afterCertExpiry"
};

struct SignerSpec {
    std::string name;
    std::optional<KeySigner> key;
    std::optional<SigstoreSigner> sigstore;
    std::optional<X509Signer> x509;
};

struct Scope {
    std::string name;
    std::string match;  // exact "registry/repo" or a glob ending in "*"
    PolicyMode mode = PolicyMode::enforce;
    int threshold = 1;
    bool require_transparency_log = false;
    ReferenceMatch reference_match = ReferenceMatch::repository;  // signatures.referenceMatch
    std::vector<SignerSpec> signers;
    Json rules = Json::object();  // image rules, interpreted by the rules stage
};

struct TrustPolicy {
    int version = 1;
    DefaultAction default_action = DefaultAction::reject;
    std::vector<Scope> scopes;
};

// Strict: unknown keys, wrong types, duplicate scope or signer names, a signer with zero or
// several kinds, threshold < 1 or above the signer count, a bad mode -> Errc::config with the
// JSON path ("policy.json: scopes[0].signatures.threshold: 3 exceeds the 2 signers").
Expected<TrustPolicy> parse_trust_policy(std::string_view text, std::string_view where);

// The scope for a reference: exact match beats glob; among globs the longest literal prefix
// wins; nullptr when none matches (the policy's default applies).
const Scope* select_scope(const TrustPolicy& policy, const ImageReference& reference);

struct TrustedKey {
    std::string path;  // as named in the policy, relative to the trust directory
    PublicKey key;
};

// A loaded trust directory: the policy and every key it names (and every keys/*.pub present).
struct TrustStore {
    std::string directory;
    TrustPolicy policy;
    std::map<std::string, TrustedKey> keys;  // by relative path
    // rekor/*.pub and the tlogs of sigstore/trusted_root.json (when present).
    std::vector<RekorKey> rekor_keys;
    // The Fulcio CAs of sigstore/trusted_root.json (certificateAuthorities), for keyless bundles.
    std::vector<CertificateAuthority> certificate_authorities;
    // Its timestamp authorities (timestampAuthorities): RFC 3161 timestamps of keyless bundles
    // verify with them (timestamp.hpp).
    std::vector<CertificateAuthority> timestamp_authorities;
    // The CT log keys of sigstore/trusted_root.json (ctlogs): the embedded SCTs of keyless
    // certificates verify with them (sct.hpp).
    std::vector<RekorKey> ct_logs;
    // vulnerabilities/feed.json and its detached signature feed.json.sig, when present: read here
    // (and counted in the digest), verified and parsed by the vulnerabilities rule (docs/rules.md).
    std::optional<std::string> vulnerability_feed, vulnerability_feed_signature;
    // The X.509 stores x509 signers name, by relative path ("ca/acme", "tsa/acme"), and the CRLs
    // of crl/ (loaded when some scope has an x509 signer; empty when crl/ is absent).
    std::map<std::string, X509Store> x509_stores;
    std::vector<RevocationList> crls;
    Digest digest;  // sha256 over the sorted (path, content) of every file loaded
};

// Loads DIR/policy.json, DIR/keys/*.pub, DIR/rekor/*.pub, DIR/sigstore/trusted_root.json (tlogs,
// certificateAuthorities and ctlogs) and DIR/vulnerabilities/feed.json{,.sig}, and for x509 signers the
// stores they name (DIR/ca|signingAuthority|tsa/<name>/, a missing one is an error naming the
// signer) and DIR/crl/. A key the loader does not understand is an error
// naming the file (never skipped); a signer naming a missing key file is an error. Errors are
// Errc::config, or not_found / permission_denied for an unreadable directory or policy.
Expected<TrustStore> load_trust_store(const std::string& directory);

}  // namespace edgeverify
