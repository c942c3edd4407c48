// x509 signers in policy.json (docs/trust-policy.md "x509 signers"): parsed strictly at load, the
// subject as a Notation trusted identity, Notation's levels mapped (strict/permissive, per-check
// override), and the named stores and crl/ loaded into the trust store and its digest.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "edgeverify/trust_policy.hpp"
#include "unit/core/integrity/referrer_layouts.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

// A policy with one scope and one x509 signer whose object is `x509`.
std::string policy_with(const std::string& x509) {
    return R"({"version":1,"scopes":[{"name":"fleet","match":"registry.example.com/fleet/*",)"
           R"("signatures":{"signers":[{"name":"release","x509":)" +
           x509 + "}]}}]}";
}

Expected<X509Signer> parse_signer(const std::string& x509) {
    auto policy = parse_trust_policy(policy_with(x509), "policy.json");
    if (!policy) return policy.take_error();
    return *policy->scopes.at(0).signers.at(0).x509;
}

std::string refusal(const std::string& x509) {
    auto signer = parse_signer(x509);
    REQUIRE_FALSE(signer.has_value());
    CHECK(signer.error().code == Errc::config);
    return signer.error().message;
}

const std::string kSigner = R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme, CN=release"})";
const std::filesystem::path kNotationData = std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / "notation";

}  // namespace

TEST_CASE("x509 signer: the DESIGN.md form parses, strict by default, the subject as an identity") {
    auto signer = parse_signer(kSigner);
    REQUIRE(signer.has_value());
    CHECK(signer->trust_store == "ca/acme");
    CHECK(signer->subject == "C=US, ST=WA, O=Acme, CN=release");
    CHECK(signer->identity.attributes == std::vector<std::pair<std::string, std::string>>{
                                             {"C", "US"}, {"ST", "WA"}, {"O", "Acme"}, {"CN", "release"}});
    CHECK(signer->level.authenticity == CheckAction::enforce);
    CHECK(signer->level.revocation == CheckAction::enforce);
    CHECK(signer->level.expiry == CheckAction::enforce);
    CHECK_FALSE(signer->tsa_store.has_value());
    CHECK(signer->verify_timestamp_always);
}

TEST_CASE("x509 signer: permissive level, overrides, a signingAuthority store, tsa and verifyTimestamp") {
    auto signer = parse_signer(
        R"({"trustStore":"signingAuthority/acme","subject":"x509.subject: C=US, S=WA, O=Acme","level":"permissive",)"
        R"("override":{"revocation":"skip","expiry":"enforce"},"tsaStore":"tsa/acme","verifyTimestamp":"afterCertExpiry"})");
    REQUIRE(signer.has_value());
    CHECK(signer->trust_store == "signingAuthority/acme");
    CHECK(signer->level.authenticity == CheckAction::enforce);
    CHECK(signer->level.authentic_timestamp == CheckAction::log);
    CHECK(signer->level.expiry == CheckAction::enforce);
    CHECK(signer->level.revocation == CheckAction::skip);
    CHECK(signer->tsa_store == std::optional<std::string>("tsa/acme"));
    CHECK_FALSE(signer->verify_timestamp_always);
}

TEST_CASE("x509 signer: bad stores, subjects, levels and overrides are refused naming the JSON path") {
    const std::string at = "policy.json: scopes[0].signatures.signers[0].x509.";
    CHECK(refusal(R"({"trustStore":"keys/acme","subject":"C=US, ST=WA, O=Acme"})") ==
          at + R"(trustStore: "keys/acme": expected "ca/<name>" or "signingAuthority/<name>")");
    CHECK(refusal(R"({"trustStore":"ca/acme/sub","subject":"C=US, ST=WA, O=Acme"})") ==
          at + R"(trustStore: "ca/acme/sub": expected "ca/<name>" or "signingAuthority/<name>")");
    CHECK(
        refusal(R"({"trustStore":"ca/..","subject":"C=US, ST=WA, O=Acme"})") ==
        at +
            R"(trustStore: "ca/.." must be a path relative to the trust directory (not absolute, no "..", "." or )"
            R"(empty components))");
    CHECK(refusal(R"({"trustStore":"ca","subject":"C=US, ST=WA, O=Acme"})") ==
          at + R"(trustStore: "ca": expected "ca/<name>" or "signingAuthority/<name>")");
    CHECK(
        refusal(R"({"trustStore":"ca/acme","subject":"C=US, O=Acme"})") ==
        at +
            R"(subject: trusted identity "x509.subject: C=US, O=Acme": C, ST (or S) and O are required; ST is missing)");
    CHECK(refusal(R"({"trustStore":"ca/acme"})") == at + "subject: required string is missing");
    CHECK(refusal(R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme","tsaStore":"ca/acme"})") ==
          at + R"(tsaStore: "ca/acme": expected "tsa/<name>")");
    CHECK(
        refusal(R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme","level":"audit"})") ==
        at +
            R"(level: "audit": expected "strict" or "permissive" (Notation's "audit" is the scope's "mode": "audit"; )"
            R"("skip" has no equivalent: every scope verifies signatures))");
    CHECK(
        refusal(
            R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme","override":{"authenticity":"log"}})") ==
        at + "override.authenticity: cannot be overridden: a signature counts toward the threshold only when "
             "its "
             "integrity and authenticity verify (use the scope's \"mode\": \"audit\" to admit images while "
             "recording failures)");
    CHECK(
        refusal(R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme","override":{"expiry":"skip"}})") ==
        at + R"(override.expiry: "skip": expected "enforce" or "log")");
    CHECK(
        refusal(R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme","override":{"Expiry":"log"}})") ==
        at + "override.Expiry: unknown key");
    CHECK(refusal(R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme","verifyTimestamp":"never"})") ==
          at + R"(verifyTimestamp: "never": expected "always" or "afterCertExpiry")");
    CHECK(refusal(R"({"trustStore":"ca/acme","subject":"C=US, ST=WA, O=Acme","trustedIdentities":["*"]})") ==
          at + "trustedIdentities: unknown key");
}

TEST_CASE("trust store: the named store and crl/ are loaded and change the digest") {
    TempDir dir;
    const std::filesystem::path root = dir.path();
    write_file(root / "policy.json", policy_with(kSigner));
    write_file(root / "ca/acme/root.pem", read_bytes(kNotationData / "root.crt"));
    auto without_crl = load_trust_store(dir.path());
    REQUIRE(without_crl.has_value());
    REQUIRE(without_crl->x509_stores.count("ca/acme") == 1);
    CHECK(without_crl->x509_stores.at("ca/acme").kind == X509StoreKind::ca);
    CHECK(without_crl->x509_stores.at("ca/acme").certificates.size() == 1);
    CHECK(without_crl->crls.empty());

    write_file(root / "crl/intermediate.crl", read_bytes(kNotationData / "intermediate.crl"));
    auto with_crl = load_trust_store(dir.path());
    REQUIRE(with_crl.has_value());
    CHECK(with_crl->crls.size() == 1);
    CHECK_FALSE(with_crl->digest == without_crl->digest);

    write_file(root / "ca/acme/root.pem", read_bytes(kNotationData / "foreign-root.crt"));
    auto other_root = load_trust_store(dir.path());
    REQUIRE(other_root.has_value());
    CHECK_FALSE(other_root->digest == with_crl->digest);
}

TEST_CASE("trust store: a store the policy names that is missing is a config error naming the signer") {
    TempDir dir;
    write_file(std::filesystem::path(dir.path()) / "policy.json", policy_with(kSigner));
    auto store = load_trust_store(dir.path());
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == Errc::config);
    CHECK(store.error().message == dir.path() +
                                       "/policy.json: scopes[0].signatures.signers[0].x509.trustStore: " +
                                       "trust store \"ca/acme\" does not exist in " + dir.path());
}

TEST_CASE("trust store: a sub-directory inside a named store is refused by name") {
    TempDir dir;
    const std::filesystem::path root = dir.path();
    write_file(root / "policy.json", policy_with(kSigner));
    write_file(root / "ca/acme/root.pem", read_bytes(kNotationData / "root.crt"));
    write_file(root / "ca/acme/nested/root.pem", read_bytes(kNotationData / "root.crt"));
    auto store = load_trust_store(dir.path());
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == Errc::config);
    CHECK(store.error().message == dir.path() + "/ca/acme/nested: not a regular file");
}
