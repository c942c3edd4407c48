// Crash safety of the outbox: a child process reserves and enqueues reports in a loop and is
// killed with SIGKILL at random moments; afterwards every report is whole JSON, no report was
// overwritten, and no sequence number was ever used twice.
#include <doctest/doctest.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>

#include "edgeverify/report.hpp"

using namespace edgeverify;

namespace {

constexpr int kRounds = 30;

[[noreturn]] void enqueue_forever(const StateDirectory& state, int round) {
    Outbox outbox(state);
    const std::string padding(8192, 'p');  // widens the window a kill can land in
    for (;;) {
        auto sequence = outbox.next_sequence();
        if (!sequence) ::_exit(2);
        const Json report = {{"round", round}, {"sequence", *sequence}, {"padding", padding}};
        if (!outbox.enqueue(*sequence, report.dump())) ::_exit(3);
    }
}

// Committed reports in the outbox (an interrupted write's temporary file starts with '.').
std::size_t committed_reports(const StateDirectory& state) {
    std::size_t count = 0;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(state.outbox(), ignored)) {
        if (entry.path().filename().string()[0] != '.') ++count;
    }
    return count;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_SUITE("device") {
    TEST_CASE("SIGKILL at random moments never corrupts a report or reuses a sequence number") {
        char pattern[] = "/tmp/edgeverify-crash-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        const std::string base = pattern;
        const StateDirectory state{base + "/state"};
        REQUIRE(prepare_state_directory(state).has_value());

        std::mt19937 random(std::random_device{}());
        std::uniform_int_distribution<int> delay_us(500, 40000);
        std::map<std::uint64_t, std::string> seen;  // every report ever observed, by sequence
        std::uint64_t highest_before_round = 0;

        for (int round = 1; round <= kRounds; ++round) {
            CAPTURE(round);
            const pid_t child = ::fork();
            REQUIRE(child >= 0);
            if (child == 0) enqueue_forever(state, round);
            ::usleep(static_cast<useconds_t>(delay_us(random)));
            // On a loaded machine every writer may die before its first fsync'd report; the last
            // one is killed only once it has committed one (10 s at most), so the checks above
            // always run on real reports.
            for (int waited_ms = 0; round == kRounds && committed_reports(state) <= seen.size() && waited_ms < 10000;
                 waited_ms += 5) {
                ::usleep(5000);
            }
            ::kill(child, SIGKILL);
            int status = 0;
            REQUIRE(::waitpid(child, &status, 0) == child);
            // Killed, not exited: an exit code means next_sequence or enqueue failed.
            REQUIRE_MESSAGE(WIFSIGNALED(status), "child exited with " << WEXITSTATUS(status));

            Outbox outbox(state);
            auto pending = outbox.pending();  // also removes an interrupted write's temporary file
            REQUIRE_MESSAGE(pending.has_value(), pending.error().message);
            std::uint64_t highest = 0;
            for (const auto& report : *pending) {
                const std::string bytes = read_file(report.path);
                auto json = parse_json_strict(bytes, report.path);
                REQUIRE_MESSAGE(json.has_value(), json.error().message);
                CHECK((*json)["sequence"] == report.sequence);
                const int written_in = (*json)["round"];
                if (const auto earlier = seen.find(report.sequence); earlier != seen.end()) {
                    CHECK_MESSAGE(earlier->second == bytes,
                                  "report " << report.sequence << " was overwritten");
                } else {
                    // A number first seen now was reserved now: above everything seen before.
                    CHECK(written_in == round);
                    CHECK(report.sequence > highest_before_round);
                    seen.emplace(report.sequence, bytes);
                }
                highest = std::max(highest, report.sequence);
            }
            CHECK(pending->size() == seen.size());  // nothing disappeared
            const std::string stored = read_file(state.sequence_file());
            if (!stored.empty()) {
                CHECK(std::stoull(stored) >= highest);
                highest_before_round = std::max<std::uint64_t>(highest_before_round, std::stoull(stored));
            }
            for (const auto& entry : std::filesystem::directory_iterator(state.outbox())) {
                CHECK_MESSAGE(entry.path().filename().string()[0] != '.', "leftover " << entry.path());
            }
        }
        MESSAGE("reports written across " << kRounds << " killed writers: " << seen.size());
        CHECK(!seen.empty());
        std::error_code ignored;
        std::filesystem::remove_all(base, ignored);
    }
}
