// outbox/refused/: a refused report moves there beside the server's reason, bytes unchanged; an
// interrupted move is finished; nothing is overwritten or followed through a symlink; the
// listing is ordered, bounded and survives malformed reason files; SIGKILL during moves loses
// nothing.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <cstdio>
#include <iterator>
#include <map>
#include <random>
#include <string>

#include "agent/upload_refused.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/report.hpp"

using namespace edgeverify;
using namespace edgeverify::agent;
namespace fs = std::filesystem;

namespace {

struct RefusedFixture {
    RefusedFixture() {
        char pattern[] = "/tmp/edgeverify-refused-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        state = StateDirectory{base + "/state"};
        REQUIRE(prepare_state_directory(state).has_value());
    }
    ~RefusedFixture() {
        std::error_code ignored;
        fs::remove_all(base, ignored);
    }
    std::string queue(std::uint64_t sequence) const {
        const std::string envelope = "{\"payload\":\"report " + std::to_string(sequence) + "\"}";
        REQUIRE(Outbox(state).enqueue(sequence, envelope).has_value());
        return envelope;
    }
    std::string refused(const std::string& name) const { return refused_directory(state) + "/" + name; }
    std::string base;
    StateDirectory state;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

RefusedReport reason(std::uint64_t sequence, int status = 422, std::string code = "signature-invalid",
                     std::string message = "does not verify") {
    return RefusedReport{sequence, status, std::move(code), std::move(message)};
}

}  // namespace

TEST_SUITE("agent.upload") {
    TEST_CASE("move_to_refused keeps the envelope unchanged beside the server's reason") {
        RefusedFixture fixture;
        const std::string envelope = fixture.queue(7);
        REQUIRE(move_to_refused(fixture.state, reason(7), "2026-11-28T04:00:00Z").has_value());

        CHECK_FALSE(fs::exists(Outbox(fixture.state).path_for(7)));
        CHECK(slurp(fixture.refused("00000000000000000007.json")) == envelope);
        auto json = parse_json_strict(slurp(fixture.refused("00000000000000000007.reason.json")), "reason");
        REQUIRE(json.has_value());
        CHECK(*json == Json{{"status", 422},
                            {"code", "signature-invalid"},
                            {"message", "does not verify"},
                            {"time", "2026-11-28T04:00:00Z"}});
        struct stat status {};
        REQUIRE(::stat(refused_directory(fixture.state).c_str(), &status) == 0);
        CHECK((status.st_mode & 0777) == 0700);
        REQUIRE(::stat(fixture.refused("00000000000000000007.reason.json").c_str(), &status) == 0);
        CHECK((status.st_mode & 0777) == 0600);
        // The outbox no longer lists it; refused/ is not a report.
        auto pending = Outbox(fixture.state).pending();
        REQUIRE(pending.has_value());
        CHECK(pending->empty());
    }

    TEST_CASE("a move interrupted after the link is recognised and finished") {
        RefusedFixture fixture;
        const std::string envelope = fixture.queue(3);
        REQUIRE(::mkdir(refused_directory(fixture.state).c_str(), 0700) == 0);
        REQUIRE(::link(Outbox(fixture.state).path_for(3).c_str(), fixture.refused("00000000000000000003.json").c_str()) == 0);

        CHECK(already_refused(fixture.state, 3, envelope));
        CHECK_FALSE(already_refused(fixture.state, 3, envelope + " "));
        CHECK_FALSE(already_refused(fixture.state, 4, envelope));
        // Refused again (the resend got the same answer): the move completes, nothing is lost.
        REQUIRE(move_to_refused(fixture.state, reason(3), "t").has_value());
        CHECK_FALSE(fs::exists(Outbox(fixture.state).path_for(3)));
        CHECK(slurp(fixture.refused("00000000000000000003.json")) == envelope);
    }

    TEST_CASE("a different report already in refused/ under the same number is never replaced") {
        RefusedFixture fixture;
        const std::string envelope = fixture.queue(5);
        REQUIRE(::mkdir(refused_directory(fixture.state).c_str(), 0700) == 0);
        write(fixture.refused("00000000000000000005.json"), "{\"other\":true}");
        auto moved = move_to_refused(fixture.state, reason(5), "t");
        REQUIRE_FALSE(moved.has_value());
        CHECK(moved.error().code == Errc::io_error);
        CHECK(moved.error().message.find("already holds a different report") != std::string::npos);
        CHECK(slurp(Outbox(fixture.state).path_for(5)) == envelope);
        CHECK(slurp(fixture.refused("00000000000000000005.json")) == "{\"other\":true}");
    }

    TEST_CASE("refused/ as a symlink or writable by others is refused; the report stays queued") {
        RefusedFixture fixture;
        fixture.queue(9);
        SUBCASE("symlink") {
            REQUIRE(::mkdir((fixture.base + "/elsewhere").c_str(), 0700) == 0);
            REQUIRE(::symlink((fixture.base + "/elsewhere").c_str(), refused_directory(fixture.state).c_str()) == 0);
        }
        SUBCASE("group-writable") {
            REQUIRE(::mkdir(refused_directory(fixture.state).c_str(), 0700) == 0);
            REQUIRE(::chmod(refused_directory(fixture.state).c_str(), 0770) == 0);
        }
        auto moved = move_to_refused(fixture.state, reason(9), "t");
        REQUIRE_FALSE(moved.has_value());
        CHECK(moved.error().code == Errc::permission_denied);
        CHECK(moved.error().message.find("not a private directory") != std::string::npos);
        CHECK(fs::exists(Outbox(fixture.state).path_for(9)));
        if (fs::exists(fixture.base + "/elsewhere")) CHECK(fs::is_empty(fixture.base + "/elsewhere"));
    }

    TEST_CASE("a hostile server message (bad UTF-8, quotes, newlines) still makes a valid reason file") {
        RefusedFixture fixture;
        fixture.queue(2);
        REQUIRE(move_to_refused(fixture.state, reason(2, 400, "malformed", "bad \xFF\xFE \"q\"\nline"), "t").has_value());
        auto json = parse_json_strict(slurp(fixture.refused("00000000000000000002.reason.json")), "reason");
        REQUIRE(json.has_value());
        auto listed = list_refused_reports(fixture.state);
        REQUIRE(listed.has_value());
        REQUIRE(listed->size() == 1);
        CHECK(listed->at(0).code == "malformed");
        CHECK(listed->at(0).message.find("\"q\"\nline") != std::string::npos);
    }

    TEST_CASE("list_refused_reports: oldest first, status/code/message from the reason files") {
        RefusedFixture fixture;
        CHECK(list_refused_reports(fixture.state)->empty());  // no refused/ yet
        for (const std::uint64_t sequence : {12u, 3u, 7u}) fixture.queue(sequence);
        REQUIRE(move_to_refused(fixture.state, reason(12, 409, "replay-conflict", "other content"), "t").has_value());
        REQUIRE(move_to_refused(fixture.state, reason(3, 413, "too-large", ""), "t").has_value());
        REQUIRE(move_to_refused(fixture.state, reason(7), "t").has_value());
        write(fixture.refused(".00000000000000000008.json.tmp-abc"), "partial");  // ignored
        write(fixture.refused("notes.txt"), "operator notes");                 // ignored
        auto listed = list_refused_reports(fixture.state);
        REQUIRE(listed.has_value());
        REQUIRE(listed->size() == 3);
        CHECK(listed->at(0).sequence == 3);
        CHECK(listed->at(0).status == 413);
        CHECK(listed->at(0).code == "too-large");
        CHECK(listed->at(1).sequence == 7);
        CHECK(listed->at(1).code == "signature-invalid");
        CHECK(listed->at(2).sequence == 12);
        CHECK(listed->at(2).code == "replay-conflict");
        CHECK(listed->at(2).message == "other content");
    }

    TEST_CASE("a missing or malformed reason file still lists the report, with code 'unknown'") {
        RefusedFixture fixture;
        REQUIRE(::mkdir(refused_directory(fixture.state).c_str(), 0700) == 0);
        const char* reasons[] = {
            nullptr,                                   // missing
            "not json",                                // malformed
            "[]",                                      // not an object
            R"({"status":"422","code":"x"})",          // status not an integer
            R"({"status":422})",                       // no code
            R"({"status":422,"code":""})",             // empty code
            R"({"status":422,"code":"x","message":5})",  // message not a string
            R"({"status":422,"code":"x","code":"y"})",   // duplicate key
        };
        std::uint64_t sequence = 1;
        for (const char* text : reasons) {
            char name[32];
            std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(sequence));
            write(fixture.refused(std::string(name) + ".json"), "{}");
            if (text) write(fixture.refused(std::string(name) + ".reason.json"), text);
            ++sequence;
        }
        write(fixture.refused("00000000000000000099.json"), "{}");
        write(fixture.refused("00000000000000000099.reason.json"), std::string(64 * 1024, ' '));  // too large
        auto listed = list_refused_reports(fixture.state);
        REQUIRE(listed.has_value());
        REQUIRE(listed->size() == std::size(reasons) + 1);
        for (const auto& report : *listed) {
            CAPTURE(report.sequence);
            CHECK(report.code == "unknown");
            CHECK(report.status == 0);
            CHECK_FALSE(report.message.empty());
        }
        CHECK(listed->at(0).message.find("is missing") != std::string::npos);
        CHECK(listed->at(1).message.find("is malformed") != std::string::npos);
    }

    TEST_CASE("a refused/ that is a symlink is not listed through") {
        RefusedFixture fixture;
        REQUIRE(::symlink("/etc", refused_directory(fixture.state).c_str()) == 0);
        auto listed = list_refused_reports(fixture.state);
        REQUIRE_FALSE(listed.has_value());
        CHECK(listed.error().code == Errc::permission_denied);
    }

    TEST_CASE("SIGKILL during moves to refused/ never loses a report or changes its bytes") {
        RefusedFixture fixture;
        constexpr std::uint64_t kReports = 400;
        std::map<std::uint64_t, std::string> envelopes;
        const std::string padding(4096, 'p');
        for (std::uint64_t sequence = 1; sequence <= kReports; ++sequence) {
            envelopes[sequence] = "{\"sequence\":" + std::to_string(sequence) + ",\"p\":\"" + padding + "\"}";
            REQUIRE(Outbox(fixture.state).enqueue(sequence, envelopes[sequence]).has_value());
        }
        std::mt19937 random(std::random_device{}());
        std::uniform_int_distribution<int> delay_us(200, 8000);
        for (int round = 0; round < 20; ++round) {
            const pid_t child = ::fork();
            REQUIRE(child >= 0);
            if (child == 0) {
                // A forked child inherits write_file_durably's random generator, so it would pick
                // the temporary names an earlier killed child left (a restarted process seeds anew):
                // clear those leftovers first.
                std::error_code ignored;
                for (const auto& entry : fs::directory_iterator(refused_directory(fixture.state), ignored)) {
                    if (entry.path().filename().string().find(".tmp-") != std::string::npos) fs::remove(entry.path(), ignored);
                }
                // The uploader's path: finish an interrupted move, else move.
                for (std::uint64_t sequence = 1; sequence <= kReports; ++sequence) {
                    if (!fs::exists(Outbox(fixture.state).path_for(sequence))) continue;
                    if (auto moved = move_to_refused(fixture.state, reason(sequence), "t"); !moved) {
                        std::fprintf(stderr, "move %llu: %s\n", static_cast<unsigned long long>(sequence),
                                     moved.error().message.c_str());
                        ::_exit(3);
                    }
                }
                ::_exit(0);
            }
            ::usleep(static_cast<useconds_t>(delay_us(random)));
            ::kill(child, SIGKILL);
            int status = 0;
            REQUIRE(::waitpid(child, &status, 0) == child);
            REQUIRE_FALSE((WIFEXITED(status) && WEXITSTATUS(status) != 0));
            for (const auto& [sequence, envelope] : envelopes) {
                const auto captured_sequence = sequence;  // clang 14 cannot capture a structured binding
                CAPTURE(captured_sequence);
                const std::string queued = Outbox(fixture.state).path_for(sequence);
                char name[32];
                std::snprintf(name, sizeof name, "%020llu.json", static_cast<unsigned long long>(sequence));
                const std::string kept = fixture.refused(name);
                REQUIRE((fs::exists(queued) || fs::exists(kept)));
                if (fs::exists(queued)) CHECK(slurp(queued) == envelope);
                if (fs::exists(kept)) CHECK(slurp(kept) == envelope);
            }
        }
        // Every report ends in refused/ with its reason once the moves run to completion.
        for (std::uint64_t sequence = 1; sequence <= kReports; ++sequence) {
            if (fs::exists(Outbox(fixture.state).path_for(sequence))) {
                REQUIRE(move_to_refused(fixture.state, reason(sequence), "t").has_value());
            }
        }
        auto listed = list_refused_reports(fixture.state);
        REQUIRE(listed.has_value());
        CHECK(listed->size() == kReports);
        CHECK(Outbox(fixture.state).pending()->empty());
    }
}
