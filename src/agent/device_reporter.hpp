// The periodic device report (docs/reports.md "Device report"): the reconciliation's images and
// alarms, signed with the device key and queued durably in the outbox.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "edgeverify/report.hpp"
#include "edgeverify/state.hpp"
#include "reconcile.hpp"

namespace edgeverify::agent {

// Builds the DeviceReport: `r`'s trust-store digest, images and alarms plus `extra_alarms`, the
// boot id (an unreadable one is an alarm, not a failure), the agent version and the time.
DeviceReport make_device_report(const Reconciliation& r, const std::vector<DeviceReport::Alarm>& extra_alarms);

// The rollback-floor lowerings no device report has carried yet (unreported_floor_audit), as
// `rollback-floor-lowered` alarms; an unreadable audit file is itself an alarm
// (`floor-audit-unreadable`, end_offset unset). Once the report carrying them is in the outbox,
// the caller marks them reported up to end_offset (mark_floor_audit_reported).
struct FloorAuditAlarms {
    std::vector<DeviceReport::Alarm> alarms;
    std::optional<std::uint64_t> end_offset;
};
FloorAuditAlarms floor_audit_alarms(const StateDirectory& state);

// Creates the device key when absent, reserves a sequence, signs and enqueues. Returns the
// sequence; an outbox that is full or a disk that is full is an error (the report is retried at
// the next interval, the alarms are kept for it).
Expected<std::uint64_t> queue_device_report(const StateDirectory& state, const DeviceReport& report);

}  // namespace edgeverify::agent
