// Known-answer tests (FIPS 180-4 examples) run against every hash backend in the build.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "edgeverify/digest.hpp"

using namespace edgeverify;

namespace {

struct KnownAnswer {
    DigestAlgorithm algorithm;
    std::string message;
    std::string hex;
};

std::vector<KnownAnswer> known_answers() {
    const std::string million_a(1000000, 'a');
    return {
        {DigestAlgorithm::sha256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {DigestAlgorithm::sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {DigestAlgorithm::sha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {DigestAlgorithm::sha256, million_a,
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
        {DigestAlgorithm::sha512, "",
         "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b"
         "931bd47417a"
         "81a538327af927da3e"},
        {DigestAlgorithm::sha512, "abc",
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454"
         "d4423643ce"
         "80e2a9ac94fa54ca49f"},
        {DigestAlgorithm::sha512,
         "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmno"
         "pqrstnopq"
         "rstu",
         "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d"
         "329eeb6dd"
         "26545e96e55b874be909"},
        {DigestAlgorithm::sha512, million_a,
         "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb0"
         "09c5c2c49a"
         "a2e4eadb217ad8cc09b"},
    };
}

std::vector<HashBackend> built_backends() {
    std::vector<HashBackend> out;
    for (auto b : {HashBackend::nettle, HashBackend::mbedtls}) {
        if (hash_backend_available(b)) out.push_back(b);
    }
    return out;
}

}  // namespace

TEST_SUITE("hash") {
    TEST_CASE("the default build has the nettle and mbedTLS backends, nettle preferred") {
        CHECK(hash_backend_available(HashBackend::mbedtls));
        CHECK(hash_backend_available(HashBackend::nettle));
        CHECK(default_hash_backend() == HashBackend::nettle);
    }

    TEST_CASE("every backend matches the FIPS 180-4 known answers") {
        for (auto backend : built_backends()) {
            for (const auto& ka : known_answers()) {
                CAPTURE(hash_backend_name(backend));
                CAPTURE(digest_algorithm_name(ka.algorithm));
                CAPTURE(ka.message.size());
                auto hasher = make_hasher(ka.algorithm, backend);
                hasher->update(ka.message.data(), ka.message.size());
                const Digest d = hasher->finish();
                CHECK(d.algorithm() == ka.algorithm);
                CHECK(d.hex() == ka.hex);
            }
        }
    }

    TEST_CASE("chunked updates give the same digest as one update, across backends") {
        std::mt19937 rng(42);
        std::string data(1 << 20, '\0');
        for (auto& c : data) c = static_cast<char>(rng());
        for (auto algorithm : {DigestAlgorithm::sha256, DigestAlgorithm::sha512}) {
            const Digest whole = digest_of(algorithm, data);
            for (auto backend : built_backends()) {
                auto hasher = make_hasher(algorithm, backend);
                std::size_t offset = 0, step = 1;
                while (offset < data.size()) {
                    const std::size_t n = std::min(step, data.size() - offset);
                    hasher->update(data.data() + offset, n);
                    offset += n;
                    step = step * 3 + 1;
                }
                CAPTURE(hash_backend_name(backend));
                CHECK(hasher->finish() == whole);
            }
        }
    }
}
