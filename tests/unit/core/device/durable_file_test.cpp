// write_file_durably and read_state_file: mode, atomic replace, symlinks at the last component
// replaced and never followed, missing directories, size bounds.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "edgeverify/state.hpp"

using namespace edgeverify;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    std::string path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ev-durable-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() { fs::remove_all(path); }
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}
}  // namespace

TEST_SUITE("durable_file") {
    TEST_CASE("a new file gets the content and exactly the requested mode, whatever the umask") {
        TempDir dir;
        const mode_t old = ::umask(077);
        REQUIRE(write_file_durably(dir.path + "/a.json", "{}", 0644));
        ::umask(old);
        CHECK(slurp(dir.path + "/a.json") == "{}");
        CHECK(mode_of(dir.path + "/a.json") == 0644);
        REQUIRE(write_file_durably(dir.path + "/key", "secret"));
        CHECK(mode_of(dir.path + "/key") == 0600);
    }

    TEST_CASE("an existing file is replaced whole and no temporary file is left behind") {
        TempDir dir;
        REQUIRE(write_file_durably(dir.path + "/f", std::string(10000, 'a')));
        REQUIRE(write_file_durably(dir.path + "/f", "short"));
        CHECK(slurp(dir.path + "/f") == "short");
        int entries = 0;
        for (const auto& e : fs::directory_iterator(dir.path)) {
            (void)e;
            ++entries;
        }
        CHECK(entries == 1);
    }

    TEST_CASE("a symlink at the last component is replaced, its target untouched") {
        TempDir dir;
        REQUIRE(write_file_durably(dir.path + "/target", "original"));
        fs::create_symlink(dir.path + "/target", dir.path + "/link");
        REQUIRE(write_file_durably(dir.path + "/link", "new"));
        CHECK(slurp(dir.path + "/target") == "original");
        CHECK_FALSE(fs::is_symlink(dir.path + "/link"));
        CHECK(slurp(dir.path + "/link") == "new");
    }

    TEST_CASE("a missing directory is not_found and creates nothing") {
        TempDir dir;
        auto written = write_file_durably(dir.path + "/missing/f", "x");
        REQUIRE_FALSE(written);
        CHECK(written.error().code == Errc::not_found);
        CHECK(written.error().message.find(dir.path + "/missing") != std::string::npos);
        CHECK_FALSE(fs::exists(dir.path + "/missing"));
    }

    TEST_CASE("read_state_file: absent is nullopt, content is returned whole") {
        TempDir dir;
        auto absent = read_state_file(dir.path + "/none", 100);
        REQUIRE(absent);
        CHECK_FALSE(absent->has_value());
        REQUIRE(write_file_durably(dir.path + "/f", "hello"));
        auto present = read_state_file(dir.path + "/f", 5);
        REQUIRE(present);
        CHECK(**present == "hello");
    }

    TEST_CASE("read_state_file: over max_bytes is limit_exceeded") {
        TempDir dir;
        REQUIRE(write_file_durably(dir.path + "/f", "hello!"));
        auto big = read_state_file(dir.path + "/f", 5);
        REQUIRE_FALSE(big);
        CHECK(big.error().code == Errc::limit_exceeded);
    }

    TEST_CASE("read_state_file never follows a symlink at the last component") {
        TempDir dir;
        REQUIRE(write_file_durably(dir.path + "/target", "x"));
        fs::create_symlink(dir.path + "/target", dir.path + "/link");
        auto read = read_state_file(dir.path + "/link", 100);
        REQUIRE_FALSE(read);
        CHECK(read.error().code == Errc::unsafe_path);
    }

    TEST_CASE("remove_file_durably removes, and absent is not an error") {
        TempDir dir;
        REQUIRE(write_file_durably(dir.path + "/f", "x"));
        CHECK(remove_file_durably(dir.path + "/f"));
        CHECK_FALSE(fs::exists(dir.path + "/f"));
        CHECK(remove_file_durably(dir.path + "/f"));
    }
}
