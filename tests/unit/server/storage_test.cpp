// The storage specification against SQLite (a temporary file per case), plus what only the SQLite
// backend does: the file's mode, WAL, and the location grammar. The same cases run against
// PostgreSQL in edgeverify-store-postgres-tests (tests/integration/test_store_postgres.sh).
#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

#include "server/sql_connection.hpp"
#include "server/storage.hpp"

namespace {

// A fresh SQLite database file in its own temporary directory, removed at the end of the case.
struct SqliteBackend {
    SqliteBackend() {
        char pattern[] = "/tmp/edgeverify-store-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        dir = pattern;
    }
    ~SqliteBackend() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    std::string path() const { return dir + "/fleet.db"; }
    std::string location() const { return "sqlite:" + path(); }
    std::unique_ptr<edgeverify::server::SqlConnection> raw() const {
        auto connection = edgeverify::server::open_sqlite_connection(path());
        REQUIRE(connection);
        return std::move(*connection);
    }
    std::string dir;
};

}  // namespace

TYPE_TO_STRING(SqliteBackend);
#define EDGEVERIFY_STORE_BACKENDS SqliteBackend
#include "unit/server/storage_query_cases.hpp"

TEST_CASE("storage sqlite: the database file is created 0600 in WAL mode with foreign keys on") {
    SqliteBackend db;
    ::umask(022);
    auto store = open_store(db.location());
    struct stat st {};
    REQUIRE(::stat(db.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto raw = db.raw();
    CHECK(raw->run("PRAGMA journal_mode", {})->rows[0][0] == "wal");
    CHECK(raw->run("PRAGMA foreign_keys", {})->rows[0][0] == "1");
    CHECK(store->backend_name() == "sqlite");
}

TEST_CASE("storage sqlite: locations that are not sqlite:PATH or postgresql:// are refused by name") {
    SqliteBackend db;
    for (std::string bad : {"mysql://localhost/fleet", "/tmp/fleet.db", "", "sqlite:", "SQLITE:/tmp/x.db"}) {
        auto store = edgeverify::server::Storage::open(bad);
        REQUIRE_FALSE(store);
        CHECK(store.error().code == edgeverify::Errc::config);
    }
    auto missing_dir = edgeverify::server::Storage::open("sqlite:" + db.dir + "/no/such/dir/fleet.db");
    REQUIRE_FALSE(missing_dir);
    CHECK(missing_dir.error().code == edgeverify::Errc::config);
    CHECK(missing_dir.error().message.find("/no/such/dir/fleet.db") != std::string::npos);
    std::filesystem::create_symlink("/etc/passwd", db.dir + "/link.db");
    auto link = edgeverify::server::Storage::open("sqlite:" + db.dir + "/link.db");
    REQUIRE_FALSE(link);
    CHECK(link.error().code == edgeverify::Errc::io_error);
}

TEST_CASE("storage sqlite: a database that is not SQLite is an io error naming the file") {
    SqliteBackend db;
    {
        std::FILE* f = std::fopen(db.path().c_str(), "w");
        REQUIRE(f);
        std::fputs("this is not a database, just text that is long enough to look like a header....", f);
        std::fclose(f);
    }
    auto store = edgeverify::server::Storage::open(db.location());
    REQUIRE_FALSE(store);
    CHECK(store.error().code == edgeverify::Errc::io_error);
    CHECK(store.error().message.find(db.path()) != std::string::npos);
}
