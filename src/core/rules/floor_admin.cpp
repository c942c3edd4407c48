// The operator's side of the anti-rollback floors (docs/rules.md): lowering or removing a
// repository's floor, always with an audit record written first, so a lowering is never silent.
#include "edgeverify/clock.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify {

std::string floor_audit_path(const StateDirectory& state) { return state.root + "/floor_audit.jsonl"; }

Status lower_rollback_floor(const StateDirectory& state, const std::string& repository,
                            const std::optional<std::string>& to_version, const std::string& reason) {
    if (reason.empty() || reason.size() > 1024 || reason.find('\n') != std::string::npos) {
        return make_error(Errc::usage, "--reason must say why, in one line of at most 1024 bytes");
    }
    auto floors = read_rollback_floors(state);
    if (!floors) return floors.take_error();
    Json& all = (*floors)["floors"];
    if (!all.contains(repository)) return make_error(Errc::not_found, "no rollback floor for " + repository);
    const Json old = all[repository];
    Json lowered;  // null: the floor is removed
    if (to_version) {
        const std::string current = old.value("version", Json()).is_string() ? old["version"].get<std::string>() : "";
        const auto order = compare_semver(*to_version, current);
        if (!order) {
            return make_error(Errc::usage, "--to " + *to_version + " and the floor's version \"" + current +
                                               "\" are not both semantic versions: remove the floor instead");
        }
        if (*order >= 0) {
            return make_error(Errc::usage, "--to " + *to_version + " is not below the floor " + current +
                                               ": floors are only raised by installs");
        }
        lowered = Json{{"version", *to_version}, {"created", nullptr}, {"digest", nullptr},
                       {"admittedAt", rfc3339_utc_now()}};
    }
    // The audit record goes first: a crash between the two writes leaves a record and the old floor.
    auto existing = read_state_file(floor_audit_path(state), limits::kMaxFloorAuditFileBytes);
    if (!existing) return existing.take_error();
    const Json record{{"time", rfc3339_utc_now()}, {"repository", repository}, {"from", old},
                      {"to", lowered}, {"reason", reason}};
    const std::string appended = existing->value_or("") + record.dump() + "\n";
    if (appended.size() > limits::kMaxFloorAuditFileBytes) {
        return make_error(Errc::limit_exceeded, floor_audit_path(state) +
                                                    " is full (limits::kMaxFloorAuditFileBytes): archive it first");
    }
    if (auto s = write_file_durably(floor_audit_path(state), appended); !s) return s;
    if (lowered.is_null()) {
        all.erase(repository);
    } else {
        all[repository] = lowered;
    }
    return write_file_durably(state.root + "/floors.json", floors->dump(2) + "\n");
}

}  // namespace edgeverify
