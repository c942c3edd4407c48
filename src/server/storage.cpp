// Storage: opening a location, devices and bootstrap tokens (reports: storage_reports.cpp,
// fleet queries: storage_queries.cpp).
#include "server/storage.hpp"

#include <algorithm>
#include <ctime>
#include <set>

#include "edgeverify/limits.hpp"
#include "server/schema.hpp"
#include "server/sql_connection.hpp"
#include "server/storage_values.hpp"

namespace edgeverify::server {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

Status check_new_device(const NewDevice& d) {
    if (auto s = check_required_text("device id", d.id, limits::kMaxDeviceIdBytes, "kMaxDeviceIdBytes"); !s)
        return s;
    if (auto s = check_required_text("public key of device " + d.id, d.public_key_pem,
                                     limits::kMaxPublicKeyPemBytes, "kMaxPublicKeyPemBytes");
        !s)
        return s;
    if (auto s = check_required_text("fingerprint of device " + d.id, d.fingerprint,
                                     limits::kMaxReportDigestBytes, "kMaxReportDigestBytes");
        !s)
        return s;
    if (d.labels.size() > limits::kMaxDeviceLabels)
        return make_error(Errc::limit_exceeded, "device " + d.id + " has " + std::to_string(d.labels.size()) +
                                                    " labels, over kMaxDeviceLabels (" +
                                                    std::to_string(limits::kMaxDeviceLabels) + ")");
    std::set<std::string_view> names;
    for (const auto& label : d.labels) {
        if (auto s = check_required_text("label name of device " + d.id, label.name,
                                         limits::kMaxLabelNameBytes, "kMaxLabelNameBytes");
            !s)
            return s;
        if (auto s = check_text("label " + label.name + " of device " + d.id, label.value,
                                limits::kMaxLabelValueBytes, "kMaxLabelValueBytes");
            !s)
            return s;
        if (!names.insert(label.name).second)
            return make_error(Errc::usage, "device " + d.id + " names label " + label.name + " twice");
    }
    return {};
}

Expected<DeviceStatus> parse_status(const std::string& text) {
    if (text == "pending") return DeviceStatus::pending;
    if (text == "active") return DeviceStatus::active;
    if (text == "revoked") return DeviceStatus::revoked;
    return make_error(Errc::internal, "device status '" + text + "' in the database");
}

}  // namespace

std::string_view device_status_name(DeviceStatus status) {
    switch (status) {
        case DeviceStatus::pending:
            return "pending";
        case DeviceStatus::active:
            return "active";
        case DeviceStatus::revoked:
            return "revoked";
    }
    return "pending";
}

Expected<std::unique_ptr<Storage>> Storage::open(std::string_view location) {
    Expected<std::unique_ptr<SqlConnection>> connection =
        make_error(Errc::config, "storage location must be sqlite:/path/to/db or postgresql://...");
    if (location.starts_with(kSqlitePrefix))
        connection = open_sqlite_connection(location.substr(kSqlitePrefix.size()));
    else if (location.starts_with("postgresql://") || location.starts_with("postgres://"))
        connection = open_postgres_connection(location);
    if (!connection) return connection.take_error();
    auto storage = std::make_unique<Storage>(std::move(*connection));
    auto version = apply_migrations(*storage->db_, static_cast<std::int64_t>(std::time(nullptr)));
    if (!version) return version.take_error();
    storage->schema_version_ = *version;
    return storage;
}

Storage::Storage(std::unique_ptr<SqlConnection> connection) : db_(std::move(connection)) {}
Storage::~Storage() = default;

int Storage::schema_version() const {
    return schema_version_;
}

std::string_view Storage::backend_name() const {
    return db_->dialect() == SqlDialect::sqlite ? "sqlite" : "postgresql";
}

Status Storage::insert_device(const NewDevice& d, DeviceStatus status, UnixSeconds now) {
    std::vector<SqlParam> row{sql_text(d.id), sql_text(d.fingerprint), sql_text(d.public_key_pem),
                              sql_text(device_status_name(status)), sql_int(now)};
    // ON CONFLICT DO NOTHING: a taken id or fingerprint is a usage error, not a database failure.
    auto inserted = db_->run(
        "INSERT INTO devices (id, fingerprint, public_key_pem, status, enrolled_at, status_changed_at) "
        "VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING",
        row);
    if (!inserted) return inserted.take_error();
    if (inserted->changed == 0)
        return make_error(Errc::usage,
                          "device " + d.id + " or fingerprint " + d.fingerprint + " is already enrolled");
    for (const auto& label : d.labels) {
        std::vector<SqlParam> l{sql_text(d.id), sql_text(label.name), sql_text(label.value)};
        auto added = db_->run("INSERT INTO device_labels (device_id, name, value) VALUES ($1, $2, $3)", l);
        if (!added) return added.take_error();
    }
    return {};
}

Status Storage::enroll_device(const NewDevice& device, UnixSeconds now) {
    if (auto valid = check_new_device(device); !valid) return valid;
    SqlTransaction tx(*db_);
    if (auto began = tx.begin(); !began) return began;
    if (auto inserted = insert_device(device, DeviceStatus::active, now); !inserted) return inserted;
    return tx.commit();
}

Status Storage::enroll_with_bootstrap_token(const NewDevice& device, std::string_view token,
                                            UnixSeconds now) {
    if (auto valid = check_new_device(device); !valid) return valid;
    if (auto s = check_required_text("bootstrap token", token, limits::kMaxBootstrapTokenBytes,
                                     "kMaxBootstrapTokenBytes");
        !s)
        return s;
    SqlTransaction tx(*db_);
    if (auto began = tx.begin(); !began) return began;
    std::vector<SqlParam> use{sql_text(sha256_text(token)), sql_int(now)};
    auto consumed = db_->run(
        "UPDATE bootstrap_tokens SET uses = uses + 1 WHERE token_sha256 = $1 AND expires_at > $2 AND uses < "
        "max_uses",
        use);
    if (!consumed) return consumed.take_error();
    if (consumed->changed != 1) {
        std::vector<SqlParam> key{sql_text(sha256_text(token))};
        auto found =
            db_->run("SELECT expires_at, uses, max_uses FROM bootstrap_tokens WHERE token_sha256 = $1", key);
        if (!found) return found.take_error();
        if (found->rows.empty()) return make_error(Errc::untrusted, "bootstrap token is unknown");
        if (column_int(found->rows[0][0]) <= now)
            return make_error(Errc::untrusted, "bootstrap token has expired");
        return make_error(Errc::untrusted,
                          "bootstrap token is used up (" + column_text(found->rows[0][2]) + " uses)");
    }
    if (auto inserted = insert_device(device, DeviceStatus::pending, now); !inserted) return inserted;
    return tx.commit();
}

Status Storage::set_status(std::string_view id, DeviceStatus status, UnixSeconds now) {
    // Revoked is final: only pending -> active and any -> revoked.
    std::vector<SqlParam> p{sql_text(device_status_name(status)), sql_int(now), sql_text(id)};
    auto updated = db_->run(
        status == DeviceStatus::active
            ? "UPDATE devices SET status = $1, status_changed_at = $2 WHERE id = $3 AND status = 'pending'"
            : "UPDATE devices SET status = $1, status_changed_at = $2 WHERE id = $3 AND status <> 'revoked'",
        p);
    if (!updated) return updated.take_error();
    if (updated->changed == 1) return {};
    auto device = get_device(id);
    if (!device) return device.take_error();
    if (device->status == status) return {};  // accepting or revoking twice changes nothing
    return make_error(Errc::usage, "device " + std::string(id) + " is " +
                                       std::string(device_status_name(device->status)) + ", cannot become " +
                                       std::string(device_status_name(status)));
}

Status Storage::accept_device(std::string_view id, UnixSeconds now) {
    return set_status(id, DeviceStatus::active, now);
}
Status Storage::revoke_device(std::string_view id, UnixSeconds now) {
    return set_status(id, DeviceStatus::revoked, now);
}

Expected<Device> Storage::load_device(std::string_view sql, std::string_view key) {
    if (auto s = check_text("device key", key, limits::kMaxPublicKeyPemBytes, "kMaxPublicKeyPemBytes"); !s)
        return s.take_error();
    std::vector<SqlParam> p{sql_text(key)};
    auto found = db_->run(sql, p);
    if (!found) return found.take_error();
    if (found->rows.empty())
        return make_error(Errc::not_found, "no device " + std::string(key) + " is enrolled");
    const auto& r = found->rows[0];
    Device d;
    d.id = column_text(r[0]);
    d.fingerprint = column_text(r[1]);
    d.public_key_pem = column_text(r[2]);
    auto status = parse_status(column_text(r[3]));
    if (!status) return status.take_error();
    d.status = *status;
    d.enrolled_at = column_int(r[4]);
    d.last_seen = column_optional_int(r[5]);
    std::vector<SqlParam> id{sql_text(d.id)};
    auto labels = db_->run("SELECT name, value FROM device_labels WHERE device_id = $1 ORDER BY name", id);
    if (!labels) return labels.take_error();
    for (const auto& l : labels->rows) d.labels.push_back({column_text(l[0]), column_text(l[1])});
    return d;
}

Expected<Device> Storage::get_device(std::string_view id) {
    return load_device(
        "SELECT id, fingerprint, public_key_pem, status, enrolled_at, last_seen FROM devices WHERE id = $1",
        id);
}

Expected<Device> Storage::get_device_by_fingerprint(std::string_view fingerprint) {
    return load_device(
        "SELECT id, fingerprint, public_key_pem, status, enrolled_at, last_seen FROM devices WHERE "
        "fingerprint = $1",
        fingerprint);
}

Status Storage::touch_last_seen(std::string_view id, UnixSeconds now) {
    std::vector<SqlParam> p{sql_int(now), sql_text(id)};
    // Never moves back: a late write with an older "now" keeps the newer value.
    auto updated = db_->run(
        "UPDATE devices SET last_seen = $1 WHERE id = $2 AND (last_seen IS NULL OR last_seen < $1)", p);
    if (!updated) return updated.take_error();
    return {};
}

Status Storage::add_bootstrap_token(std::string_view token, UnixSeconds expires_at, std::int64_t max_uses,
                                    UnixSeconds now) {
    if (token.size() < limits::kMinBootstrapTokenBytes)
        return make_error(Errc::usage, "bootstrap token is shorter than kMinBootstrapTokenBytes (" +
                                           std::to_string(limits::kMinBootstrapTokenBytes) + ")");
    if (auto s =
            check_text("bootstrap token", token, limits::kMaxBootstrapTokenBytes, "kMaxBootstrapTokenBytes");
        !s)
        return s;
    if (max_uses < 1) return make_error(Errc::usage, "bootstrap token max uses must be at least 1");
    if (expires_at <= now)
        return make_error(Errc::usage, "bootstrap token would expire before it is created");
    std::vector<SqlParam> p{sql_text(sha256_text(token)), sql_int(expires_at), sql_int(max_uses),
                            sql_int(now)};
    auto added = db_->run(
        "INSERT INTO bootstrap_tokens (token_sha256, expires_at, max_uses, uses, created_at) VALUES ($1, $2, "
        "$3, 0, $4) "
        "ON CONFLICT DO NOTHING",
        p);
    if (!added) return added.take_error();
    if (added->changed == 0) return make_error(Errc::usage, "this bootstrap token exists already");
    return {};
}

}  // namespace edgeverify::server
