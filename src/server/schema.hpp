// The storage schema as numbered migrations, the same tables in both SQL dialects.
#pragma once

#include "edgeverify/error.hpp"
#include "server/sql_connection.hpp"

namespace edgeverify::server {

// The newest schema version this build knows.
int latest_schema_version();

// Applies every migration above the database's version, each recorded in schema_migrations, in
// one transaction under the migration lock (idempotent; several instances may race). A database
// whose version is newer than latest_schema_version() -> config error naming both versions.
// Returns the version the database is at.
Expected<int> apply_migrations(SqlConnection& db, std::int64_t now);

}  // namespace edgeverify::server
