// Real Rekor evidence, read in place from ../shared/vectors (never copied into the repository):
// containers/image's TestVerifyRekorSET files, a cosign --key signature uploaded to public Rekor,
// and a cosign v3 bundle with its trusted root. Without the vectors each case says so and passes.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edgeverify/json.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/signatures.hpp"

using namespace edgeverify;

namespace {

std::filesystem::path shared_vectors() {
    if (const char* env = std::getenv("EDGEVERIFY_SHARED_VECTORS")) return env;
    return std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "vectors";
}

bool have(const std::filesystem::path& path) {
    if (std::filesystem::exists(path)) return true;
    MESSAGE("public vectors not found at " << path.string() << ": nothing asserted");
    return false;
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A PEM public key file as a RekorKey, as the trust store loads rekor/*.pub.
RekorKey rekor_key(const std::filesystem::path& path) {
    auto key = parse_public_key_pem(read_all(path), path.string());
    REQUIRE(key);
    const std::string hex = digest_of(DigestAlgorithm::sha256, key->spki_der()).hex();
    std::string log_id;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        log_id.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return RekorKey{path.filename().string(), std::move(*key), log_id, {}, {}, {}};
}

std::vector<RekorKey> one_key(const std::filesystem::path& path) {
    std::vector<RekorKey> keys;
    keys.push_back(rekor_key(path));
    return keys;
}

}  // namespace

TEST_CASE(
    "rekor vector: containers/image rekor-set verifies with rekor.pub and binds payload, signature, cert") {
    const auto dir = shared_vectors() / "containers-image-cosign" / "rekor-set";
    if (!have(dir)) return;
    auto entry = parse_cosign_rekor_bundle(read_all(dir / "rekor-set"), "rekor-set");
    REQUIRE(entry);
    CHECK(entry->integrated_time == 1670870899);
    const auto keys = one_key(dir / "rekor.pub");  // outlives the returned key pointer
    auto used = verify_rekor_set(*entry, keys);
    REQUIRE(used);
    CHECK((*used)->origin == "rekor.pub");

    RekorBinding binding;
    std::string sig_b64 = read_all(dir / "rekor-sig");
    while (!sig_b64.empty() && (sig_b64.back() == '\n' || sig_b64.back() == '\r')) sig_b64.pop_back();
    auto signature = base64_decode(sig_b64, "rekor-sig");
    REQUIRE(signature);
    binding.signature = *signature;
    const std::string cert_pem = read_all(dir / "rekor-cert");
    const auto begin = cert_pem.find("-----BEGIN CERTIFICATE-----\n") + 28;
    const auto end = cert_pem.find("-----END CERTIFICATE-----");
    std::string cert_b64;
    for (char c : cert_pem.substr(begin, end - begin))
        if (c != '\n') cert_b64.push_back(c);
    auto cert_der = base64_decode(cert_b64, "rekor-cert");
    REQUIRE(cert_der);
    binding.public_key_der = *cert_der;
    binding.signed_bytes_digest = digest_of(DigestAlgorithm::sha256, read_all(dir / "rekor-payload"));
    CHECK(check_rekor_body(entry->body, binding, "rekor-set"));

    binding.signed_bytes_digest = digest_of(DigestAlgorithm::sha256, "another payload");
    const Status other = check_rekor_body(entry->body, binding, "rekor-set");
    REQUIRE_FALSE(other);
    CHECK(other.error().code == Errc::signature_invalid);
}

TEST_CASE("rekor vector: containers/image rekor-set does not verify with another key of the same log id") {
    const auto dir = shared_vectors() / "containers-image-cosign";
    if (!have(dir / "rekor-set")) return;
    auto entry = parse_cosign_rekor_bundle(read_all(dir / "rekor-set" / "rekor-set"), "rekor-set");
    REQUIRE(entry);
    // cosign.pub under its own log id: the entry's log is simply not trusted.
    auto unknown = verify_rekor_set(*entry, one_key(dir / "keys" / "cosign.pub"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == Errc::untrusted);
    // cosign.pub configured as that log's key: the SET itself fails.
    auto keys = one_key(dir / "keys" / "cosign.pub");
    keys[0].log_id = entry->log_id;
    auto wrong = verify_rekor_set(*entry, keys);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == Errc::signature_invalid);
}

TEST_CASE(
    "rekor vector: a cosign --key signature's bundle annotation verifies with rekor.pub, not cosign.pub") {
    const auto dir = shared_vectors() / "containers-image-cosign";
    const auto file = dir / "images" / "dir-img-cosign-key-rekor-valid" / "signature-1";
    if (!have(file)) return;
    auto candidate = parse_containers_signature_file(read_all(file), "signature-1");
    REQUIRE(candidate);
    const auto annotation = candidate->annotations.find(std::string(cosign::kBundleAnnotation));
    REQUIRE(annotation != candidate->annotations.end());
    auto entry = parse_cosign_rekor_bundle(annotation->second, "signature-1");
    REQUIRE(entry);
    CHECK(entry->integrated_time == 1674251859);
    CHECK(entry->log_index == 11608800);
    CHECK(verify_rekor_set(*entry, one_key(dir / "keys" / "rekor.pub")));

    auto keys = one_key(dir / "keys" / "cosign.pub");
    keys[0].log_id = entry->log_id;
    auto wrong = verify_rekor_set(*entry, keys);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == Errc::signature_invalid);

    auto signer = parse_public_key_pem(read_all(dir / "keys" / "cosign2.pub"), "cosign2.pub");
    REQUIRE(signer);
    RekorBinding binding{candidate->signature, signer->spki_der(),
                         digest_of(DigestAlgorithm::sha256, candidate->payload), std::nullopt, std::nullopt};
    CHECK(check_rekor_body(entry->body, binding, "signature-1"));
}

TEST_CASE(
    "rekor vector: cosign v3 bundle's dsse entry verifies with trusted_root_pgi.json and binds the "
    "envelope") {
    const auto dir = shared_vectors() / "cosign-v3-oci-bundle";
    if (!have(dir / "trusted_root_pgi.json")) return;
    auto keys = parse_trusted_root_tlogs(read_all(dir / "trusted_root_pgi.json"), "trusted_root_pgi.json");
    REQUIRE(keys);
    REQUIRE(keys->size() == 1);
    CHECK((*keys)[0].origin == "trusted_root_pgi.json tlogs[0]");

    auto bundle = parse_json_strict(read_all(dir / "oci-attestation.sigstore.json"), "bundle");
    REQUIRE(bundle);
    const Json& tlog = (*bundle)["verificationMaterial"]["tlogEntries"][0];
    RekorSignedEntry entry;
    entry.body = base64_decode(tlog["canonicalizedBody"].get<std::string>(), "body").value();
    entry.integrated_time = std::stoll(tlog["integratedTime"].get<std::string>());
    entry.log_index = std::stoll(tlog["logIndex"].get<std::string>());
    entry.log_id = base64_decode(tlog["logId"]["keyId"].get<std::string>(), "logId").value();
    entry.signed_entry_timestamp =
        base64_decode(tlog["inclusionPromise"]["signedEntryTimestamp"].get<std::string>(), "SET").value();
    auto used = verify_rekor_set(entry, *keys);
    REQUIRE(used);
    CHECK((*used)->origin == "trusted_root_pgi.json tlogs[0]");

    const Json& envelope = (*bundle)["dsseEnvelope"];
    RekorBinding binding;
    binding.signature = base64_decode(envelope["signatures"][0]["sig"].get<std::string>(), "sig").value();
    binding.public_key_der =
        base64_decode((*bundle)["verificationMaterial"]["certificate"]["rawBytes"].get<std::string>(), "cert")
            .value();
    binding.envelope_payload_digest = digest_of(
        DigestAlgorithm::sha256, base64_decode(envelope["payload"].get<std::string>(), "p").value());
    CHECK(check_rekor_body(entry.body, binding, "bundle"));

    (*keys)[0].valid_from = entry.integrated_time + 1;  // a root whose key came later
    auto early = verify_rekor_set(entry, *keys);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == Errc::untrusted);
}
