// Loading a trust directory: policy.json and keys, symlinks refused, keys never skipped, and a
// digest over exactly what was loaded.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "edgeverify/trust_policy.hpp"

using namespace edgeverify;

namespace {

// EDGEVERIFY_TEST_DATA_DIR is <source>/tests/data; the examples live in <source>/docs.
const std::string kExamples = (std::filesystem::path(EDGEVERIFY_TEST_DATA_DIR).parent_path().parent_path() /
                               "docs/examples/trust-policy")
                                  .string();

// An RSA-1024 public key: well-formed, but below the 2048-bit minimum.
const char* const kRsa1024 = R"(-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC6Svj03Yp/qVrCTyi+/LYQ4NlO
HRhsgQSiJZfdfWhzDVUxdTVnoZw8TBfJJywKuBXvKh/bpcJ1ArqnOw3lo6qYksn4
aMQxamGT8jGjkFQ2635RpoBtXMgvXWR9oS103P0cgodtef23kEgD2d7nBPnQmDf9
bcTFC631sQ3dTGE5NwIDAQAB
-----END PUBLIC KEY-----
)";

const char* const kPolicy = R"({"version":1,"scopes":[{"name":"fleet","match":"registry.example.com/fleet/*",
  "signatures":{"signers":[{"name":"release","key":"keys/release.pub"}]}}]})";

class TrustDir {
public:
    TrustDir() {
        char pattern[] = "/tmp/edgeverify-trust-XXXXXX";
        if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TrustDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TrustDir(const TrustDir&) = delete;
    TrustDir& operator=(const TrustDir&) = delete;
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

    void write(const std::string& relative, const std::string& content) const {
        const std::filesystem::path file = *this / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
    }
    void copy_key(const std::string& relative) const {
        std::ifstream in(kExamples + "/single-key/keys/release.pub", std::ios::binary);
        REQUIRE(in);
        write(relative, std::string(std::istreambuf_iterator<char>(in), {}));
    }

private:
    std::string path_;
};

void check_error(const Expected<TrustStore>& store, Errc code, const std::string& part) {
    REQUIRE_FALSE(store);
    CHECK(errc_name(store.error().code) == errc_name(code));
    CAPTURE(store.error().message);
    CHECK(store.error().message.find(part) != std::string::npos);
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("a trust directory loads its policy and every keys/*.pub") {
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        dir.copy_key("keys/release.pub");
        dir.copy_key("keys/spare.pub");
        dir.write("keys/README", "not a key, not loaded");
        auto store = load_trust_store(dir.path());
        REQUIRE(store);
        CHECK(store->directory == dir.path());
        CHECK(store->policy.scopes.size() == 1);
        REQUIRE(store->keys.size() == 2);
        CHECK(store->keys.at("keys/release.pub").path == "keys/release.pub");
        CHECK(store->keys.at("keys/release.pub").key.type() == KeyType::ecdsa_p256);
        CHECK(store->keys.count("keys/spare.pub") == 1);
        CHECK_FALSE(store->digest.empty());
    }

    TEST_CASE("the digest covers every loaded file and nothing else") {
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        dir.copy_key("keys/release.pub");
        auto first = load_trust_store(dir.path());
        REQUIRE(first);
        auto again = load_trust_store(dir.path());
        REQUIRE(again);
        CHECK(first->digest == again->digest);

        dir.write("keys/README", "ignored");
        auto with_readme = load_trust_store(dir.path());
        REQUIRE(with_readme);
        CHECK(with_readme->digest == first->digest);

        dir.copy_key("keys/spare.pub");
        auto with_spare = load_trust_store(dir.path());
        REQUIRE(with_spare);
        CHECK(with_spare->digest != first->digest);

        dir.write("policy.json", std::string(kPolicy) + "\n");
        auto edited = load_trust_store(dir.path());
        REQUIRE(edited);
        CHECK(edited->digest != with_spare->digest);
    }

    TEST_CASE("a key a signer names outside keys/ is loaded too") {
        TrustDir dir;
        dir.write("policy.json", R"({"version":1,"scopes":[{"name":"s","match":"*",
          "signatures":{"signers":[{"name":"v","key":"vendor/acme/signing.pub"}]}}]})");
        dir.copy_key("vendor/acme/signing.pub");
        auto store = load_trust_store(dir.path());
        REQUIRE(store);
        CHECK(store->keys.count("vendor/acme/signing.pub") == 1);
    }

    TEST_CASE("a missing directory or policy.json is not_found") {
        TrustDir dir;
        check_error(load_trust_store(dir / "absent"), Errc::not_found, "trust directory " + (dir / "absent"));
        check_error(load_trust_store(dir.path()), Errc::not_found, dir / "policy.json");
        dir.write("file", "x");
        check_error(load_trust_store(dir / "file"), Errc::not_found, "trust directory");
    }

    // An unreadable policy.json (permission_denied) is tested in tests/integration/test_signatures.sh,
    // which runs edgeverify as an unprivileged user: root reads anything.

    TEST_CASE("an invalid policy is a configuration error with the JSON path") {
        TrustDir dir;
        dir.write("policy.json",
                  R"({"version":1,"scopes":[{"name":"s","match":"*","signatures":{"threshold":3,
          "signers":[{"name":"a","key":"keys/a.pub"},{"name":"b","key":"keys/b.pub"}]}}]})");
        check_error(load_trust_store(dir.path()), Errc::config,
                    "policy.json: scopes[0].signatures.threshold: 3 exceeds the 2 distinct signers");
        dir.write("policy.json", "{not json");
        check_error(load_trust_store(dir.path()), Errc::config, "policy.json: not valid JSON");
    }

    TEST_CASE("a key that cannot be parsed is an error naming the file, never skipped") {
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        dir.copy_key("keys/release.pub");
        dir.write("keys/broken.pub", "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n");
        check_error(load_trust_store(dir.path()), Errc::config, dir / "keys/broken.pub");
    }

    TEST_CASE("an unsupported key is an error naming the file") {
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        dir.copy_key("keys/release.pub");
        dir.write("keys/old-rsa.pub", kRsa1024);
        check_error(load_trust_store(dir.path()), Errc::config, dir / "keys/old-rsa.pub");
        check_error(load_trust_store(dir.path()), Errc::config, "unsupported-key");
    }

    TEST_CASE("a key file a signer names must exist") {
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        check_error(
            load_trust_store(dir.path()), Errc::config,
            "policy.json: scopes[0].signatures.signers[0].key: key file \"keys/release.pub\" does not exist");
    }

    TEST_CASE("a symlinked key escaping the directory is refused") {
        TrustDir outside;
        outside.copy_key("release.pub");
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        std::filesystem::create_directories(dir / "keys");
        std::filesystem::create_symlink(outside / "release.pub", dir / "keys/release.pub");
        check_error(load_trust_store(dir.path()), Errc::config, dir / "keys/release.pub");
        check_error(load_trust_store(dir.path()), Errc::config, "symbolic link");
    }

    TEST_CASE("a symlinked keys/ directory or policy.json is refused") {
        TrustDir outside;
        outside.copy_key("keys/release.pub");
        outside.write("policy.json", kPolicy);
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        std::filesystem::create_directory_symlink(outside / "keys", dir / "keys");
        check_error(load_trust_store(dir.path()), Errc::config, "keys: a symbolic link");

        TrustDir dir2;
        dir2.copy_key("keys/release.pub");
        std::filesystem::create_symlink(outside / "policy.json", dir2 / "policy.json");
        check_error(load_trust_store(dir2.path()), Errc::config, "symbolic link");
    }

    TEST_CASE("a key file over kMaxTrustKeyFileBytes is refused by name") {
        TrustDir dir;
        dir.write("policy.json", kPolicy);
        dir.copy_key("keys/release.pub");
        dir.write("keys/huge.pub", std::string(64 * 1024 + 1, 'A'));
        check_error(load_trust_store(dir.path()), Errc::config, "kMaxTrustKeyFileBytes (65536)");
    }
}
