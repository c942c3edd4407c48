// The next batch out of the outbox: file sizes decide how many reports go, then only those are
// read; a report that can never be sent is moved aside instead of blocking the queue forever.
#include "upload_outbox.hpp"

#include <sys/stat.h>

#include "edgeverify/clock.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/report.hpp"
#include "event_log.hpp"
#include "upload_refused.hpp"

namespace edgeverify::agent {
namespace {

// A report that no server could ever accept as it is: kept in refused/ with the local reason.
Status set_aside(const StateDirectory& state, std::uint64_t sequence, const std::string& problem) {
    RefusedReport reason;
    reason.sequence = sequence;
    reason.status = 0;
    reason.code = "unreadable";
    reason.message = problem;
    log_event(LogLevel::error, "uploader", "report-unreadable",
              {{"sequence", std::to_string(sequence)}, {"problem", problem}});
    return move_to_refused(state, reason, rfc3339_utc_now());
}

}  // namespace

Expected<OutboxBatch> read_next_batch(const StateDirectory& state, BatchBounds bounds) {
    Outbox outbox(state);
    auto pending = outbox.pending();
    if (!pending) return pending.take_error();
    OutboxBatch batch;
    if (pending->empty()) {
        batch.outbox_empty = true;
        return batch;
    }
    // Sizes of the first candidates only: at most max_reports files are looked at.
    std::vector<std::size_t> sizes;
    for (const auto& report : *pending) {
        if (sizes.size() == bounds.max_reports) break;
        struct stat status {};
        sizes.push_back(::lstat(report.path.c_str(), &status) == 0 ? static_cast<std::size_t>(status.st_size) : 0);
    }
    const std::size_t count = plan_batch(sizes, bounds);
    std::vector<std::string> envelopes;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t sequence = (*pending)[i].sequence;
        auto envelope = outbox.read(sequence);
        if (!envelope && envelope.error().code == Errc::not_found) continue;  // acknowledged meanwhile
        if (!envelope && envelope.error().code != Errc::limit_exceeded) return envelope.take_error();
        std::string problem;
        if (!envelope) {
            problem = envelope.error().message;
        } else if (auto json = parse_json_strict(*envelope, outbox.path_for(sequence)); !json) {
            problem = json.error().message;
        } else if (!json->is_object()) {
            problem = outbox.path_for(sequence) + ": not a JSON object (a DSSE envelope is one)";
        }
        if (!problem.empty()) {
            if (auto moved = set_aside(state, sequence, problem); !moved) return moved.take_error();
            ++batch.moved_aside;
            continue;
        }
        if (already_refused(state, sequence, *envelope)) {
            if (auto finished = finish_refusal(state, sequence); !finished) return finished.take_error();
            ++batch.moved_aside;
            continue;
        }
        batch.sequences.push_back(sequence);
        envelopes.push_back(std::move(*envelope));
    }
    if (!envelopes.empty()) batch.body = batch_body(envelopes);
    return batch;
}

}  // namespace edgeverify::agent
