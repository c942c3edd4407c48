// Test support for src/net loopback tests: certificates made by the openssl CLI in a temp dir,
// and running a libuv loop until a condition holds (bounded, so a bug cannot hang the suite).
#pragma once

#include <doctest/doctest.h>
#include <uv.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace edgeverify::net::test {

// A CA, a server leaf for DNS:localhost, a server leaf for DNS:elsewhere.example, a client leaf
// (CN=device-1) from the same CA, and an unrelated CA. Made once per test binary run.
struct TestPki {
    std::filesystem::path dir;
    std::string path(const char* name) const { return (dir / name).string(); }
};

inline bool run_openssl(const std::filesystem::path& dir, const std::string& args) {
    const std::string command = "cd '" + dir.string() + "' && openssl " + args + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

inline const TestPki& test_pki() {
    static const TestPki pki = [] {
        TestPki made;
        std::string pattern = (std::filesystem::temp_directory_path() / "edgeverify-net-pki-XXXXXX").string();
        made.dir = ::mkdtemp(pattern.data());
        const auto& d = made.dir;
        const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        auto leaf = [&](const std::string& name, const std::string& cn, const std::string& ext, const char* ca) {
            std::ofstream(d / (name + ".ext")) << ext << "\n";
            return run_openssl(d, "req " + key + " -keyout " + name + ".key -out " + name + ".csr -subj '/CN=" + cn +
                                      "'") &&
                   run_openssl(d, std::string("x509 -req -in ") + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
                                      ".key -CAcreateserial -days 2 -out " + name + ".pem -extfile " + name + ".ext");
        };
        const bool ok =
            run_openssl(d, "req -x509 " + key + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=edgeverify test CA'") &&
            run_openssl(d, "req -x509 " + key + " -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=other CA'") &&
            leaf("server", "localhost", "subjectAltName=DNS:localhost", "ca") &&
            leaf("elsewhere", "elsewhere.example", "subjectAltName=DNS:elsewhere.example", "ca") &&
            leaf("client", "device-1", "extendedKeyUsage=clientAuth", "ca") &&
            leaf("stranger", "stranger", "extendedKeyUsage=clientAuth", "other-ca");
        if (!ok) made.dir.clear();
        return made;
    }();
    static const struct Remover {
        std::filesystem::path dir;
        ~Remover() {
            std::error_code ignored;
            if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
        }
    } remover{pki.dir};
    return pki;
}

// Runs `loop` until `done()` or `limit_ms` passes; true when done() held.
inline bool run_until(uv_loop_t* loop, const std::function<bool()>& done, uint64_t limit_ms = 10000) {
    const uint64_t deadline = uv_now(loop) + limit_ms;
    uv_timer_t tick;
    uv_timer_init(loop, &tick);
    uv_timer_start(&tick, [](uv_timer_t*) {}, 20, 20);  // wakes the loop to check the deadline
    while (!done() && uv_now(loop) < deadline) uv_run(loop, UV_RUN_ONCE);
    uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
    uv_run(loop, UV_RUN_NOWAIT);
    return done();
}

// A libuv loop for one test; closing it checks that every handle the test opened was closed.
struct Loop {
    uv_loop_t loop{};
    Loop() { uv_loop_init(&loop); }
    ~Loop() {
        uv_run(&loop, UV_RUN_NOWAIT);
        CHECK(uv_loop_close(&loop) == 0);  // every handle was closed
    }
};

}  // namespace edgeverify::net::test
