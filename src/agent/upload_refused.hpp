// outbox/refused/: where a report the server refused for good is kept, never lost, for the
// operator and the next device report's alarms (docs/reports.md "Refused reports").
#pragma once

#include <cstdint>
#include <string>

#include "edgeverify/error.hpp"
#include "edgeverify/state.hpp"
#include "uploader.hpp"

namespace edgeverify::agent {

std::string refused_directory(const StateDirectory& state);  // <outbox>/refused

// Moves outbox/<sequence>.json to refused/<sequence>.json beside refused/<sequence>.reason.json
// ({"status", "code", "message", "time"}). Crash-safe by its order: the reason is written
// durably first; the report is then hard-linked into refused/ and that directory fsynced; only
// then is it removed from the outbox (and the outbox fsynced). At every instant the report has
// at least one durable name. A refused/<sequence>.json already there with the same bytes (an
// interrupted earlier move) is finished; one with other bytes is never replaced (io_error, the
// report stays in the outbox). refused/ is created 0700; a symlink or a directory others can
// write there is permission_denied.
Status move_to_refused(const StateDirectory& state, const RefusedReport& reason, std::string_view time);

// True when refused/<sequence>.json holds exactly `envelope` (a move interrupted after the link):
// the uploader then finishes that move instead of sending the report again.
bool already_refused(const StateDirectory& state, std::uint64_t sequence, std::string_view envelope);

// Finishes such a move: removes the outbox copy durably.
Status finish_refusal(const StateDirectory& state, std::uint64_t sequence);

}  // namespace edgeverify::agent
