// The SQLite backend of the storage (the embedded default): one connection to a file created
// with mode 0600, WAL journal, busy_timeout so writers queue, foreign keys on, prepared
// statements cached per SQL text, every parameter bound.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <unordered_map>

#include "edgeverify/limits.hpp"
#include "server/sql_connection.hpp"

namespace edgeverify::server {
namespace {

// Storage writes "$N"; SQLite spells the same numbered parameter "?N".
std::string to_sqlite_placeholders(std::string_view sql) {
    std::string out(sql);
    for (auto& c : out)
        if (c == '$') c = '?';
    return out;
}

Status create_private_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return make_error(errno == ENOENT ? Errc::config : Errc::io_error,
                          "sqlite database " + path + ": " + std::strerror(errno));
    struct stat st {};
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    ::close(fd);
    if (!regular) return make_error(Errc::config, "sqlite database " + path + ": not a regular file");
    return {};
}

class SqliteConnection final : public SqlConnection {
public:
    SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    ~SqliteConnection() override {
        for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
        sqlite3_close(db_);
    }

    SqlDialect dialect() const override { return SqlDialect::sqlite; }

    Expected<SqlResult> run(std::string_view sql, std::span<const SqlParam> params) override {
        auto stmt = prepare(sql);
        if (!stmt) return stmt.take_error();
        sqlite3_stmt* s = *stmt;
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } reset{s};
        for (std::size_t i = 0; i < params.size(); ++i) {
            int index = static_cast<int>(i + 1);
            const auto& p = params[i];
            int rc = SQLITE_OK;
            if (!p.value) {
                rc = sqlite3_bind_null(s, index);
            } else if (p.type == SqlParam::Type::integer) {
                std::int64_t v = 0;
                std::from_chars(p.value->data(), p.value->data() + p.value->size(), v);
                rc = sqlite3_bind_int64(s, index, v);
            } else {
                rc = sqlite3_bind_text(s, index, p.value->data(), static_cast<int>(p.value->size()),
                                       SQLITE_TRANSIENT);
            }
            if (rc != SQLITE_OK) return failure("binding parameter " + std::to_string(index));
        }
        SqlResult result;
        int columns = sqlite3_column_count(s);
        for (;;) {
            int rc = sqlite3_step(s);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) return failure("running a statement");
            SqlRow row;
            for (int c = 0; c < columns; ++c) {
                if (sqlite3_column_type(s, c) == SQLITE_NULL) {
                    row.emplace_back(std::nullopt);
                } else {
                    auto text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
                    row.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, c))));
                }
            }
            result.rows.push_back(std::move(row));
        }
        result.changed = sqlite3_stmt_readonly(s) ? 0 : sqlite3_changes64(db_);
        return result;
    }

    Status run_script(std::string_view sql) override {
        char* message = nullptr;
        std::string text(sql);
        if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            std::string why = message ? message : "unknown error";
            sqlite3_free(message);
            return make_error(Errc::io_error, "sqlite database " + path_ + ": " + why);
        }
        return {};
    }

    Status begin() override { return run_script("BEGIN IMMEDIATE"); }
    Status commit() override { return run_script("COMMIT"); }
    void rollback() override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
    // BEGIN IMMEDIATE already holds SQLite's one write lock.
    Status lock_for_migration() override { return {}; }

private:
    Expected<sqlite3_stmt*> prepare(std::string_view sql) {
        std::string key(sql);
        if (auto it = statements_.find(key); it != statements_.end()) return it->second;
        std::string text = to_sqlite_placeholders(sql);
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                               &stmt, nullptr) != SQLITE_OK)
            return failure("preparing a statement");
        statements_.emplace(std::move(key), stmt);
        return stmt;
    }

    Error failure(std::string_view doing) const {
        int code = sqlite3_extended_errcode(db_);
        // A unique or foreign-key constraint: the caller asked for something that exists (or not).
        Errc errc = (code & 0xff) == SQLITE_CONSTRAINT ? Errc::usage : Errc::io_error;
        return make_error(
            errc, "sqlite database " + path_ + ": " + std::string(doing) + ": " + sqlite3_errmsg(db_));
    }

    sqlite3* db_;
    std::string path_;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

Expected<std::unique_ptr<SqlConnection>> open_sqlite_connection(std::string_view path_view) {
    std::string path(path_view);
    if (path.empty()) return make_error(Errc::config, "sqlite location has no path (sqlite:/path/to/db)");
    if (auto created = create_private_file(path); !created) return created.take_error();
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return make_error(Errc::io_error, "sqlite database " + path + ": " + why);
    }
    auto connection = std::make_unique<SqliteConnection>(db, path);
    sqlite3_busy_timeout(db, limits::kSqliteBusyTimeoutMs);
    // WAL: readers never block the writer. synchronous=FULL: an acknowledged report survives a power
    // cut (the device deletes it once acknowledged). Foreign keys are off by default in SQLite.
    auto pragmas =
        connection->run_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
    if (!pragmas) return pragmas.take_error();
    return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace edgeverify::server
