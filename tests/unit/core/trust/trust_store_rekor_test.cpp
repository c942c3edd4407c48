// Transparency-log keys in the trust directory: rekor/*.pub and sigstore/trusted_root.json load
// into rekor_keys (and the root's certificateAuthorities into certificate_authorities), count in
// the trust-store digest, and are never skipped when broken.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/trust_policy.hpp"
#include "edgeverify/x509.hpp"

using namespace edgeverify;

namespace {

const char* const kRekorPolicy = R"({"version":1,"scopes":[{"name":"s","match":"*",
  "signatures":{"requireTransparencyLog":true,"signers":[{"name":"release","key":"keys/release.pub"}]}}]})";

class RekorTrustDir {
public:
    RekorTrustDir() {
        char pattern[] = "/tmp/edgeverify-trust-rekor-XXXXXX";
        if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
        write("policy.json", kRekorPolicy);
        write("keys/release.pub", new_key_pem());
    }
    ~RekorTrustDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    RekorTrustDir(const RekorTrustDir&) = delete;
    RekorTrustDir& operator=(const RekorTrustDir&) = delete;
    const std::string& path() const { return path_; }

    void write(const std::string& relative, const std::string& content) const {
        const std::filesystem::path file = std::filesystem::path(path_) / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
    }
    static std::string new_key_pem() { return generate_ecdsa_p256_key().value().public_key_pem(); }

private:
    std::string path_;
};

std::string raw_sha256(std::string_view bytes) {
    const std::string hex = digest_of(DigestAlgorithm::sha256, bytes).hex();
    std::string raw;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return raw;
}

// A one-tlog trusted_root.json for the key in `pem`.
std::string trusted_root_for(const std::string& pem) {
    auto key = parse_public_key_pem(pem, "pem");
    REQUIRE(key);
    const Json root = {
        {"mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1"},
        {"tlogs", Json::array({{{"baseUrl", "https://rekor.example.com"},
                                {"hashAlgorithm", "SHA2_256"},
                                {"publicKey",
                                 {{"rawBytes", base64_encode(key->spki_der())},
                                  {"keyDetails", "PKIX_ECDSA_P256_SHA_256"},
                                  {"validFor", {{"start", "2021-01-12T11:53:27Z"}}}}},
                                {"logId", {{"keyId", base64_encode(raw_sha256(key->spki_der()))}}}}})}};
    return root.dump();
}

void check_config_error(const Expected<TrustStore>& store, const std::string& part) {
    REQUIRE_FALSE(store);
    CHECK(store.error().code == Errc::config);
    CAPTURE(store.error().message);
    CHECK(store.error().message.find(part) != std::string::npos);
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("rekor keys: rekor/*.pub load sorted, with log id sha256(SPKI) and no validity window") {
        RekorTrustDir dir;
        const std::string b = RekorTrustDir::new_key_pem(), a = RekorTrustDir::new_key_pem();
        dir.write("rekor/b.pub", b);
        dir.write("rekor/a.pub", a);
        dir.write("rekor/README", "not a key, not loaded");
        auto store = load_trust_store(dir.path());
        REQUIRE(store);
        REQUIRE(store->rekor_keys.size() == 2);
        CHECK(store->rekor_keys[0].origin == "rekor/a.pub");
        CHECK(store->rekor_keys[1].origin == "rekor/b.pub");
        CHECK(store->rekor_keys[0].log_id == raw_sha256(store->rekor_keys[0].key.spki_der()));
        CHECK_FALSE(store->rekor_keys[0].valid_from);
        CHECK_FALSE(store->rekor_keys[0].valid_until);
        CHECK(store->keys.size() == 1);  // Rekor keys are not signer keys
    }

    TEST_CASE(
        "rekor keys: sigstore/trusted_root.json tlogs load with their windows, absent file means none") {
        RekorTrustDir dir;
        auto without = load_trust_store(dir.path());
        REQUIRE(without);
        CHECK(without->rekor_keys.empty());

        dir.write("sigstore/trusted_root.json", trusted_root_for(RekorTrustDir::new_key_pem()));
        auto store = load_trust_store(dir.path());
        REQUIRE(store);
        REQUIRE(store->rekor_keys.size() == 1);
        CHECK(store->rekor_keys[0].origin == "sigstore/trusted_root.json tlogs[0]");
        CHECK(store->rekor_keys[0].valid_from == 1610452407);
    }

    TEST_CASE("rekor keys: rekor files and the trusted root count in the trust-store digest") {
        RekorTrustDir dir;
        auto plain = load_trust_store(dir.path());
        REQUIRE(plain);
        const std::string pem = RekorTrustDir::new_key_pem();
        dir.write("rekor/public.pub", pem);
        auto with_rekor = load_trust_store(dir.path());
        REQUIRE(with_rekor);
        CHECK(with_rekor->digest != plain->digest);
        dir.write("sigstore/trusted_root.json", trusted_root_for(pem));
        auto with_root = load_trust_store(dir.path());
        REQUIRE(with_root);
        CHECK(with_root->digest != with_rekor->digest);
        auto again = load_trust_store(dir.path());
        REQUIRE(again);
        CHECK(again->digest == with_root->digest);
    }

    TEST_CASE("rekor keys: a broken rekor/*.pub is a config error naming the file") {
        RekorTrustDir dir;
        dir.write("rekor/broken.pub", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        check_config_error(load_trust_store(dir.path()), dir.path() + "/rekor/broken.pub");
    }

    TEST_CASE("rekor keys: an oversized rekor/*.pub or trusted_root.json names its limit") {
        RekorTrustDir dir;
        dir.write("rekor/big.pub", std::string(limits::kMaxTrustKeyFileBytes + 1, 'x'));
        check_config_error(load_trust_store(dir.path()), "kMaxTrustKeyFileBytes");

        RekorTrustDir root_dir;
        root_dir.write("sigstore/trusted_root.json", std::string(limits::kMaxTrustedRootBytes + 1, ' '));
        check_config_error(load_trust_store(root_dir.path()), "kMaxTrustedRootBytes");
    }

    TEST_CASE("rekor keys: a bad trusted_root.json is a config error naming the file and the JSON path") {
        RekorTrustDir dir;
        dir.write("sigstore/trusted_root.json", "{");
        check_config_error(load_trust_store(dir.path()), dir.path() + "/sigstore/trusted_root.json");

        Json root = Json::parse(trusted_root_for(RekorTrustDir::new_key_pem()));
        root["tlogs"][0]["publicKey"]["validFor"].erase("start");
        dir.write("sigstore/trusted_root.json", root.dump());
        check_config_error(
            load_trust_store(dir.path()),
            dir.path() + "/sigstore/trusted_root.json: tlogs[0].publicKey.validFor.start: missing");
    }

    TEST_CASE("trusted root: certificateAuthorities load into the store; a bad certificate is a config error") {
        RekorTrustDir dir;
        std::ifstream in(std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR) / "notation" / "root.crt");
        const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto certs = parse_certificates_file(pem, "root.crt");
        REQUIRE(certs);
        Json root = Json::parse(trusted_root_for(RekorTrustDir::new_key_pem()));
        root["certificateAuthorities"] = Json::array(
            {{{"uri", "https://fulcio.example.com"},
              {"certChain", {{"certificates", Json::array({{{"rawBytes", base64_encode(certs->front().der)}}})}}},
              {"validFor", {{"start", "2022-04-13T20:06:15Z"}}}}});
        dir.write("sigstore/trusted_root.json", root.dump());
        auto store = load_trust_store(dir.path());
        REQUIRE(store);
        REQUIRE(store->certificate_authorities.size() == 1);
        CHECK(store->certificate_authorities[0].origin == "sigstore/trusted_root.json certificateAuthorities[0]");
        CHECK(store->certificate_authorities[0].uri == "https://fulcio.example.com");
        REQUIRE(store->certificate_authorities[0].chain.size() == 1);
        CHECK(store->certificate_authorities[0].chain[0].der == certs->front().der);
        CHECK(store->certificate_authorities[0].valid_from == 1649880375);

        root["certificateAuthorities"][0]["certChain"]["certificates"][0]["rawBytes"] = "AAAA";
        dir.write("sigstore/trusted_root.json", root.dump());
        check_config_error(load_trust_store(dir.path()),
                           dir.path() + "/sigstore/trusted_root.json: certificateAuthorities[0].certChain."
                                        "certificates[0].rawBytes: ");
    }

    TEST_CASE("rekor keys: a symbolic link in rekor/ or for trusted_root.json is refused") {
        RekorTrustDir dir;
        dir.write("outside.pub", RekorTrustDir::new_key_pem());
        std::filesystem::create_directories(dir.path() + "/rekor");
        std::filesystem::create_symlink(dir.path() + "/outside.pub", dir.path() + "/rekor/link.pub");
        check_config_error(load_trust_store(dir.path()), "symbolic link");

        RekorTrustDir root_dir;
        root_dir.write("root.json", trusted_root_for(RekorTrustDir::new_key_pem()));
        std::filesystem::create_directories(root_dir.path() + "/sigstore");
        std::filesystem::create_symlink(root_dir.path() + "/root.json",
                                        root_dir.path() + "/sigstore/trusted_root.json");
        check_config_error(load_trust_store(root_dir.path()), "symbolic link");
    }
}
