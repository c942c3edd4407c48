// The operator's side of the anti-rollback floors (docs/rules.md): lowering or removing a
// repository's floor, always with an audit record written first, so a lowering is never silent.
#include <algorithm>
#include <charconv>

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

namespace {

std::string floor_audit_reported_path(const StateDirectory& state) { return state.root + "/floor_audit.reported"; }

Expected<std::uint64_t> read_reported_offset(const StateDirectory& state) {
    auto text = read_state_file(floor_audit_reported_path(state), 32);
    if (!text) return text.take_error();
    if (!*text) return std::uint64_t{0};
    std::string digits = **text;
    while (!digits.empty() && digits.back() == '\n') digits.pop_back();
    std::uint64_t offset = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        return make_error(Errc::config, floor_audit_reported_path(state) + ": not a byte offset");
    }
    return offset;
}

}  // namespace

Expected<UnreportedFloorAudit> unreported_floor_audit(const StateDirectory& state) {
    auto offset = read_reported_offset(state);
    if (!offset) return offset.take_error();
    auto text = read_state_file(floor_audit_path(state), limits::kMaxFloorAuditFileBytes);
    if (!text) return text.take_error();
    UnreportedFloorAudit out;
    const std::string all = text->value_or("");
    // An offset past the end (the file was archived by an operator): start again from the top.
    std::size_t at = *offset <= all.size() ? static_cast<std::size_t>(*offset) : 0;
    std::size_t line = static_cast<std::size_t>(std::count(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    while (at < all.size()) {
        const std::size_t newline = all.find('\n', at);
        if (newline == std::string::npos) break;  // a record being appended: the next report takes it
        ++line;
        auto record = parse_json_strict(std::string_view(all).substr(at, newline - at), floor_audit_path(state));
        if (!record || !record->is_object()) {
            return make_error(Errc::config, floor_audit_path(state) + " line " + std::to_string(line) +
                                                ": not a JSON object (the audit file is corrupt)");
        }
        out.records.push_back(std::move(*record));
        at = newline + 1;
    }
    out.end_offset = at;
    return out;
}

Status mark_floor_audit_reported(const StateDirectory& state, std::uint64_t end_offset) {
    return write_file_durably(floor_audit_reported_path(state), std::to_string(end_offset) + "\n");
}

}  // namespace edgeverify
