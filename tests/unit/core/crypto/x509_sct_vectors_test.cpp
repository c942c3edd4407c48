// Embedded SCTs of real Fulcio certificates (verify_embedded_scts) against the CT log keys of the
// trusted roots they came with, read in place from ../shared/vectors (sigstore-conformance,
// cosign-v3-oci-bundle, containers-image-cosign; never copied). Each refusal is asserted by its
// exact reason. Without the vectors every case says so and asserts nothing.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "../sigstore/bundle_test_support.hpp"
#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/sct.hpp"
#include "edgeverify/sigstore_bundle.hpp"

using namespace edgeverify;
using sigstore_test::check_error;
using sigstore_test::read_all;

namespace {

struct Fixture {
    Certificate leaf, issuer;
    std::vector<CtLogKey> ct_logs;
};

// The CA certificate of `cas` that issued `leaf` (the first of the chain it paths to).
Certificate issuer_of(const Certificate& leaf, const std::vector<CertificateAuthority>& cas) {
    for (const CertificateAuthority& ca : cas) {
        if (verify_path_at(leaf, ca.chain, leaf.not_before)) return ca.chain.front();
    }
    FAIL("no certificate authority of the root issued the leaf");
    return {};
}

// The leaf of `bundle` in vector set `set`, its issuer and the ctlogs of `root` (both relative
// to the set).
std::optional<Fixture> bundle_fixture(const std::string& set, const std::string& bundle,
                                      const std::string& root) {
    const auto dir = sigstore_test::vector_set(set);
    if (dir.empty()) return std::nullopt;
    auto parsed = parse_sigstore_bundle(read_all(dir / bundle), bundle);
    REQUIRE(parsed);
    REQUIRE_FALSE(parsed->certificates.empty());
    auto leaf = parse_certificate_der(parsed->certificates.front(), "leaf");
    REQUIRE(leaf);
    const std::string root_json = read_all(dir / root);
    auto cas = parse_trusted_root_authorities(root_json, "root", "certificateAuthorities");
    REQUIRE(cas);
    auto logs = parse_trusted_root_ctlogs(root_json, "root");
    REQUIRE(logs);
    Certificate issuer = issuer_of(*leaf, *cas);
    return Fixture{std::move(*leaf), std::move(issuer), std::move(*logs)};
}

const std::string kConformance = "sigstore-conformance";
const std::string kProductionRoot = "_default_trusted_root/production_trusted_root.json";

std::optional<Fixture> happy_v01() {
    return bundle_fixture(kConformance, "bundle-verify/happy-path-v0.1/bundle.sigstore.json",
                          kProductionRoot);
}

}  // namespace

TEST_SUITE("crypto") {
    TEST_CASE("SCT vectors: the production ctlogs load with their log ids and windows") {
        const auto dir = sigstore_test::vector_set(kConformance);
        if (dir.empty()) return;
        auto logs =
            parse_trusted_root_ctlogs(read_all(dir / kProductionRoot), "production_trusted_root.json");
        REQUIRE(logs);
        REQUIRE(logs->size() == 2);
        CHECK((*logs)[1].origin == "production_trusted_root.json ctlogs[1]");
        CHECK((*logs)[1].log_host == "ctfe.sigstore.dev");
        CHECK((*logs)[1].valid_from == 1666224000);  // 2022-10-20T00:00:00Z
        CHECK_FALSE((*logs)[1].valid_until.has_value());
        CHECK((*logs)[0].valid_until == 1667260799);  // 2022-10-31T23:59:59.999Z, rounded inwards
    }

    TEST_CASE("SCT vectors: ctlogs entries are read strictly, errors name the JSON path") {
        const auto dir = sigstore_test::vector_set(kConformance);
        if (dir.empty()) return;
        const Json production = Json::parse(read_all(dir / kProductionRoot));
        Json root = production;
        root["ctlogs"][1]["publicKey"]["validFor"].erase("start");
        check_error(parse_trusted_root_ctlogs(root.dump(), "r"), Errc::config,
                    "r: ctlogs[1].publicKey.validFor.start: missing");
        root = production;
        root["ctlogs"][0]["logId"]["keyId"] = root["ctlogs"][1]["logId"]["keyId"];
        check_error(parse_trusted_root_ctlogs(root.dump(), "r"), Errc::config,
                    "r: ctlogs[0].logId.keyId: is not the sha256 of the log's public key");
        root = production;
        root["ctlogs"][0]["publicKey"]["rawBytes"] = "AAAA";
        check_error(parse_trusted_root_ctlogs(root.dump(), "r"), Errc::config,
                    "r: ctlogs[0].publicKey.rawBytes: ");
        root = production;
        root["ctlogs"] = Json::object();
        check_error(parse_trusted_root_ctlogs(root.dump(), "r"), Errc::config, "r: ctlogs: not an array");
        // Without logId the RFC 6962 log id, sha256 of the SPKI, is used.
        root = production;
        root["ctlogs"][1].erase("logId");
        auto logs = parse_trusted_root_ctlogs(root.dump(), "r");
        REQUIRE(logs);
        auto expected = parse_trusted_root_ctlogs(production.dump(), "r");
        REQUIRE(expected);
        CHECK((*logs)[1].log_id == (*expected)[1].log_id);
        root = production;
        root.erase("ctlogs");
        logs = parse_trusted_root_ctlogs(root.dump(), "r");
        REQUIRE(logs);
        CHECK(logs->empty());
    }

    TEST_CASE(
        "SCT vectors: a PKCS#1 RSA CT key (keyDetails PKCS1_RSA_PKCS1V5) loads, its log id over the SPKI") {
        const auto dir = sigstore_test::vector_set(kConformance);
        if (dir.empty()) return;
        auto logs = parse_trusted_root_ctlogs(
            read_all(dir / "bundle-verify/invalid-ct-key_fail/trusted_root.json"), "r");
        REQUIRE_MESSAGE(logs, logs.error().message);
        REQUIRE(logs->size() == 3);
        CHECK((*logs)[0].key.type() == KeyType::rsa);
        CHECK(base64_encode((*logs)[0].log_id) == "G3wUKk6ZK6ffHh/FdCRUE2wVekyzHEEIpSG4savnv0w=");
    }

    TEST_CASE("SCT vectors: happy-path v0.1 and v0.3 (new media type) verify with ctfe.sigstore.dev/2022") {
        for (const char* name : {"happy-path-v0.1", "happy-path-v0.3-new-mediaType"}) {
            CAPTURE(name);
            auto f =
                bundle_fixture(kConformance, std::string("bundle-verify/") + name + "/bundle.sigstore.json",
                               kProductionRoot);
            if (!f) return;
            auto used = verify_embedded_scts(f->leaf, f->issuer, f->ct_logs, "leaf");
            REQUIRE_MESSAGE(used, used.error().message);
            CHECK((*used)->origin == "root ctlogs[1]");
        }
    }

    TEST_CASE("SCT vectors: cosign v3 OCI attestation verifies with its own root's CT log") {
        auto f =
            bundle_fixture("cosign-v3-oci-bundle", "oci-attestation.sigstore.json", "trusted_root_pgi.json");
        if (!f) return;
        auto used = verify_embedded_scts(f->leaf, f->issuer, f->ct_logs, "leaf");
        REQUIRE_MESSAGE(used, used.error().message);
        CHECK((*used)->origin.starts_with("root ctlogs["));
    }

    TEST_CASE("SCT vectors: the containers-image Fulcio certificate verifies with the production CT log") {
        const auto dir = sigstore_test::vector_set("containers-image-cosign");
        const auto conformance = sigstore_test::vector_set(kConformance);
        if (dir.empty() || conformance.empty()) return;
        auto leaf = parse_certificates_file(read_all(dir / "keys/fulcio-cert"), "fulcio-cert");
        auto chain = parse_certificates_file(read_all(dir / "keys/fulcio-chain"), "fulcio-chain");
        REQUIRE(leaf);
        REQUIRE(chain);
        auto logs = parse_trusted_root_ctlogs(read_all(conformance / kProductionRoot), "production");
        REQUIRE(logs);
        auto used = verify_embedded_scts(leaf->front(), chain->front(), *logs, "fulcio-cert");
        REQUIRE_MESSAGE(used, used.error().message);
        CHECK((*used)->origin == "production ctlogs[1]");
    }

    TEST_CASE(
        "SCT vectors: no CT log key, no SCT, wrong log id, outside validFor, tampered TBS, wrong issuer") {
        auto f = happy_v01();
        if (!f) return;
        check_error(verify_embedded_scts(f->leaf, f->issuer, {}, "leaf"), Errc::untrusted,
                    "the trust store has no CT log key (sigstore/trusted_root.json ctlogs)");
        // The intermediate has no SCT list.
        check_error(verify_embedded_scts(f->issuer, f->issuer, f->ct_logs, "leaf"), Errc::untrusted,
                    "the signing certificate has no embedded SCT");

        auto scts = parse_sct_list(f->leaf.extension(kSctListOid)->value, "leaf");
        REQUIRE(scts);
        REQUIRE(scts->size() == 1);
        const std::string id_hex = "dd3d306ac6c7113263191e1c99673702a24a5eb8de3cadff878a72802f29ee8e";
        std::vector<CtLogKey> renamed = std::move(f->ct_logs);
        for (CtLogKey& key : renamed) key.log_id = std::string(32, 'x');
        CHECK(verify_embedded_scts(f->leaf, f->issuer, renamed, "leaf").error().message ==
              "no SCT verifies with a trusted CT log key (SCT 0: log " + id_hex +
                  " is not a trusted CT log)");

        auto g = happy_v01();
        REQUIRE(g);
        g->ct_logs[1].valid_until = g->ct_logs[1].valid_from;  // a window closed long before the SCT
        CHECK(verify_embedded_scts(g->leaf, g->issuer, g->ct_logs, "leaf").error().message ==
              "no SCT verifies with a trusted CT log key (SCT 0: timestamp " +
                  std::to_string((*scts)[0].timestamp_ms) + " ms is outside the validFor of root ctlogs[1])");

        auto h = happy_v01();
        REQUIRE(h);
        const std::size_t serial_at = h->leaf.tbs_der.find(std::string("\x02\x14", 2));  // 20-byte serial
        REQUIRE(serial_at != std::string::npos);
        h->leaf.tbs_der[serial_at + 5] ^= 0x01;
        const std::string bad_signature =
            "no SCT verifies with a trusted CT log key (SCT 0: signature does not verify with root "
            "ctlogs[1])";
        auto tampered = verify_embedded_scts(h->leaf, h->issuer, h->ct_logs, "leaf");
        check_error(tampered, Errc::untrusted, bad_signature);
        CHECK(tampered.error().message == bad_signature);

        auto i = happy_v01();
        REQUIRE(i);
        CHECK(verify_embedded_scts(i->leaf, i->leaf, i->ct_logs, "leaf").error().message == bad_signature);
    }
}
