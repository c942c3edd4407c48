// prepare_state_directory and state_directory_from_env: private (0700) directories, shared or
// symlinked ones refused.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "edgeverify/state.hpp"

using namespace edgeverify;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    std::string path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ev-state-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() { fs::remove_all(path); }
};

mode_t mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}
}  // namespace

TEST_SUITE("state_directory") {
    TEST_CASE("every directory is created with mode 0700") {
        TempDir dir;
        const StateDirectory state{dir.path + "/state"};
        REQUIRE(prepare_state_directory(state));
        for (const std::string& p : {state.root, state.verdicts(), state.outbox(), state.staging(),
                                     state.quarantine(), state.inbox()}) {
            CAPTURE(p);
            CHECK(fs::is_directory(p));
            CHECK(mode_of(p) == 0700);
        }
        CHECK(prepare_state_directory(state));  // idempotent
    }

    TEST_CASE("a group-writable root is refused and named") {
        TempDir dir;
        const StateDirectory state{dir.path + "/state"};
        REQUIRE(prepare_state_directory(state));
        ::chmod(state.root.c_str(), 0770);
        auto prepared = prepare_state_directory(state);
        REQUIRE_FALSE(prepared);
        CHECK(prepared.error().code == Errc::permission_denied);
        CHECK(prepared.error().message.find("writable by group or others") != std::string::npos);
    }

    TEST_CASE("a world-writable subdirectory is refused") {
        TempDir dir;
        const StateDirectory state{dir.path + "/state"};
        REQUIRE(prepare_state_directory(state));
        ::chmod(state.outbox().c_str(), 0703);
        auto prepared = prepare_state_directory(state);
        REQUIRE_FALSE(prepared);
        CHECK(prepared.error().message.find(state.outbox()) != std::string::npos);
    }

    TEST_CASE("a symlinked subdirectory is refused") {
        TempDir dir;
        const StateDirectory state{dir.path + "/state"};
        fs::create_directories(dir.path + "/elsewhere");
        ::mkdir(state.root.c_str(), 0700);
        fs::create_directory_symlink(dir.path + "/elsewhere", state.outbox());
        auto prepared = prepare_state_directory(state);
        REQUIRE_FALSE(prepared);
        CHECK(prepared.error().code == Errc::permission_denied);
        CHECK(prepared.error().message.find("symlink") != std::string::npos);
    }

    TEST_CASE("EDGEVERIFY_STATE_DIR chooses the root; unset or empty gives the default") {
        ::setenv("EDGEVERIFY_STATE_DIR", "/srv/ev/", 1);
        CHECK(state_directory_from_env().root == "/srv/ev");
        ::setenv("EDGEVERIFY_STATE_DIR", "", 1);
        CHECK(state_directory_from_env().root == std::string(kDefaultStateDir));
        ::unsetenv("EDGEVERIFY_STATE_DIR");
        CHECK(state_directory_from_env().root == std::string(kDefaultStateDir));
        CHECK(state_directory_from_env().verdicts() == "/var/lib/edgeverify/verdicts/sha256");
    }
}
