// The storage specification against PostgreSQL. The cluster comes from
// tests/integration/test_store_postgres.sh, which starts a private PostgreSQL 15 and passes its
// address in EDGEVERIFY_TEST_POSTGRES (postgresql://postgres@127.0.0.1:<port>); without it every
// case fails. Each case creates a fresh database and drops it at the end.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "server/sql_connection.hpp"

namespace {

struct PostgresBackend {
    PostgresBackend() {
        const char* server_env = std::getenv("EDGEVERIFY_TEST_POSTGRES");
        if (!server_env || !*server_env)
            FAIL("EDGEVERIFY_TEST_POSTGRES is not set: run tests/integration/test_store_postgres.sh");
        server = server_env;
        static int counter = 0;
        // Only letters, digits and '_': safe as an identifier in the one statement that names it.
        name = "evstore_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        auto made = admin()->run_script("CREATE DATABASE " + name);
        if (!made) FAIL("CREATE DATABASE " << name << ": " << made.error().message);
    }
    ~PostgresBackend() {
        auto connection = edgeverify::server::open_postgres_connection(server + "/postgres");
        if (connection) (void)(*connection)->run_script("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
    std::unique_ptr<edgeverify::server::SqlConnection> admin() const {
        auto connection = edgeverify::server::open_postgres_connection(server + "/postgres");
        if (!connection) FAIL("connecting to " << server << ": " << connection.error().message);
        return std::move(*connection);
    }
    std::string location() const { return server + "/" + name; }
    std::unique_ptr<edgeverify::server::SqlConnection> raw() const {
        auto connection = edgeverify::server::open_postgres_connection(location());
        if (!connection) FAIL("connecting to " << location() << ": " << connection.error().message);
        return std::move(*connection);
    }
    std::string server;
    std::string name;
};

}  // namespace

TYPE_TO_STRING(PostgresBackend);
#define EDGEVERIFY_STORE_BACKENDS PostgresBackend
#include "unit/server/storage_query_cases.hpp"

TEST_CASE("storage postgresql: the backend names itself and refuses an unreachable server") {
    PostgresBackend db;
    auto store = edgeverify::server::Storage::open(db.location());
    REQUIRE(store);
    CHECK((*store)->backend_name() == "postgresql");
    // Port 1 on loopback: nothing listens there.
    auto refused = edgeverify::server::Storage::open("postgresql://postgres:secret@127.0.0.1:1/fleet");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == edgeverify::Errc::io_error);
    CHECK(refused.error().message.find("cannot connect") != std::string::npos);
    CHECK(refused.error().message.find("secret") == std::string::npos);
}
