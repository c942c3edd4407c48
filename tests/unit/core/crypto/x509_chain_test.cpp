// X.509 chains for Notation: link signatures, the C.5 certificate rules, validity at a given
// time, anchoring in a named store, and revocation from local CRLs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "unit/core/notation/notation_fixtures.hpp"
#include "edgeverify/x509.hpp"

using namespace edgeverify;
using notation_test::certificate;
using notation_test::kNow;

namespace {

X509Store store_of(std::vector<std::string> names) {
    X509Store store;
    store.name = "test";
    for (const auto& name : names) store.certificates.push_back(certificate(name));
    return store;
}

ChainCheck at(std::int64_t when) {
    ChainCheck check;
    check.at = when;
    return check;
}

}  // namespace

TEST_SUITE("crypto") {
    TEST_CASE("x509 parse reads subject, extensions and their criticality") {
        const Certificate leaf = certificate("leaf.crt");
        REQUIRE(!leaf.der.empty());
        CHECK(leaf.subject_text == "C=US, ST=WA, L=Seattle, O=Edgeverify Test, CN=leaf");
        CHECK(leaf.has_key_usage);
        CHECK(leaf.key_usage_critical);
        CHECK(leaf.key_usage == key_usage::digital_signature);
        CHECK(leaf.extended_key_usage == std::vector<std::string>{"1.3.6.1.5.5.7.3.3"});
        CHECK(!leaf.is_ca);
        CHECK(!leaf.has_revocation_pointers);
        const Certificate intermediate = certificate("intermediate.crt");
        CHECK(intermediate.is_ca);
        CHECK(intermediate.basic_constraints_critical);
        CHECK(intermediate.max_path_length == 0);
        CHECK(certificate("leaf-crl.crt").has_revocation_pointers);
        CHECK(certificate("root.crt").self_issued());
    }

    TEST_CASE("x509 parse refuses junk and trailing bytes") {
        CHECK(parse_certificate_der("not a certificate", "junk").error().code == Errc::key_malformed);
        const Certificate leaf = certificate("leaf.crt");
        CHECK(parse_certificate_der(leaf.der + "x", "trailing").error().code == Errc::key_malformed);
        CHECK(parse_certificates_file("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "pem")
                  .error().code == Errc::key_malformed);
    }

    TEST_CASE("a complete chain anchored at its root validates at a time inside its validity") {
        const std::vector<Certificate> chain = {certificate("leaf.crt"), certificate("intermediate.crt"),
                                                certificate("root.crt")};
        auto result = validate_certificate_chain(chain, store_of({"root.crt"}), at(kNow));
        REQUIRE(result);
        CHECK(result->revocation == RevocationStatus::not_checked);
        // Anchoring at the intermediate is equality with any chain certificate, as notation-go.
        CHECK(validate_certificate_chain(chain, store_of({"intermediate.crt"}), at(kNow)));
    }

    TEST_CASE("chains that break a rule are refused with the reason") {
        const Certificate root = certificate("root.crt"), intermediate = certificate("intermediate.crt");
        const auto refused = [&](std::vector<Certificate> chain, const X509Store& store, std::int64_t when,
                                 const std::string& reason) {
            auto result = validate_certificate_chain(chain, store, at(when));
            REQUIRE(!result);
            CHECK(result.error().code == Errc::untrusted);
            CHECK(result.error().message.find(reason) != std::string::npos);
        };
        const X509Store roots = store_of({"root.crt"});
        refused({certificate("leaf.crt"), intermediate, root}, store_of({"foreign-root.crt"}), kNow, "contains no certificate");
        refused({certificate("leaf.crt"), intermediate}, roots, kNow, "self-signed root");
        refused({certificate("leaf.crt"), intermediate, root}, roots, 946684800, "not yet valid");  // 2000
        refused({certificate("leaf.crt"), intermediate, root}, roots, 6000000000, "expired");     // 2160
        refused({certificate("leaf-server-auth.crt"), intermediate, root}, roots, kNow, "1.3.6.1.5.5.7.3.1");
        refused({certificate("leaf-ku-not-critical.crt"), intermediate, root}, roots, kNow, "critical keyUsage");
        refused({certificate("leaf-key-encipherment.crt"), intermediate, root}, roots, kNow, "more than signing");
        refused({certificate("leaf-under-loose.crt"), certificate("intermediate-loose.crt"), root}, roots, kNow,
                "critical basicConstraints");
        refused({intermediate, root}, roots, kNow, "lacks digitalSignature");
        // pathLenConstraint 0 on the intermediate: no CA may sit below it.
        refused({certificate("leaf-under-sub-ca.crt"), certificate("sub-ca.crt"), intermediate, root}, roots, kNow,
                "pathLenConstraint 0");
    }

    TEST_CASE("a link whose issuer did not sign it is a signature error") {
        const std::vector<Certificate> chain = {certificate("leaf.crt"), certificate("intermediate-loose.crt"),
                                                certificate("root.crt")};
        // leaf names "intermediate" as issuer, so the name check fails first.
        auto result = validate_certificate_chain(chain, store_of({"root.crt"}), at(kNow));
        REQUIRE(!result);
        CHECK(result.error().message.find("is not the subject of the next certificate") != std::string::npos);
    }

    TEST_CASE("revocation from a local CRL: revoked, good, and unknown without the CRL") {
        const auto dir = std::filesystem::path(notation_test::fixture_path("intermediate.crl")).parent_path();
        const auto temp = std::filesystem::temp_directory_path() / "edgeverify-crl-test";
        std::filesystem::remove_all(temp);
        std::filesystem::create_directories(temp);
        std::filesystem::copy_file(dir / "intermediate.crl", temp / "intermediate.crl");
        auto crls = load_revocation_lists(temp.string());
        std::filesystem::remove_all(temp);
        REQUIRE(crls);
        REQUIRE(crls->size() == 1);
        const Certificate intermediate = certificate("intermediate.crt"), root = certificate("root.crt");
        ChainCheck check = at(kNow);
        check.crls = &*crls;
        auto revoked = validate_certificate_chain({certificate("leaf-revoked.crt"), intermediate, root},
                                                  store_of({"root.crt"}), check);
        REQUIRE(revoked);
        CHECK(revoked->revocation == RevocationStatus::revoked);
        auto good = validate_certificate_chain({certificate("leaf-crl.crt"), intermediate, root}, store_of({"root.crt"}), check);
        REQUIRE(good);
        CHECK(good->revocation == RevocationStatus::good);
        const std::vector<RevocationList> none;
        check.crls = &none;
        auto unknown = validate_certificate_chain({certificate("leaf-crl.crt"), intermediate, root}, store_of({"root.crt"}), check);
        REQUIRE(unknown);
        CHECK(unknown->revocation == RevocationStatus::unknown);
        // No CRL distribution point and no OCSP: "not revoked" (the Notary Project rule).
        auto no_pointer = validate_certificate_chain({certificate("leaf.crt"), intermediate, root}, store_of({"root.crt"}), check);
        REQUIRE(no_pointer);
        CHECK(no_pointer->revocation == RevocationStatus::good);
        CHECK(load_revocation_lists("/nonexistent/edgeverify/crl")->empty());
    }

    TEST_CASE("named stores admit CA and self-signed certificates and refuse leaves, symlinks, stray files") {
        const auto temp = std::filesystem::temp_directory_path() / "edgeverify-x509-store-test";
        std::filesystem::remove_all(temp);
        std::filesystem::create_directories(temp / "good");
        std::filesystem::copy_file(notation_test::fixture_path("root.crt"), temp / "good" / "root.pem");
        auto good = load_x509_store((temp / "good").string(), X509StoreKind::ca);
        REQUIRE(good);
        CHECK(good->name == "good");
        CHECK(good->certificates.size() == 1);
        CHECK(load_x509_store((temp / "good").string(), X509StoreKind::tsa));
        std::filesystem::create_directories(temp / "leaf");
        std::filesystem::copy_file(notation_test::fixture_path("leaf.crt"), temp / "leaf" / "leaf.crt");
        CHECK(load_x509_store((temp / "leaf").string(), X509StoreKind::ca).error().code == Errc::config);
        std::filesystem::create_directories(temp / "stray");
        std::ofstream(temp / "stray" / "notes.txt") << "hello";
        CHECK(load_x509_store((temp / "stray").string(), X509StoreKind::ca).error().code == Errc::config);
        std::filesystem::create_directories(temp / "nested" / "sub");
        CHECK(load_x509_store((temp / "nested").string(), X509StoreKind::ca).error().code == Errc::config);
        // An intermediate CA is not a self-signed root: refused in a tsa store.
        std::filesystem::create_directories(temp / "tsa");
        std::filesystem::copy_file(notation_test::fixture_path("intermediate.crt"), temp / "tsa" / "i.crt");
        CHECK(load_x509_store((temp / "tsa").string(), X509StoreKind::tsa).error().code == Errc::config);
        CHECK(load_x509_store((temp / "tsa").string(), X509StoreKind::ca));
        CHECK(load_x509_store((temp / "absent").string(), X509StoreKind::ca).error().code == Errc::not_found);
        std::filesystem::remove_all(temp);
    }
}
