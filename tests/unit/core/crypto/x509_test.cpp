// The Sigstore side of x509.hpp: the extension list, path validation at a verified time and the
// Fulcio identity, on a real Fulcio leaf of sigstore-conformance and the production trusted root's
// CA chain, read in place. Without the vectors each case says so and passes.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edgeverify/json.hpp"
#include "unit/core/notation/notation_fixtures.hpp"
#include "edgeverify/x509.hpp"

using namespace edgeverify;

namespace {

std::filesystem::path conformance() {
    const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS");
    const std::filesystem::path base = env ? std::filesystem::path(env)
                                           : std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." /
                                                 ".." / "shared" / "vectors";
    return base / "sigstore-conformance";
}

Json read_json(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    auto json = parse_json_strict(out.str(), path.string());
    REQUIRE(json);
    return std::move(*json);
}

Certificate cert_of(const std::string& b64) {
    auto der = base64_decode(b64, "test");
    REQUIRE(der);
    auto cert = parse_certificate_der(*der, "test");
    REQUIRE(cert);
    return std::move(*cert);
}

struct Fulcio {
    Certificate leaf;
    std::vector<Certificate> chain;   // the production root's second CA: intermediate, root
    std::int64_t integrated_time = 0;
};

std::optional<Fulcio> load() {
    const auto bundle_path = conformance() / "bundle-verify" / "happy-path-v0.3-new-mediaType" / "bundle.sigstore.json";
    if (!std::filesystem::exists(bundle_path)) {
        MESSAGE("sigstore-conformance not found at " << bundle_path.string() << ": nothing asserted");
        return std::nullopt;
    }
    const Json bundle = read_json(bundle_path);
    const Json root = read_json(conformance() / "_default_trusted_root" / "production_trusted_root.json");
    Fulcio f{cert_of(bundle["verificationMaterial"]["certificate"]["rawBytes"].get<std::string>()), {}, 0};
    for (const Json& c : root["certificateAuthorities"][1]["certChain"]["certificates"])
        f.chain.push_back(cert_of(c["rawBytes"].get<std::string>()));
    f.integrated_time = std::stoll(bundle["verificationMaterial"]["tlogEntries"][0]["integratedTime"].get<std::string>());
    return f;
}

}  // namespace

TEST_CASE("x509: a Fulcio leaf parses with its 10-minute window, code-signing EKU, SAN and issuer") {
    auto f = load();
    if (!f) return;
    CHECK(f->leaf.not_before == 1710869186);  // 2024-03-19T17:26:26Z, as openssl prints it
    CHECK(f->leaf.not_after - f->leaf.not_before == 600);
    CHECK(has_code_signing_eku(f->leaf));
    CHECK(has_code_signing_eku(f->chain[0]));  // sigstore-intermediate lists it too
    CHECK_FALSE(has_code_signing_eku(f->chain[1]));  // the root has no extendedKeyUsage
    CHECK_FALSE(f->leaf.is_ca);
    CHECK(f->chain[0].is_ca);
    CHECK(f->chain[1].is_ca);
    CHECK(certificate_san(f->leaf) ==
          "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          "extremely-dangerous-oidc-beacon.yml@refs/heads/main");
    CHECK(certificate_oidc_issuer(f->leaf) == "https://token.actions.githubusercontent.com");
    const CertificateExtension* san = f->leaf.extension("2.5.29.17");
    REQUIRE(san != nullptr);
    CHECK(san->critical);
    const CertificateExtension* issuer = f->leaf.extension("1.3.6.1.4.1.57264.1.8");
    REQUIRE(issuer != nullptr);
    CHECK_FALSE(issuer->critical);
    CHECK(issuer->value == "\x0C\x2B" "https://token.actions.githubusercontent.com");
    const CertificateExtension* sct = f->leaf.extension("1.3.6.1.4.1.11129.2.4.2");
    REQUIRE(sct != nullptr);  // the embedded SCT list, kept for B.4 step 5
    CHECK_FALSE(sct->critical);
    CHECK(f->leaf.extension("1.2.3.4") == nullptr);
    // The TBS bytes sit right after the outer SEQUENCE header (30 82 LL LL) of the certificate.
    CHECK(f->leaf.der.compare(4, f->leaf.tbs_der.size(), f->leaf.tbs_der) == 0);
    CHECK(f->leaf.tbs_der.find(f->leaf.spki_der) != std::string::npos);
}

TEST_CASE("x509: the path validates at the integrated time, and not after the leaf expired") {
    auto f = load();
    if (!f) return;
    CHECK(verify_path_at(f->leaf, f->chain, f->integrated_time));
    CHECK(verify_path_at(f->leaf, f->chain, f->leaf.not_after));  // inclusive
    auto late = verify_path_at(f->leaf, f->chain, f->leaf.not_after + 1);
    REQUIRE_FALSE(late);
    CHECK(late.error().code == Errc::untrusted);
    CHECK(late.error().message.starts_with("the signing certificate is not valid at "));
    auto early = verify_path_at(f->leaf, f->chain, f->leaf.not_before - 1);
    CHECK(early.error().code == Errc::untrusted);
}

TEST_CASE("x509: a broken link, a leaf as issuer, or a missing intermediate is refused") {
    auto f = load();
    if (!f) return;
    // A byte near the end of the TBS (inside the SCT list, which still parses) flipped.
    std::string der = f->leaf.der;
    der[4 + f->leaf.tbs_der.size() - 5] ^= 1;
    auto tampered = parse_certificate_der(der, "tampered");
    REQUIRE(tampered);
    auto broken = verify_path_at(*tampered, f->chain, f->integrated_time);
    CHECK(broken.error().code == Errc::signature_invalid);
    auto skipped = verify_path_at(f->leaf, {f->chain[1]}, f->integrated_time);
    CHECK(skipped.error().code == Errc::signature_invalid);  // issuer name is the intermediate's
    auto leaf_issuer = verify_path_at(f->chain[0], {f->leaf}, f->integrated_time);
    CHECK(leaf_issuer.error().message == "CA certificate 0 is not a CA");
    CHECK(verify_path_at(f->leaf, {}, f->integrated_time).error().code == Errc::untrusted);
}

TEST_CASE("x509: malformed certificates are key_malformed, as every certificate error") {
    CHECK(parse_certificate_der("", "c").error().code == Errc::key_malformed);
    CHECK(parse_certificate_der(std::string("\x30\x03\x02\x01\x01", 5), "c").error().code == Errc::key_malformed);
    auto f = load();
    if (!f) return;
    std::string truncated = f->leaf.der.substr(0, f->leaf.der.size() - 1);
    auto cut = parse_certificate_der(truncated, "c");
    REQUIRE_FALSE(cut);
    CHECK(cut.error().code == Errc::key_malformed);
    CHECK(cut.error().message.starts_with("c: not an X.509 certificate ("));
}

TEST_CASE("x509: an extension OID repeated is malformed (RFC 5280 4.2), though mbedTLS ignores unknown ones") {
    auto f = load();
    if (!f) return;
    // Rename the legacy issuer extension .1.1 to .1.8, which the leaf already has: same length.
    const std::string legacy_issuer("\x06\x0a\x2b\x06\x01\x04\x01\x83\xbf\x30\x01\x01", 12);
    std::string der = f->leaf.der;
    const std::size_t at = der.find(legacy_issuer);
    REQUIRE(at != std::string::npos);
    der[at + legacy_issuer.size() - 1] = '\x08';
    auto twice = parse_certificate_der(der, "c");
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == Errc::key_malformed);
    CHECK(twice.error().message == "c: certificate extensions: 1.3.6.1.4.1.57264.1.8 appears twice");
}

TEST_CASE("x509: verify_path_at enforces the issuers' pathLenConstraint (Notation fixtures, no vectors needed)") {
    using notation_test::certificate;
    const Certificate intermediate = certificate("intermediate.crt"), root = certificate("root.crt");
    CHECK(verify_path_at(certificate("leaf.crt"), {intermediate, root}, notation_test::kNow));
    // sub-ca sits below the pathlen:0 intermediate, so the leaf's path has one CA too many.
    auto deep = verify_path_at(certificate("leaf-under-sub-ca.crt"), {certificate("sub-ca.crt"), intermediate, root},
                               notation_test::kNow);
    REQUIRE_FALSE(deep);
    CHECK(deep.error().code == Errc::untrusted);
    CHECK(deep.error().message == "CA certificate 1 allows 0 CA certificates below it, the path has 1");
}
