// The PostgreSQL backend of the storage (several server instances sharing one database): libpq,
// every statement through PQexecParams with typed, bound parameters; migrations serialized
// between instances by a transaction-scoped advisory lock.
#include <libpq-fe.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "server/sql_connection.hpp"

namespace edgeverify::server {
namespace {

// PostgreSQL type OIDs (pg_type.h): the parameter types Storage binds.
constexpr Oid kTextOid = 25;
constexpr Oid kInt8Oid = 20;
// The advisory lock key every edgeverify-server instance takes around migrations ("evstore1").
constexpr long long kMigrationLockKey = 0x657673746f726531LL;

void ignore_notice(void*, const char*) {}

class PostgresConnection final : public SqlConnection {
public:
    explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
    ~PostgresConnection() override { PQfinish(conn_); }

    SqlDialect dialect() const override { return SqlDialect::postgresql; }

    Expected<SqlResult> run(std::string_view sql, std::span<const SqlParam> params) override {
        std::vector<Oid> types;
        std::vector<const char*> values;
        types.reserve(params.size());
        values.reserve(params.size());
        for (const auto& p : params) {
            types.push_back(p.type == SqlParam::Type::integer ? kInt8Oid : kTextOid);
            values.push_back(p.value ? p.value->c_str() : nullptr);
        }
        std::string text(sql);
        PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), types.data(),
                                     values.data(), nullptr, nullptr, 0);
        struct Clear {
            PGresult* r;
            ~Clear() { PQclear(r); }
        } clear{res};
        auto status = PQresultStatus(res);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return failure(res);
        SqlResult result;
        int rows = PQntuples(res);
        int columns = PQnfields(res);
        result.rows.reserve(static_cast<std::size_t>(rows));
        for (int r = 0; r < rows; ++r) {
            SqlRow row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                if (PQgetisnull(res, r, c))
                    row.emplace_back(std::nullopt);
                else
                    row.emplace_back(
                        std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
            }
            result.rows.push_back(std::move(row));
        }
        const char* tuples = PQcmdTuples(res);
        result.changed = (tuples && *tuples) ? std::atoll(tuples) : 0;
        return result;
    }

    Status run_script(std::string_view sql) override {
        std::string text(sql);
        PGresult* res = PQexec(conn_, text.c_str());
        auto status = PQresultStatus(res);
        Status outcome;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) outcome = failure(res);
        PQclear(res);
        return outcome;
    }

    Status begin() override { return run_script("BEGIN"); }
    Status commit() override { return run_script("COMMIT"); }
    void rollback() override { PQclear(PQexec(conn_, "ROLLBACK")); }
    Status lock_for_migration() override {
        std::vector<SqlParam> key{sql_int(kMigrationLockKey)};
        auto locked = run("SELECT pg_advisory_xact_lock($1)", key);
        if (!locked) return locked.take_error();
        return {};
    }

private:
    Error failure(const PGresult* res) const {
        const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        std::string sqlstate = state ? state : "";
        // Class 23 (integrity constraint): something that exists already, or does not exist.
        Errc errc = sqlstate.rfind("23", 0) == 0 ? Errc::usage : Errc::io_error;
        std::string why = PQerrorMessage(conn_);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        return make_error(errc, "postgresql database " + std::string(PQdb(conn_)) + ": " + why +
                                    (sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")"));
    }

    PGconn* conn_;
};

}  // namespace

Expected<std::unique_ptr<SqlConnection>> open_postgres_connection(std::string_view conninfo) {
    std::string text(conninfo);
    PGconn* conn = PQconnectdb(text.c_str());
    if (!conn) return make_error(Errc::io_error, "postgresql: out of memory creating a connection");
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string why = PQerrorMessage(conn);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        PQfinish(conn);
        // The connection string itself never goes into the message: it may carry a password.
        return make_error(Errc::io_error, "postgresql: cannot connect: " + why);
    }
    PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    auto connection = std::make_unique<PostgresConnection>(conn);
    // Times are Unix seconds in BIGINT columns; UTF8 so text round-trips unchanged.
    if (auto set = connection->run_script("SET client_encoding = 'UTF8'"); !set) return set.take_error();
    return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace edgeverify::server
