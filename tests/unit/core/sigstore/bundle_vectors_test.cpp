// Public Sigstore bundles read in place from ../shared/vectors (never copied into the
// repository): sigstore-js offline bundles, cosign v3's OCI attestation bundle, and the
// structural cases of sigstore-conformance's bundle-verify set. Cases that need certificate,
// Merkle or timestamp verification are only required to parse here.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;
using sigstore_test::check_error;
using sigstore_test::read_all;
using sigstore_test::vector_set;

namespace {

const std::string kSigstoreJsSubject =
    "sha256:83e6b48d626e810769ca2571db8fdf7e4a76c2162a87060e8efcb6771a2d97c4";
const std::string kCosignV3Subject =
    "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";

SigstoreBundle parse_vector(const std::filesystem::path& path) {
    auto bundle = parse_sigstore_bundle(read_all(path), path.filename().string());
    if (!bundle) FAIL_CHECK(bundle.error().message);
    REQUIRE(bundle);
    return std::move(*bundle);
}

void check_rekor_v1_entry(const BundleTlogEntry& e, const std::string& kind, const std::string& version) {
    CHECK(e.kind == kind);
    CHECK(e.version == version);
    CHECK(e.has_inclusion_promise);
    CHECK(e.has_inclusion_proof);
    CHECK_FALSE(e.entry.signed_entry_timestamp.empty());
    CHECK(e.entry.log_id.size() == 32);
    CHECK(e.entry.integrated_time > 0);
    REQUIRE_FALSE(e.entry.body.empty());
    CHECK(e.entry.body.front() == '{');
}

}  // namespace

TEST_SUITE("sigstore") {
    TEST_CASE("bundle vectors: sigstore-js v0.2 keyless message signature with a certificate chain") {
        const auto dir = vector_set("sigstore-js");
        if (dir.empty()) return;
        const SigstoreBundle b = parse_vector(dir / "bundle-keyless-messagesig.sigstore.json");
        CHECK(b.minor_version == 2);
        CHECK(b.material == BundleMaterial::certificate_chain);
        CHECK(b.certificates.size() == 1);
        CHECK(b.rfc3161_timestamps == 1);
        REQUIRE(b.tlog_entries.size() == 1);
        check_rekor_v1_entry(b.tlog_entries[0], "hashedrekord", "0.0.1");
        CHECK(b.tlog_entries[0].entry.log_index == 4760664);
        CHECK(b.tlog_entries[0].entry.integrated_time == 1795809095);
        REQUIRE(b.message_signature);
        CHECK_FALSE(b.dsse);
        CHECK(b.message_signature->algorithm == "SHA2_256");
        // The digest hint is the artifact's sha256.
        const Digest artifact =
            digest_of(DigestAlgorithm::sha256, read_all(dir / "artifact-simplesigning.json"));
        const auto& hint = b.message_signature->digest;
        CHECK(Digest::from_bytes(DigestAlgorithm::sha256, reinterpret_cast<const std::uint8_t*>(hint.data()),
                                 hint.size()) == artifact);
        CHECK_FALSE(b.message_signature->signature.empty());
    }

    TEST_CASE("bundle vectors: sigstore-js v0.3 keyless DSSE with a certificate") {
        const auto dir = vector_set("sigstore-js");
        if (dir.empty()) return;
        const SigstoreBundle b = parse_vector(dir / "bundle-keyless-dsse.sigstore.json");
        CHECK(b.media_type == sigstore::kBundleMediaTypeV03);
        CHECK(b.minor_version == 3);
        CHECK(b.material == BundleMaterial::certificate);
        CHECK(b.certificates.size() == 1);
        CHECK(b.rfc3161_timestamps == 1);
        REQUIRE(b.tlog_entries.size() == 1);
        check_rekor_v1_entry(b.tlog_entries[0], "intoto", "0.0.2");
        REQUIRE(b.dsse);
        CHECK(b.dsse->payload_type == sigstore::kInTotoPayloadType);
        CHECK(b.dsse->keyid.empty());
        CHECK(b.dsse->payload == read_all(dir / "artifact-intoto-statement.json"));
        auto subjects = intoto_subject_digests(b.dsse->payload, "payload");
        REQUIRE(subjects);
        REQUIRE(subjects->size() == 1);
        CHECK((*subjects)[0].str() == kSigstoreJsSubject);
    }

    TEST_CASE("bundle vectors: sigstore-js v0.2 public key message signature") {
        const auto dir = vector_set("sigstore-js");
        if (dir.empty()) return;
        const SigstoreBundle b = parse_vector(dir / "bundle-publickey-messagesig.sigstore.json");
        CHECK(b.minor_version == 2);
        CHECK(b.material == BundleMaterial::public_key);
        CHECK(b.public_key_hint == "101b026d7cf6e3472b6b29bb0b571ad5e909c7e64f421a216ef1e6747e30d300");
        CHECK(b.certificates.empty());
        REQUIRE(b.tlog_entries.size() == 1);
        check_rekor_v1_entry(b.tlog_entries[0], "hashedrekord", "0.0.1");
        REQUIRE(b.message_signature);
        CHECK(b.message_signature->algorithm == "SHA2_256");
    }

    TEST_CASE("bundle vectors: cosign v3 OCI attestation bundle") {
        const auto dir = vector_set("cosign-v3-oci-bundle");
        if (dir.empty()) return;
        const SigstoreBundle b = parse_vector(dir / "oci-attestation.sigstore.json");
        CHECK(b.media_type == sigstore::kBundleMediaTypeV03);
        CHECK(b.minor_version == 3);
        CHECK(b.material == BundleMaterial::certificate);
        REQUIRE(b.certificates.size() == 1);
        CHECK(static_cast<unsigned char>(b.certificates[0][0]) == 0x30);  // DER SEQUENCE
        REQUIRE(b.tlog_entries.size() == 1);
        const BundleTlogEntry& e = b.tlog_entries[0];
        check_rekor_v1_entry(e, "dsse", "0.0.1");
        CHECK(e.entry.log_index == 175508996);
        CHECK(e.entry.integrated_time == 1740770291);
        CHECK(base64_encode(e.entry.log_id) == "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=");
        REQUIRE(b.dsse);
        CHECK(b.dsse->payload_type == sigstore::kInTotoPayloadType);
        auto subjects = intoto_subject_digests(b.dsse->payload, "payload");
        REQUIRE(subjects);
        REQUIRE(subjects->size() == 1);
        CHECK((*subjects)[0].str() == kCosignV3Subject);
    }

    TEST_CASE("bundle vectors: sigstore-conformance structural failures are refused, the rest parse") {
        const auto dir = vector_set("sigstore-conformance");
        if (dir.empty()) return;
        // Cases whose bundle is structurally wrong, and what the parser must say.
        const std::map<std::string, std::string> structural = {
            {"bundle-empty-certificate-chain_fail",
             "x509CertificateChain.certificates: empty certificate chain"},
            {"bundle-invalid-base64-signature_fail", "messageSignature.signature: invalid base64"},
            {"bundle-negative-log-index_fail", "tlogEntries[0].logIndex: must not be negative"},
            {"rekor2-no-inclusion-proof_fail",
             "tlogEntries[0]: inclusionProof is required in a v0.2+ bundle"},
        };
        auto cases = parse_json_strict(read_all(dir / "cases.json"), "cases.json",
                                       JsonLimits{64 * 1024 * 1024, limits::kMaxJsonDepth});
        REQUIRE(cases);
        std::set<std::string> refused;
        int parsed = 0;
        for (const auto& c : *cases) {
            const std::string name = c.at("name").get<std::string>();
            CAPTURE(name);
            auto bundle = parse_sigstore_bundle(read_all(dir / c.at("bundle").get<std::string>()), name);
            auto it = structural.find(name);
            if (it != structural.end()) {
                check_error(bundle, Errc::schema_violation, it->second);
                refused.insert(name);
            } else {
                if (!bundle) FAIL_CHECK(bundle.error().message);
                parsed += bundle.has_value();
            }
        }
        CHECK(refused.size() == structural.size());
        CHECK(parsed > 25);
    }
}
