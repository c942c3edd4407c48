// The outbox: durable sequence numbers that survive restarts and never reset, reports listed in
// order, stray files named, crash leftovers cleaned, acknowledgement removes.
#include <doctest/doctest.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "edgeverify/report.hpp"

using namespace edgeverify;

namespace {

struct OutboxFixture {
    OutboxFixture() {
        char pattern[] = "/tmp/edgeverify-outbox-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        state = StateDirectory{base + "/state"};
        REQUIRE(prepare_state_directory(state).has_value());
    }
    ~OutboxFixture() {
        std::error_code ignored;
        std::filesystem::remove_all(base, ignored);
    }
    void write(const std::string& path, const std::string& bytes) const {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    }
    std::string base;
    StateDirectory state;
};

std::uint64_t reserve(Outbox& outbox) {
    auto sequence = outbox.next_sequence();
    REQUIRE_MESSAGE(sequence.has_value(), sequence.error().message);
    return *sequence;
}

}  // namespace

TEST_SUITE("device") {
    TEST_CASE("sequence numbers start at 1 and keep increasing across Outbox instances (restarts)") {
        OutboxFixture fixture;
        std::uint64_t last = 0;
        for (int restart = 0; restart < 3; ++restart) {
            Outbox outbox(fixture.state);
            for (int i = 0; i < 3; ++i) {
                const std::uint64_t sequence = reserve(outbox);
                CHECK(sequence == last + 1);
                last = sequence;
            }
        }
        std::ifstream in(fixture.state.sequence_file());
        std::string stored;
        std::getline(in, stored);
        CHECK(stored == "9");
    }

    TEST_CASE("a corrupt sequence file is an error, never a reset") {
        for (const std::string& text :
             {std::string("abc\n"), std::string("12"), std::string(""), std::string("-1\n"),
              std::string("007\n"), std::string("99999999999999999999999\n")}) {
            CAPTURE(text);
            OutboxFixture fixture;
            fixture.write(fixture.state.sequence_file(), text);
            Outbox outbox(fixture.state);
            auto sequence = outbox.next_sequence();
            REQUIRE_FALSE(sequence.has_value());
            CHECK(sequence.error().code == Errc::schema_violation);
            CHECK(sequence.error().message.find(fixture.state.sequence_file()) != std::string::npos);
        }
    }

    TEST_CASE("the next number is above a queued report even when the sequence file was lost") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        REQUIRE(outbox.enqueue(41, "{}").has_value());
        CHECK(reserve(outbox) == 42);
    }

    TEST_CASE("pending lists reports in sequence order; read and acknowledge work by number") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        for (const std::uint64_t sequence : {3, 11, 2, 100}) {
            REQUIRE(outbox.enqueue(sequence, "{\"n\":" + std::to_string(sequence) + "}").has_value());
        }
        auto pending = outbox.pending();
        REQUIRE(pending.has_value());
        REQUIRE(pending->size() == 4);
        CHECK((*pending)[0].sequence == 2);
        CHECK((*pending)[1].sequence == 3);
        CHECK((*pending)[2].sequence == 11);
        CHECK((*pending)[3].sequence == 100);
        CHECK((*pending)[2].path == fixture.state.outbox() + "/00000000000000000011.json");
        auto report = outbox.read(11);
        REQUIRE(report.has_value());
        CHECK(*report == "{\"n\":11}");

        REQUIRE(outbox.acknowledge(3).has_value());
        REQUIRE(outbox.acknowledge(3).has_value());  // already gone: not an error
        auto after = outbox.pending();
        REQUIRE(after.has_value());
        CHECK(after->size() == 3);
        CHECK_FALSE(std::filesystem::exists(fixture.state.outbox() + "/00000000000000000003.json"));
        auto gone = outbox.read(3);
        REQUIRE_FALSE(gone.has_value());
        CHECK(gone.error().code == Errc::not_found);
    }

    TEST_CASE("reports are files of mode 0600") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        REQUIRE(outbox.enqueue(1, "{}").has_value());
        struct stat status {};
        REQUIRE(::stat(outbox.path_for(1).c_str(), &status) == 0);
        CHECK((status.st_mode & 07777) == 0600);
    }

    TEST_CASE("a queued sequence is never overwritten, and 0 is never a sequence") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        REQUIRE(outbox.enqueue(5, "first").has_value());
        auto again = outbox.enqueue(5, "second");
        REQUIRE_FALSE(again.has_value());
        CHECK(again.error().code == Errc::usage);
        CHECK(*outbox.read(5) == "first");
        auto zero = outbox.enqueue(0, "{}");
        REQUIRE_FALSE(zero.has_value());
        CHECK(zero.error().code == Errc::usage);
    }

    TEST_CASE("a report over kMaxReportBytes is limit_exceeded and nothing is written") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        auto too_big = outbox.enqueue(1, std::string(kMaxReportBytes + 1, 'x'));
        REQUIRE_FALSE(too_big.has_value());
        CHECK(too_big.error().code == Errc::limit_exceeded);
        CHECK(std::filesystem::is_empty(fixture.state.outbox()));
    }

    TEST_CASE("a write that runs out of space is io_error and leaves no file, whole or partial") {
        // RLIMIT_FSIZE makes write(2) fail (EFBIG) the way a full disk does (ENOSPC), in a child
        // so the limit does not outlive the test.
        OutboxFixture fixture;
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            ::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{4096, 4096};
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
            Outbox outbox(fixture.state);
            auto status = outbox.enqueue(1, std::string(64 * 1024, 'x'));
            if (status) ::_exit(11);
            ::_exit(status.error().code == Errc::io_error ? 0 : 12);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        CHECK(std::filesystem::is_empty(fixture.state.outbox()));
    }

    TEST_CASE("a full outbox (kMaxOutboxReports) refuses the next report with limit_exceeded") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        for (std::uint64_t sequence = 1; sequence <= kMaxOutboxReports; ++sequence) {
            fixture.write(outbox.path_for(sequence), "{}");
        }
        auto refused = outbox.enqueue(kMaxOutboxReports + 1, "{}");
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().code == Errc::limit_exceeded);
        CHECK_FALSE(std::filesystem::exists(outbox.path_for(kMaxOutboxReports + 1)));
        REQUIRE(outbox.acknowledge(1).has_value());
        CHECK(outbox.enqueue(kMaxOutboxReports + 1, "{}").has_value());
    }

    TEST_CASE("stray files are an error naming them; subdirectories are skipped") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        REQUIRE(outbox.enqueue(1, "{}").has_value());
        std::filesystem::create_directory(fixture.state.outbox() + "/refused");
        auto only_directory = outbox.pending();
        REQUIRE(only_directory.has_value());
        CHECK(only_directory->size() == 1);
        for (const char* name : {"notes.txt", "1.json", "0000000000000000000a.json"}) {
            CAPTURE(name);
            fixture.write(fixture.state.outbox() + "/" + name, "x");
            auto pending = outbox.pending();
            REQUIRE_FALSE(pending.has_value());
            CHECK(pending.error().code == Errc::schema_violation);
            CHECK(pending.error().message.find(name) != std::string::npos);
            std::filesystem::remove(fixture.state.outbox() + "/" + name);
        }
    }

    TEST_CASE("temporary files a crash left behind are ignored and removed") {
        OutboxFixture fixture;
        Outbox outbox(fixture.state);
        REQUIRE(outbox.enqueue(7, "{}").has_value());
        const std::string leftover = fixture.state.outbox() + "/.00000000000000000008.json.tmp-ab12cd";
        fixture.write(leftover, "{\"half");
        auto pending = outbox.pending();
        REQUIRE_MESSAGE(pending.has_value(), pending.error().message);
        REQUIRE(pending->size() == 1);
        CHECK((*pending)[0].sequence == 7);
        CHECK_FALSE(std::filesystem::exists(leftover));
    }

    TEST_CASE("a missing outbox directory is not_found, not an empty list") {
        OutboxFixture fixture;
        std::filesystem::remove_all(fixture.state.outbox());
        Outbox outbox(fixture.state);
        auto pending = outbox.pending();
        REQUIRE_FALSE(pending.has_value());
        CHECK(pending.error().code == Errc::not_found);
    }
}
