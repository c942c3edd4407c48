// Device reports into the outbox (device_reporter.hpp).
#include "device_reporter.hpp"

#include "edgeverify/clock.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify::agent {

DeviceReport make_device_report(const Reconciliation& r, const std::vector<DeviceReport::Alarm>& extra_alarms) {
    DeviceReport report;
    report.agent_version = EDGEVERIFY_VERSION;
    report.trust_store_digest = r.trust_store_digest;
    report.images = r.images;
    report.alarms = r.alarms;
    merge_alarms(report.alarms, extra_alarms);
    if (auto boot = read_boot_id()) {
        report.boot_id = *boot;
    } else {
        report.alarms.push_back({"boot-id-unreadable", boot.error().message, std::nullopt});
    }
    report.time = rfc3339_utc_now();
    return report;
}

namespace {

std::string floor_text(const Json& floor) {
    if (floor.is_null()) return "none";
    if (floor.contains("version") && floor["version"].is_string()) return floor["version"].get<std::string>();
    if (floor.contains("created") && floor["created"].is_string()) return "created " + floor["created"].get<std::string>();
    return floor.dump();
}

std::string member(const Json& record, const char* name) {
    return record.contains(name) && record[name].is_string() ? record[name].get<std::string>() : "?";
}

}  // namespace

FloorAuditAlarms floor_audit_alarms(const StateDirectory& state) {
    FloorAuditAlarms out;
    auto audit = unreported_floor_audit(state);
    if (!audit) {
        out.alarms.push_back({"floor-audit-unreadable", audit.error().message, std::nullopt});
        return out;
    }
    for (const Json& record : audit->records) {
        const Json none;
        const std::string to = record.contains("to") && !record["to"].is_null() ? floor_text(record["to"]) : "removed";
        out.alarms.push_back({"rollback-floor-lowered",
                              "rollback floor of " + member(record, "repository") + " lowered from " +
                                  floor_text(record.contains("from") ? record["from"] : none) + " to " + to + " at " +
                                  member(record, "time") + ": " + member(record, "reason"),
                              std::nullopt});
    }
    out.end_offset = audit->end_offset;
    return out;
}

Expected<std::uint64_t> queue_device_report(const StateDirectory& state, const DeviceReport& report) {
    auto device = init_device_identity(state);
    if (!device) return device.take_error();
    Outbox outbox(state);
    // Periodic reports must not fill the outbox while the server is unreachable or not
    // configured: past half of kMaxOutboxReports they are skipped (the next one carries the same
    // state and alarms), so install reports, without which no install is admitted, keep room.
    auto pending = outbox.pending();
    if (!pending) return pending.take_error();
    if (pending->size() >= kMaxOutboxReports / 2) {
        return make_error(Errc::limit_exceeded,
                          "outbox holds " + std::to_string(pending->size()) +
                              " reports (half of kMaxOutboxReports): periodic device report skipped to keep room "
                              "for install reports");
    }
    auto sequence = outbox.next_sequence();
    if (!sequence) return sequence.take_error();
    auto envelope = sign_dsse_envelope(*device, kInTotoPayloadType, make_device_report_statement(*device, *sequence, report));
    if (!envelope) return envelope.take_error();
    if (auto s = outbox.enqueue(*sequence, *envelope); !s) return s.take_error();
    return *sequence;
}

}  // namespace edgeverify::agent
