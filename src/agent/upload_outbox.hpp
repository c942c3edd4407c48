// Reading the next batch out of the outbox for the uploader: sizes first, then only the reports
// that fit (bounded memory), each checked to be a JSON object before it is sent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/state.hpp"
#include "upload_batch.hpp"

namespace edgeverify::agent {

struct OutboxBatch {
    std::vector<std::uint64_t> sequences;  // in sequence order, one per body element
    std::string body;                      // "[e1,e2,...]"
    std::size_t moved_aside = 0;           // unreadable reports moved to refused/, finished moves
    bool outbox_empty = false;             // nothing was pending at all
};

// The next reports in sequence order within `bounds` (plan_batch over the files' sizes). A report
// that cannot be sent as it is (over kMaxReportBytes, not a JSON object) is moved to refused/
// with status 0 and code "unreadable" (never deleted, never blocking the reports behind it); one
// whose move to refused/ was interrupted by a crash is finished. The batch may then be empty
// while the outbox is not: the caller asks again. Errors: the outbox cannot be listed (a stray
// file, permissions) or a report cannot be read (io_error): nothing changes, retry later.
Expected<OutboxBatch> read_next_batch(const StateDirectory& state, BatchBounds bounds);

}  // namespace edgeverify::agent
