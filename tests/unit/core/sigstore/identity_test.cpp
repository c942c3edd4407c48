// check_sigstore_identity (sigstore_identity.hpp) on the happy-path-v0.3 Fulcio leaf of
// sigstore-conformance, read in place: exact values, search-semantics regexes and the
// unanchored-regex trap. Without the vectors each case says so and passes.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "edgeverify/json.hpp"
#include "edgeverify/sigstore_identity.hpp"

using namespace edgeverify;

namespace {

const std::string kIdentity =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const std::string kIssuer = "https://token.actions.githubusercontent.com";

std::optional<Certificate> leaf() {
    const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS");
    const std::filesystem::path base = env ? std::filesystem::path(env)
                                           : std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." /
                                                 ".." / "shared" / "vectors";
    const auto path = base / "sigstore-conformance" / "bundle-verify" / "happy-path-v0.3-new-mediaType" /
                      "bundle.sigstore.json";
    if (!std::filesystem::exists(path)) {
        MESSAGE("sigstore-conformance not found at " << path.string() << ": nothing asserted");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto bundle = parse_json_strict(text.str(), "bundle");
    REQUIRE(bundle);
    auto der = base64_decode((*bundle)["verificationMaterial"]["certificate"]["rawBytes"].get<std::string>(), "b");
    REQUIRE(der);
    auto cert = parse_certificate_der(*der, "leaf");
    REQUIRE(cert);
    return std::move(*cert);
}

}  // namespace

TEST_CASE("sigstore identity: exact SAN and issuer match; any other value is untrusted") {
    auto cert = leaf();
    if (!cert) return;
    CHECK(check_sigstore_identity(SigstoreSigner{kIssuer, {}, kIdentity, {}}, *cert));
    auto other = check_sigstore_identity(SigstoreSigner{kIssuer, {}, "a@tny.town", {}}, *cert);
    REQUIRE_FALSE(other);
    CHECK(other.error().code == Errc::untrusted);
    CHECK(other.error().message == "certificate identity (SAN) " + kIdentity + " is not a@tny.town");
    auto issuer = check_sigstore_identity(SigstoreSigner{"https://github.com/login/oauth", {}, kIdentity, {}}, *cert);
    CHECK(issuer.error().message == "certificate OIDC issuer " + kIssuer + " is not https://github.com/login/oauth");
}

TEST_CASE("sigstore identity: regexes search, so an unanchored pattern matches inside the value") {
    auto cert = leaf();
    if (!cert) return;
    // The trap: "sigstore-conformance" is found anywhere in the SAN, as Go's MatchString would.
    CHECK(check_sigstore_identity(SigstoreSigner{{}, "githubusercontent", {}, "sigstore-conformance"}, *cert));
    CHECK(check_sigstore_identity(
        SigstoreSigner{{}, "^https://token\\.actions\\.githubusercontent\\.com$", {}, "^https://github\\.com/sigstore-conformance/.*@refs/heads/main$"},
        *cert));
    auto anchored = check_sigstore_identity(SigstoreSigner{kIssuer, {}, {}, "^https://github\\.com/sigstore-conformance/$"}, *cert);
    CHECK(anchored.error().code == Errc::untrusted);
    auto broken = check_sigstore_identity(SigstoreSigner{kIssuer, {}, {}, "("}, *cert);
    CHECK(broken.error().code == Errc::config);
}
