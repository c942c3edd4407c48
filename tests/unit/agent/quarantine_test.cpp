// Quarantine bounds (oldest first, by count and by bytes), the agent's own quarantine move with
// its reason file, and the removal of staging directories left by dead installs.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "agent/quarantine.hpp"

using namespace edgeverify;
using namespace edgeverify::agent;
namespace fs = std::filesystem;

namespace {

struct TempState {
    StateDirectory state;
    TempState() {
        state.root = (fs::temp_directory_path() / ("ev-quarantine-test-" + std::to_string(::getpid()))).string();
        fs::remove_all(state.root);
        REQUIRE(prepare_state_directory(state).has_value());
    }
    ~TempState() { fs::remove_all(state.root); }
};

// quarantine/<name>/blob of `bytes` bytes, with the entry's mtime set to `age` seconds after epoch.
void make_entry(const StateDirectory& s, const std::string& name, std::size_t bytes, long age) {
    const fs::path dir = fs::path(s.quarantine()) / name;
    fs::create_directories(dir);
    std::ofstream(dir / "blob") << std::string(bytes, 'x');
    const struct timespec times[2] = {{age, 0}, {age, 0}};
    REQUIRE(::utimensat(AT_FDCWD, dir.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

}  // namespace

TEST_CASE("quarantine: pruning by entry count removes the oldest first") {
    TempState t;
    make_entry(t.state, "c-newest", 10, 3000);
    make_entry(t.state, "a-oldest", 10, 1000);
    make_entry(t.state, "b-middle", 10, 2000);
    auto pruned = prune_quarantine(t.state, 2, 1 << 20);
    REQUIRE(pruned.has_value());
    CHECK(pruned->removed == std::vector<std::string>{"a-oldest"});
    CHECK(pruned->kept_entries == 2);
    CHECK(pruned->kept_bytes == 20);
    CHECK_FALSE(fs::exists(fs::path(t.state.quarantine()) / "a-oldest"));
    CHECK(fs::exists(fs::path(t.state.quarantine()) / "b-middle"));
}

TEST_CASE("quarantine: pruning by bytes keeps the newest entries that fit") {
    TempState t;
    make_entry(t.state, "old", 600, 1000);
    make_entry(t.state, "mid", 300, 2000);
    make_entry(t.state, "new", 300, 3000);
    auto pruned = prune_quarantine(t.state, 16, 700);
    REQUIRE(pruned.has_value());
    CHECK(pruned->removed == std::vector<std::string>{"old"});
    CHECK(pruned->kept_bytes == 600);
}

TEST_CASE("quarantine: a newest entry alone over maxBytes is removed with all older ones") {
    TempState t;
    make_entry(t.state, "old", 10, 1000);
    make_entry(t.state, "huge", 5000, 2000);
    auto pruned = prune_quarantine(t.state, 16, 1000);
    REQUIRE(pruned.has_value());
    CHECK(pruned->removed == std::vector<std::string>{"old", "huge"});
    CHECK(pruned->kept_entries == 0);
}

TEST_CASE("quarantine: within bounds nothing is removed, and a symlink is sized, not followed") {
    TempState t;
    make_entry(t.state, "one", 10, 1000);
    fs::create_symlink("/usr", fs::path(t.state.quarantine()) / "one" / "link");
    auto pruned = prune_quarantine(t.state, 16, 1 << 20);
    REQUIRE(pruned.has_value());
    CHECK(pruned->removed.empty());
    CHECK(pruned->kept_bytes == 10);
    CHECK(fs::exists("/usr/bin"));
}

TEST_CASE("quarantine: an inbox entry is moved aside with reason.txt") {
    TempState t;
    std::ofstream(fs::path(t.state.inbox()) / "bad name\n.tar") << "junk";
    auto moved = quarantine_inbox_entry(t.state, "bad name\n.tar", "untrusted: no signature");
    REQUIRE(moved.has_value());
    CHECK(moved->find(t.state.quarantine() + "/") == 0);
    CHECK(moved->find("-agent-bad_name_.tar") != std::string::npos);
    CHECK(fs::exists(fs::path(*moved) / "bad_name_.tar"));
    std::ifstream reason(fs::path(*moved) / "reason.txt");
    std::string text((std::istreambuf_iterator<char>(reason)), std::istreambuf_iterator<char>());
    CHECK(text == "untrusted: no signature\n");
    CHECK_FALSE(fs::exists(fs::path(t.state.inbox()) / "bad name\n.tar"));
}

TEST_CASE("quarantine: moving an entry that is not in the inbox is an io_error naming it") {
    TempState t;
    auto moved = quarantine_inbox_entry(t.state, "missing.tar", "x");
    REQUIRE_FALSE(moved.has_value());
    CHECK(moved.error().code == Errc::io_error);
    CHECK(moved.error().message.find("cannot move " + t.state.inbox() + "/missing.tar") == 0);
}

TEST_CASE("staging: directories of dead installs are removed, a live one is kept") {
    TempState t;
    const std::string live = "20261128T015000Z-" + std::to_string(::getpid()) + "-app.tar";
    const std::string dead = "20261128T015000Z-999999999-app.tar";  // not a valid pid
    const std::string odd = "leftover";
    for (const auto& name : {live, dead, odd}) fs::create_directories(fs::path(t.state.staging()) / name / "layout");
    auto removed = remove_stale_staging(t.state);
    std::sort(removed.begin(), removed.end());
    CHECK(removed == std::vector<std::string>{dead, odd});
    CHECK(fs::exists(fs::path(t.state.staging()) / live));
}
