// Fuzz target: CRL files of trust/crl/ (PEM "X509 CRL" or DER; x509.hpp load_revocation_lists).
// The loader reads a directory, so each input is written as the one file of a private temporary
// directory, removed at exit.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "edgeverify/x509.hpp"

namespace {

struct CrlDirectory {
    std::string path;
    CrlDirectory() {
        char pattern[] = "/tmp/edgeverify-fuzz-crl.XXXXXX";
        if (mkdtemp(pattern) == nullptr) std::abort();
        path = pattern;
    }
    ~CrlDirectory() {
        std::remove((path + "/input.crl").c_str());
        rmdir(path.c_str());
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const CrlDirectory directory;
    {
        std::ofstream out(directory.path + "/input.crl", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!out) std::abort();
    }
    (void)edgeverify::load_revocation_lists(directory.path);
    return 0;
}
