// The vulnerabilityAttestation rule: the cosign vuln/v1 predicate subset (Trivy results), the
// rule's strict options, and its decisions on DSSE envelopes and bundles signed here (exact
// evidence). The integration test signs with the openssl CLI instead.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/rules.hpp"
#include "edgeverify/sigstore_bundle.hpp"

namespace edgeverify {
namespace {

const std::string kImageHex(64, 'a');
const std::string kImage = "sha256:" + kImageHex;
constexpr const char* kNow = "2026-11-28T00:00:00Z";

// A Trivy-style vulnerability entry.
std::string vuln(const std::string& id, const std::string& package, const std::string& severity,
                 const std::string& fixed = "") {
    return R"({"VulnerabilityID":")" + id + R"(","PkgName":")" + package +
           R"(","InstalledVersion":"1.0-1",)" +
           (fixed.empty() ? "" : R"("FixedVersion":")" + fixed + R"(",)") + R"("Severity":")" + severity +
           R"(","Title":"ignored"})";
}

// The statement cosign attest --type vuln writes around `trivy --format cosign-vuln`.
std::string statement(const std::string& vulnerabilities,
                      const std::string& finished = "2026-11-27T12:00:00Z",
                      const std::string& subject_hex = kImageHex,
                      const std::string& predicate_type = "https://cosign.sigstore.dev/attestation/vuln/v1") {
    return R"({"_type":"https://in-toto.io/Statement/v0.1","predicateType":")" + predicate_type +
           R"(","subject":[{"name":"registry.example.com/fleet/app","digest":{"sha256":")" + subject_hex +
           R"("}}],"predicate":{"invocation":{"parameters":null,"uri":"","event_id":"","builder.id":""},)"
           R"("scanner":{"uri":"pkg:github/aquasecurity/trivy@v0.57.0","version":"0.57.0",)"
           R"("db":{"uri":"","version":"2"},"result":{"SchemaVersion":2,"ArtifactName":"app",)"
           R"("Results":[{"Target":"app, debian 12.8","Class":"os-pkgs","Vulnerabilities":[)" +
           vulnerabilities +
           R"(]},{"Target":"Java","Class":"lang-pkgs"}]}},)"
           R"("metadata":{"scanStartedOn":"2026-11-27T11:59:00Z","scanFinishedOn":")" +
           finished + R"("}}})";
}

struct Signer {
    PrivateKey key;
};
Signer make_signer() {
    auto key = generate_ecdsa_p256_key();
    REQUIRE(key);
    return {std::move(*key)};
}

// A cosign .att layer: a standalone DSSE envelope over the statement.
AttestationCandidate envelope(const Signer& signer, const std::string& payload, const std::string& origin) {
    auto sig = signer.key.sign(dsse_pae("application/vnd.in-toto+json", payload));
    REQUIRE(sig);
    AttestationCandidate c;
    c.origin = origin;
    c.document = R"({"payloadType":"application/vnd.in-toto+json","payload":")" + base64_encode(payload) +
                 R"(","signatures":[{"keyid":"","sig":")" + base64_encode(*sig) + R"("}]})";
    return c;
}

struct Fixture {
    Signer scanner = make_signer();
    Signer other = make_signer();
    TrustStore store;
    std::vector<AttestationCandidate> found;
    Fixture() {
        store.keys.emplace("keys/scanner.pub",
                           TrustedKey{"keys/scanner.pub", scanner.key.public_key().value()});
    }

    RuleResult check(const VulnerabilityAttestationRule& rule) const {
        RuleContext context;
        context.manifest_digest = kImage;
        context.clock_now = *parse_rfc3339_seconds(kNow);
        context.attestations = &found;
        context.store = &store;
        return check_vulnerability_attestation(rule, context, RuleOutcome::fail);
    }
};

VulnerabilityAttestationRule rule_with(Severity minimum = Severity::low) {
    VulnerabilityAttestationRule rule;
    rule.keys = {"keys/scanner.pub"};
    rule.min_severity = minimum;
    return rule;
}

const std::string kAbout =
    "scan by pkg:github/aquasecurity/trivy@v0.57.0 0.57.0 finished 2026-11-27T12:00:00Z, "
    "sha256-aaaa.att layer 1/1 signed with keys/scanner.pub";
const std::string kOrigin = "sha256-aaaa.att layer 1/1";

void check_statement_refused(const std::string& text, const std::string& message) {
    auto parsed = parse_vulnerability_statement(text, "att");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::schema_violation);
    CHECK(parsed.error().message == message);
}

}  // namespace

TEST_SUITE("vulnerability attestation predicate") {
    TEST_CASE("a Trivy cosign-vuln statement is read: scanner, finish time, findings") {
        auto scan =
            parse_vulnerability_statement(statement(vuln("CVE-1", "libc6", "CRITICAL", "2.36-9+deb12u9") +
                                                    "," + vuln("CVE-2", "zlib1g", "UNKNOWN")),
                                          "att");
        REQUIRE(scan);
        CHECK(scan->scanner_uri == "pkg:github/aquasecurity/trivy@v0.57.0");
        CHECK(scan->scanner_version == "0.57.0");
        CHECK(scan->db_version == "2");
        CHECK(scan->scan_finished == "2026-11-27T12:00:00Z");
        CHECK(scan->scan_finished_seconds == *parse_rfc3339_seconds("2026-11-27T12:00:00Z"));
        REQUIRE(scan->subjects.size() == 1);
        CHECK(scan->subjects[0].str() == kImage);
        REQUIRE(scan->findings.size() == 2);
        CHECK(scan->findings[0].id == "CVE-1");
        CHECK(scan->findings[0].package == "libc6");
        CHECK(scan->findings[0].installed_version == "1.0-1");
        CHECK(scan->findings[0].fixed_version == "2.36-9+deb12u9");
        CHECK(scan->findings[0].severity == Severity::critical);
        CHECK(scan->findings[1].severity == std::nullopt);  // UNKNOWN
        CHECK(scan->findings[1].fixed_version.empty());
    }
    TEST_CASE("a scan with no findings and results without Vulnerabilities") {
        auto scan = parse_vulnerability_statement(statement(""), "att");
        REQUIRE(scan);
        CHECK(scan->findings.empty());
    }
    TEST_CASE("refusals name the JSON path") {
        check_statement_refused(
            statement("", "2026-11-27T12:00:00Z", kImageHex, "https://slsa.dev/provenance/v1"),
            "att: predicateType: \"https://slsa.dev/provenance/v1\" is not "
            "https://cosign.sigstore.dev/attestation/vuln/v1");
        check_statement_refused(
            statement("", "0001-01-01T00:00:00Z"),
            "att: predicate.metadata.scanFinishedOn: is the zero time: the scan did not say "
            "when it finished");
        check_statement_refused(
            statement("", "yesterday"),
            "att: predicate.metadata.scanFinishedOn: \"yesterday\" is not an RFC 3339 time");
        check_statement_refused(
            statement(vuln("CVE-1", "libc6", "SEVERE")),
            "att: predicate.scanner.result.Results[0].Vulnerabilities[0].Severity: \"SEVERE\" "
            "is not CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN");
        check_statement_refused(
            statement(R"({"PkgName":"x","Severity":"LOW"})"),
            "att: predicate.scanner.result.Results[0].Vulnerabilities[0].VulnerabilityID: missing");
        check_statement_refused(
            R"({"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cosign.sigstore.dev/attestation/vuln/v1",)"
            R"("subject":[{"digest":{"sha256":")" +
                kImageHex +
                R"("}}],"predicate":{"scanner":{"result":{"matches":[]}},"metadata":{"scanFinishedOn":"2026-11-27T12:00:00Z"}}})",
            "att: predicate.scanner.result: not a Trivy JSON report (no SchemaVersion or Results)");
    }
}

TEST_SUITE("vulnerabilityAttestation rule") {
    TEST_CASE("options are strict") {
        const auto parse = [](const std::string& text) {
            auto json = parse_json_strict(text, "test");
            REQUIRE(json);
            return parse_rules_policy(*json, "policy.json", "scopes[0].rules");
        };
        auto ok = parse(R"({"vulnerabilityAttestation": {"keys": ["keys/scanner.pub"], "minSeverity": "HIGH",
                             "maxScanAgeDays": 7, "allow": ["CVE-1"], "mode": "audit"}})");
        REQUIRE(ok);
        REQUIRE(ok->vulnerability_attestation);
        CHECK(ok->vulnerability_attestation->min_severity == Severity::high);
        CHECK(ok->vulnerability_attestation->max_scan_age_days == 7);
        CHECK(ok->vulnerability_attestation->mode == RuleMode::audit);
        auto no_keys = parse(R"({"vulnerabilityAttestation": {"minSeverity": "HIGH"}})");
        REQUIRE_FALSE(no_keys);
        CHECK(no_keys.error().message ==
              "policy.json: scopes[0].rules.vulnerabilityAttestation.keys: missing or empty: the trust-store "
              "keys "
              "that sign vulnerability attestations (keyless signers are not verified by this build)");
        auto unknown = parse(R"({"vulnerabilityAttestation": {"keys": ["k"], "signer": "x"}})");
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().message ==
              "policy.json: scopes[0].rules.vulnerabilityAttestation.signer: unknown key");
        auto severity = parse(R"({"vulnerabilityAttestation": {"keys": ["k"], "minSeverity": "high"}})");
        REQUIRE_FALSE(severity);
        CHECK(severity.error().message ==
              "policy.json: scopes[0].rules.vulnerabilityAttestation.minSeverity: "
              "\"high\" is not \"LOW\", \"MEDIUM\", \"HIGH\" or \"CRITICAL\"");
    }
    TEST_CASE("a clean signed scan passes") {
        Fixture f;
        f.found.push_back(envelope(f.scanner, statement(""), kOrigin));
        const RuleResult r = f.check(rule_with());
        CHECK(r.rule == "vulnerabilityAttestation");
        CHECK(r.outcome == RuleOutcome::pass);
        CHECK(r.evidence == "no finding at or above LOW (" + kAbout + ")");
    }
    TEST_CASE(
        "a CRITICAL finding fails, naming id, severity and package; lower ones and allowed ones are listed") {
        Fixture f;
        f.found.push_back(
            envelope(f.scanner,
                     statement(vuln("CVE-1", "libc6", "CRITICAL", "2.0-1") + "," +
                               vuln("CVE-2", "zlib1g", "MEDIUM") + "," + vuln("CVE-3", "bash", "HIGH")),
                     kOrigin));
        VulnerabilityAttestationRule rule = rule_with(Severity::high);
        rule.allow = {"CVE-3"};
        const RuleResult r = f.check(rule);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence ==
              "1 finding at or above HIGH (or UNKNOWN): libc6 1.0-1 has CVE-1 (CRITICAL, fixed in 2.0-1); "
              "below HIGH: "
              "zlib1g 1.0-1 has CVE-2 (MEDIUM, no fixed version listed); allowed: bash 1.0-1 has CVE-3 "
              "(HIGH, no "
              "fixed version listed) (" +
                  kAbout + ")");
    }
    TEST_CASE("an UNKNOWN severity blocks whatever minSeverity") {
        Fixture f;
        f.found.push_back(envelope(f.scanner, statement(vuln("CVE-9", "zlib1g", "UNKNOWN")), kOrigin));
        const RuleResult r = f.check(rule_with(Severity::critical));
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence ==
              "1 finding at or above CRITICAL (or UNKNOWN): zlib1g 1.0-1 has CVE-9 (UNKNOWN, no fixed "
              "version listed) (" +
                  kAbout + ")");
    }
    TEST_CASE("a stale scan fails; now is never behind the time floor") {
        Fixture f;
        f.found.push_back(envelope(f.scanner, statement("", "2026-11-10T00:00:00Z"), kOrigin));
        VulnerabilityAttestationRule rule = rule_with();
        rule.max_scan_age_days = 30;
        CHECK(f.check(rule).outcome == RuleOutcome::pass);
        rule.max_scan_age_days = 7;
        const RuleResult r = f.check(rule);
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence ==
              "the newest verified scan is 18 days old, over maxScanAgeDays 7 (now 2026-11-28T00:00:00Z; "
              "scan by pkg:github/aquasecurity/trivy@v0.57.0 0.57.0 finished 2026-11-10T00:00:00Z, " +
                  kOrigin + " signed with keys/scanner.pub)");
    }
    TEST_CASE("the newest verified scan decides") {
        Fixture f;
        f.found.push_back(envelope(
            f.scanner, statement(vuln("CVE-1", "libc6", "CRITICAL"), "2026-11-20T00:00:00Z"), "old"));
        f.found.push_back(envelope(f.scanner, statement(""), kOrigin));
        CHECK(f.check(rule_with()).outcome == RuleOutcome::pass);
    }
    TEST_CASE("unsigned by the rule's keys, about another image, keyless, or none: refused") {
        Fixture f;
        CHECK(f.check(rule_with()).evidence ==
              "no vulnerability attestation (predicate type https://cosign.sigstore.dev/attestation/vuln/v1) "
              "was "
              "found for the image (cosign .att or Sigstore bundle referrer)");
        f.found.push_back(envelope(f.other, statement(""), "wrong-signer"));
        f.found.push_back(
            envelope(f.scanner, statement("", "2026-11-27T12:00:00Z", std::string(64, 'b')), "other-image"));
        AttestationCandidate keyless = envelope(f.scanner, statement(""), "keyless");
        keyless.annotations["dev.sigstore.cosign/certificate"] = "-----BEGIN CERTIFICATE-----";
        f.found.push_back(keyless);
        const RuleResult r = f.check(rule_with());
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence ==
              "no vulnerability attestation verifies: wrong-signer: the DSSE signature does not verify "
              "with keys/scanner.pub; other-image: in-toto subject sha256:" +
                  std::string(64, 'b') + ", not this image (manifest " + kImage +
                  "); keyless: keyless (certificate) "
                  "attestations need Fulcio verification, not in this build (issue 8)");
    }
    TEST_CASE("a Sigstore bundle's DSSE envelope is verified the same way") {
        Fixture f;
        auto bundle = make_key_dsse_bundle(f.scanner.key, "application/vnd.in-toto+json",
                                           statement(vuln("CVE-1", "libc6", "CRITICAL")));
        REQUIRE(bundle);
        f.found.push_back({AttestationCandidate::Form::sigstore_bundle, "referrer sha256:cc", *bundle, {}});
        const RuleResult r = f.check(rule_with());
        CHECK(r.outcome == RuleOutcome::fail);
        CHECK(r.evidence.starts_with(
            "1 finding at or above LOW (or UNKNOWN): libc6 1.0-1 has CVE-1 (CRITICAL, no "
            "fixed version listed) (scan by"));
        CHECK(r.evidence.ends_with("referrer sha256:cc signed with keys/scanner.pub)"));
        auto other = make_key_dsse_bundle(f.other.key, "application/vnd.in-toto+json", statement(""));
        REQUIRE(other);
        f.found = {{AttestationCandidate::Form::sigstore_bundle, "referrer sha256:dd", *other, {}}};
        CHECK(f.check(rule_with()).evidence ==
              "no vulnerability attestation verifies: referrer sha256:dd: the DSSE signature does not verify "
              "with "
              "keys/scanner.pub");
    }
}

}  // namespace edgeverify
