// read_next_batch: the next reports in sequence order within the bounds, read only when they fit;
// an unreadable report is set aside in refused/ instead of blocking the queue; an interrupted
// refusal is finished instead of resent; an outbox that cannot be listed changes nothing.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "agent/upload_outbox.hpp"
#include "agent/upload_refused.hpp"
#include "edgeverify/report.hpp"

using namespace edgeverify;
using namespace edgeverify::agent;
namespace fs = std::filesystem;

namespace {

struct BatchFixture {
    BatchFixture() {
        char pattern[] = "/tmp/edgeverify-batch-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        state = StateDirectory{base + "/state"};
        REQUIRE(prepare_state_directory(state).has_value());
    }
    ~BatchFixture() {
        std::error_code ignored;
        fs::remove_all(base, ignored);
    }
    // A 100-byte JSON object naming its sequence.
    std::string queue(std::uint64_t sequence) const {
        std::string envelope = "{\"sequence\":" + std::to_string(sequence) + ",\"pad\":\"";
        envelope += std::string(100 - envelope.size() - 2, 'p') + "\"}";
        REQUIRE(envelope.size() == 100);
        REQUIRE(Outbox(state).enqueue(sequence, envelope).has_value());
        return envelope;
    }
    void write_raw(std::uint64_t sequence, const std::string& bytes) const {
        std::ofstream(Outbox(state).path_for(sequence), std::ios::binary | std::ios::trunc) << bytes;
    }
    std::string base;
    StateDirectory state;
};

}  // namespace

TEST_SUITE("agent.upload") {
    TEST_CASE("an empty outbox says so") {
        BatchFixture fixture;
        auto batch = read_next_batch(fixture.state, {64, 1 << 20});
        REQUIRE(batch.has_value());
        CHECK(batch->outbox_empty);
        CHECK(batch->sequences.empty());
        CHECK(batch->body.empty());
    }

    TEST_CASE("the batch is the oldest reports, in sequence order, within batchMaxReports") {
        BatchFixture fixture;
        std::string first, second;
        for (const std::uint64_t sequence : {9u, 2u, 5u, 4u}) {
            const std::string envelope = fixture.queue(sequence);
            if (sequence == 2) first = envelope;
            if (sequence == 4) second = envelope;
        }
        auto batch = read_next_batch(fixture.state, {2, 1 << 20});
        REQUIRE(batch.has_value());
        CHECK_FALSE(batch->outbox_empty);
        CHECK(batch->sequences == std::vector<std::uint64_t>{2, 4});
        CHECK(batch->body == "[" + first + "," + second + "]");
        // Reading sends nothing and deletes nothing.
        CHECK(Outbox(fixture.state).pending()->size() == 4);
    }

    TEST_CASE("the batch body stays within batchMaxBytes") {
        BatchFixture fixture;
        for (std::uint64_t sequence = 1; sequence <= 5; ++sequence) fixture.queue(sequence);
        // Three reports make a 304-byte body.
        auto batch = read_next_batch(fixture.state, {64, 303});
        REQUIRE(batch.has_value());
        CHECK(batch->sequences == std::vector<std::uint64_t>{1, 2});
        CHECK(batch->body.size() == 203);
        batch = read_next_batch(fixture.state, {64, 304});
        CHECK(batch->sequences.size() == 3);
        CHECK(batch->body.size() == 304);
        // One report over the bound goes alone.
        batch = read_next_batch(fixture.state, {64, 50});
        CHECK(batch->sequences == std::vector<std::uint64_t>{1});
    }

    TEST_CASE("a report that is not a JSON object is set aside in refused/ as 'unreadable', not sent") {
        BatchFixture fixture;
        fixture.queue(1);
        fixture.write_raw(1, "{\"cut short");
        fixture.queue(2);
        fixture.write_raw(2, "[1,2]");
        const std::string third = fixture.queue(3);
        auto batch = read_next_batch(fixture.state, {64, 1 << 20});
        REQUIRE(batch.has_value());
        CHECK(batch->moved_aside == 2);
        CHECK(batch->sequences == std::vector<std::uint64_t>{3});
        CHECK(batch->body == "[" + third + "]");
        auto refused = list_refused_reports(fixture.state);
        REQUIRE(refused.has_value());
        REQUIRE(refused->size() == 2);
        CHECK(refused->at(0).sequence == 1);
        CHECK(refused->at(0).status == 0);
        CHECK(refused->at(0).code == "unreadable");
        CHECK(refused->at(0).message.find("not valid JSON") != std::string::npos);
        CHECK(refused->at(1).message.find("not a JSON object") != std::string::npos);
        std::ifstream kept(refused_directory(fixture.state) + "/00000000000000000001.json");
        CHECK(std::string(std::istreambuf_iterator<char>(kept), {}) == "{\"cut short");
    }

    TEST_CASE("a refusal interrupted after the link is finished, not sent again") {
        BatchFixture fixture;
        fixture.queue(1);
        const std::string second = fixture.queue(2);
        REQUIRE(::mkdir(refused_directory(fixture.state).c_str(), 0700) == 0);
        REQUIRE(::link(Outbox(fixture.state).path_for(1).c_str(),
                       (refused_directory(fixture.state) + "/00000000000000000001.json").c_str()) == 0);
        auto batch = read_next_batch(fixture.state, {64, 1 << 20});
        REQUIRE(batch.has_value());
        CHECK(batch->moved_aside == 1);
        CHECK(batch->sequences == std::vector<std::uint64_t>{2});
        CHECK_FALSE(fs::exists(Outbox(fixture.state).path_for(1)));
        CHECK(fs::exists(refused_directory(fixture.state) + "/00000000000000000001.json"));
    }

    TEST_CASE("a stray file in the outbox is an error naming it; nothing is read or moved") {
        BatchFixture fixture;
        fixture.queue(1);
        std::ofstream(fixture.state.outbox() + "/notes.txt") << "x";
        auto batch = read_next_batch(fixture.state, {64, 1 << 20});
        REQUIRE_FALSE(batch.has_value());
        CHECK(batch.error().code == Errc::schema_violation);
        CHECK(batch.error().message.find("notes.txt") != std::string::npos);
        CHECK(fs::exists(Outbox(fixture.state).path_for(1)));
    }
}
