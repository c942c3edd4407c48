// Device identity: device.key is created once (ECDSA P-256, 0600), never replaced, and refused
// when group or others can read it; the id and fingerprint derive from the public key.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "edgeverify/report.hpp"
#include "unit/core/crypto/key_files.hpp"

using namespace edgeverify;

namespace {

struct StateFixture {
    StateFixture() {
        char pattern[] = "/tmp/edgeverify-device-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        state = StateDirectory{base + "/state"};
    }
    ~StateFixture() {
        std::error_code ignored;
        std::filesystem::remove_all(base, ignored);
    }
    std::string read(const std::string& path) const {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    void write(const std::string& path, const std::string& bytes, mode_t mode) const {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        REQUIRE(::chmod(path.c_str(), mode) == 0);
    }
    std::string base;
    StateDirectory state;
};

mode_t mode_of(const std::string& path) {
    struct stat status {};
    REQUIRE(::lstat(path.c_str(), &status) == 0);
    return status.st_mode & 07777;
}

}  // namespace

TEST_SUITE("device") {
    TEST_CASE("init creates a P-256 key with mode 0600 and derives id and fingerprint from it") {
        StateFixture fixture;
        auto identity = init_device_identity(fixture.state);
        REQUIRE_MESSAGE(identity.has_value(), identity.error().message);
        CHECK(mode_of(fixture.state.device_key()) == 0600);
        CHECK(identity->key.type() == KeyType::ecdsa_p256);
        auto public_key = parse_public_key_pem(identity->public_key_pem, "device.pub");
        REQUIRE(public_key.has_value());
        const std::string fingerprint = digest_of(DigestAlgorithm::sha256, public_key->spki_der()).str();
        CHECK(identity->fingerprint == fingerprint);
        CHECK(identity->device_id == "ev-" + fingerprint.substr(7, 20));
        CHECK(fixture.read(fixture.state.device_key()).find("-----BEGIN PRIVATE KEY-----") == 0);
    }

    TEST_CASE("init never replaces an existing key and load returns the same identity") {
        StateFixture fixture;
        auto first = init_device_identity(fixture.state);
        REQUIRE(first.has_value());
        const std::string bytes = fixture.read(fixture.state.device_key());
        auto second = init_device_identity(fixture.state);
        REQUIRE(second.has_value());
        CHECK(second->fingerprint == first->fingerprint);
        CHECK(fixture.read(fixture.state.device_key()) == bytes);
        auto loaded = load_device_identity(fixture.state);
        REQUIRE(loaded.has_value());
        CHECK(loaded->device_id == first->device_id);
        // No staging file is left next to the key.
        for (const auto& entry : std::filesystem::directory_iterator(fixture.state.root)) {
            CHECK(entry.path().filename().string().find(".new-") == std::string::npos);
        }
    }

    TEST_CASE("init adopts an existing 0600 key it did not create") {
        StateFixture fixture;
        REQUIRE(prepare_state_directory(fixture.state).has_value());
        fixture.write(fixture.state.device_key(), test::key_file("p256.key"), 0600);
        auto identity = init_device_identity(fixture.state);
        REQUIRE_MESSAGE(identity.has_value(), identity.error().message);
        CHECK(fixture.read(fixture.state.device_key()) == test::key_file("p256.key"));
    }

    TEST_CASE("load without a key is not_found and says to run device init") {
        StateFixture fixture;
        auto identity = load_device_identity(fixture.state);
        REQUIRE_FALSE(identity.has_value());
        CHECK(identity.error().code == Errc::not_found);
        CHECK(identity.error().message.find("edgeverify device init") != std::string::npos);
    }

    TEST_CASE("a key readable by group or others is refused with permission_denied") {
        for (const mode_t mode : {0640, 0604, 0660, 0700 | 0004}) {
            CAPTURE(mode);
            StateFixture fixture;
            REQUIRE(init_device_identity(fixture.state).has_value());
            REQUIRE(::chmod(fixture.state.device_key().c_str(), mode) == 0);
            auto loaded = load_device_identity(fixture.state);
            REQUIRE_FALSE(loaded.has_value());
            CHECK(loaded.error().code == Errc::permission_denied);
            auto again = init_device_identity(fixture.state);  // init loads too: same refusal
            REQUIRE_FALSE(again.has_value());
            CHECK(again.error().code == Errc::permission_denied);
        }
    }

    TEST_CASE("a symlinked key is refused, not followed") {
        StateFixture fixture;
        REQUIRE(prepare_state_directory(fixture.state).has_value());
        fixture.write(fixture.base + "/elsewhere.key", test::key_file("p256.key"), 0600);
        REQUIRE(::symlink((fixture.base + "/elsewhere.key").c_str(), fixture.state.device_key().c_str()) ==
                0);
        auto loaded = load_device_identity(fixture.state);
        REQUIRE_FALSE(loaded.has_value());
        CHECK(loaded.error().code == Errc::permission_denied);
    }

    TEST_CASE("a key that is not P-256 or not a key at all is refused") {
        StateFixture fixture;
        REQUIRE(prepare_state_directory(fixture.state).has_value());
        fixture.write(fixture.state.device_key(), test::key_file("p384.key"), 0600);
        auto p384 = load_device_identity(fixture.state);
        REQUIRE_FALSE(p384.has_value());
        CHECK(p384.error().code == Errc::unsupported_key);
        fixture.write(fixture.state.device_key(), "not a key\n", 0600);
        auto garbage = load_device_identity(fixture.state);
        REQUIRE_FALSE(garbage.has_value());
        CHECK(garbage.error().code == Errc::key_malformed);
    }
}
