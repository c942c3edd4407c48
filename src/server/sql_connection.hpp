// The seam between the storage logic and a database: one statement in, text rows out. Storage
// writes its SQL once, with $1..$N placeholders; each backend binds every parameter (never
// concatenated into the text). SQLite (sqlite_store.cpp) and PostgreSQL (postgres_store.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify::server {

enum class SqlDialect { sqlite, postgresql };

// A bound parameter: text or a 64-bit integer, possibly NULL (typed, so PostgreSQL can tell
// "$1 IS NULL" apart for both kinds).
struct SqlParam {
    enum class Type { text, integer } type = Type::text;
    std::optional<std::string> value;  // decimal text for integers; nullopt = NULL
};
inline SqlParam sql_text(std::string_view text) {
    return {SqlParam::Type::text, std::string(text)};
}
inline SqlParam sql_int(std::int64_t value) {
    return {SqlParam::Type::integer, std::to_string(value)};
}
inline SqlParam sql_null_text() {
    return {SqlParam::Type::text, std::nullopt};
}
inline SqlParam sql_null_int() {
    return {SqlParam::Type::integer, std::nullopt};
}

using SqlRow = std::vector<std::optional<std::string>>;
struct SqlResult {
    std::vector<SqlRow> rows;
    std::int64_t changed = 0;  // rows inserted, updated or deleted
};

class SqlConnection {
public:
    virtual ~SqlConnection() = default;
    virtual SqlDialect dialect() const = 0;
    // One statement with bound parameters. Errors are io_error naming the database.
    virtual Expected<SqlResult> run(std::string_view sql, std::span<const SqlParam> params) = 0;
    // Constant DDL with no parameters (migrations); may hold several statements.
    virtual Status run_script(std::string_view sql) = 0;
    // A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue on busy_timeout).
    virtual Status begin() = 0;
    virtual Status commit() = 0;
    virtual void rollback() = 0;
    // Held until commit or rollback: serializes migrations between server instances
    // (PostgreSQL advisory lock; SQLite's write transaction is already exclusive).
    virtual Status lock_for_migration() = 0;
};

// location: a file path. Created with mode 0600 when absent; WAL, busy_timeout, foreign keys.
Expected<std::unique_ptr<SqlConnection>> open_sqlite_connection(std::string_view path);
// conninfo: a libpq connection string or URI.
Expected<std::unique_ptr<SqlConnection>> open_postgres_connection(std::string_view conninfo);

// Rolls back on scope exit unless committed.
class SqlTransaction {
public:
    explicit SqlTransaction(SqlConnection& db) : db_(db) {}
    ~SqlTransaction() {
        if (open_) db_.rollback();
    }
    SqlTransaction(const SqlTransaction&) = delete;
    SqlTransaction& operator=(const SqlTransaction&) = delete;
    Status begin() {
        auto status = db_.begin();
        open_ = status.has_value();
        return status;
    }
    Status commit() {
        open_ = false;
        auto status = db_.commit();
        if (!status) db_.rollback();
        return status;
    }

private:
    SqlConnection& db_;
    bool open_ = false;
};

}  // namespace edgeverify::server
