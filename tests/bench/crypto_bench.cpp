// edgeverify-crypto-bench KEYS_DIR: time to verify one signature per key type (median of 7
// batches), with the openssl-made keys and signatures of tests/data/keys. Not a test.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edgeverify/crypto.hpp"

using namespace edgeverify;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: edgeverify-crypto-bench KEYS_DIR (tests/data/keys)\n");
        return 2;
    }
    const std::string dir = argv[1];
    const std::string message = read_file(dir + "/message.txt");
    struct Case {
        const char* name;
        int per_batch;
    };
    std::printf("| key | signature | verify µs (median of 7 batches) | verifies/s |\n|---|---|---|---|\n");
    for (const Case c : {Case{"p256", 2000}, Case{"p384", 500}, Case{"rsa2048", 5000}, Case{"rsa3072", 3000},
                         Case{"ed25519", 2000}}) {
        auto key = parse_public_key_pem(read_file(dir + "/" + c.name + ".pub"), c.name);
        const std::string signature = read_file(dir + "/" + c.name + ".sig");
        if (!key || !verify_signature(*key, message, signature)) {
            std::fprintf(stderr, "%s: the fixture does not verify\n", c.name);
            return 1;
        }
        std::vector<double> per_op;
        for (int batch = 0; batch < 7; ++batch) {
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < c.per_batch; ++i) {
                if (!verify_signature(*key, message, signature)) return 1;
            }
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            per_op.push_back(seconds / c.per_batch * 1e6);
        }
        std::sort(per_op.begin(), per_op.end());
        const double median = per_op[3];
        std::printf("| %s | %s | %.1f | %.0f |\n", c.name, std::string(key_type_name(key->type())).c_str(),
                    median, 1e6 / median);
    }
    return 0;
}
