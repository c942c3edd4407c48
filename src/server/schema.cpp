// Migrations of the storage schema (docs/server-storage.md describes every table). A migration
// is never edited once released: a change is a new one. Only id columns differ between dialects.
#include "server/schema.hpp"

#include <string>
#include <vector>

namespace edgeverify::server {
namespace {

struct Migration {
    int version;
    const char* name;
    const char* sql;  // "%ID%" is the dialect's auto-increment primary key
};

// Version 1: devices, bootstrap tokens, reports with their extracted images and alarms, and the
// conflicting replays.
constexpr const char* kV1 = R"sql(
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  public_key_pem TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'revoked')),
  enrolled_at BIGINT NOT NULL,
  status_changed_at BIGINT NOT NULL,
  last_seen BIGINT,
  latest_device_report_id BIGINT,
  latest_device_report_sequence BIGINT
);
CREATE INDEX devices_status ON devices (status, last_seen);
CREATE TABLE device_labels (
  device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (device_id, name)
);
CREATE TABLE bootstrap_tokens (
  token_sha256 TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  max_uses BIGINT NOT NULL CHECK (max_uses >= 1),
  uses BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE TABLE reports (
  id %ID%,
  device_id TEXT NOT NULL REFERENCES devices (id),
  sequence BIGINT NOT NULL CHECK (sequence >= 1),
  envelope_sha256 TEXT NOT NULL,
  envelope TEXT NOT NULL,
  predicate_type TEXT NOT NULL,
  subject_name TEXT NOT NULL,
  subject_digest TEXT NOT NULL,
  verification_result TEXT,
  admitted BIGINT,
  report_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  alarm_count BIGINT NOT NULL DEFAULT 0,
  UNIQUE (device_id, sequence)
);
CREATE INDEX reports_device ON reports (device_id, id);
CREATE INDEX reports_subject_digest ON reports (subject_digest, id);
CREATE INDEX reports_result ON reports (verification_result, id);
CREATE INDEX reports_time ON reports (report_time);
CREATE TABLE report_images (
  report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  reference TEXT NOT NULL,
  digest TEXT NOT NULL,
  verdict TEXT NOT NULL,
  PRIMARY KEY (report_id, position)
);
CREATE INDEX report_images_digest ON report_images (digest, report_id);
CREATE TABLE report_alarms (
  report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  digest TEXT,
  PRIMARY KEY (report_id, position)
);
CREATE TABLE report_conflicts (
  id %ID%,
  report_id BIGINT NOT NULL REFERENCES reports (id),
  device_id TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  envelope_sha256 TEXT NOT NULL,
  envelope TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX report_conflicts_device ON report_conflicts (device_id, sequence);
)sql";

// Version 2: the reason of a failed or not-admitted verification (report_reason.hpp), computed at
// ingest (reports stored before it keep ''), and an index for the report-kind filter.
constexpr const char* kV2 = R"sql(
ALTER TABLE reports ADD COLUMN reason TEXT NOT NULL DEFAULT '';
CREATE INDEX reports_kind ON reports (predicate_type, id);
)sql";

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all{{1, "devices, tokens, reports", kV1},
                                            {2, "report reason, kind index", kV2}};
    return all;
}

std::string for_dialect(std::string sql, SqlDialect dialect) {
    const std::string id = dialect == SqlDialect::sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                                         : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    for (auto at = sql.find("%ID%"); at != std::string::npos; at = sql.find("%ID%")) sql.replace(at, 4, id);
    return sql;
}

constexpr const char* kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";

}  // namespace

int latest_schema_version() {
    return migrations().back().version;
}

Expected<int> apply_migrations(SqlConnection& db, std::int64_t now) {
    SqlTransaction tx(db);
    if (auto began = tx.begin(); !began) return began.take_error();
    if (auto locked = db.lock_for_migration(); !locked) return locked.take_error();
    if (auto created = db.run_script(kMigrationsTable); !created) return created.take_error();
    auto current = db.run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
    if (!current) return current.take_error();
    int version = std::stoi(current->rows.at(0).at(0).value_or("0"));
    if (version > latest_schema_version())
        return make_error(Errc::config, "database schema version " + std::to_string(version) +
                                            " is newer than this edgeverify-server knows (" +
                                            std::to_string(latest_schema_version()) +
                                            "): upgrade the server, never the other way round");
    for (const auto& migration : migrations()) {
        if (migration.version <= version) continue;
        if (auto applied = db.run_script(for_dialect(migration.sql, db.dialect())); !applied)
            return make_error(applied.error().code, "migration " + std::to_string(migration.version) + ": " +
                                                        applied.error().message);
        std::vector<SqlParam> row{sql_int(migration.version), sql_text(migration.name), sql_int(now)};
        auto recorded =
            db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", row);
        if (!recorded) return recorded.take_error();
        version = migration.version;
    }
    if (auto committed = tx.commit(); !committed) return committed.take_error();
    return version;
}

}  // namespace edgeverify::server
