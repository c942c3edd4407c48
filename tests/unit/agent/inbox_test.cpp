// The inbox protocol: which entries are complete bundles (renamed in, marked ready, or found by
// a scan and unchanged for a whole scan), in which order they are taken, and retry deferral.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <filesystem>
#include <unistd.h>

#include "agent/inbox.hpp"
#include "agent/inbox_watch.hpp"

using namespace edgeverify::agent;
using Clock = InboxTracker::Clock;

namespace {

const Clock::time_point t0{};

EntryFingerprint fp(std::uint64_t bytes, std::int64_t mtime) { return EntryFingerprint{bytes, mtime, 1, false}; }

}  // namespace

TEST_CASE("inbox: hidden names, markers and empty names are never bundles") {
    CHECK(is_bundle_name("app.oci.tar"));
    CHECK(is_bundle_name("layout"));
    CHECK_FALSE(is_bundle_name(""));
    CHECK_FALSE(is_bundle_name(".app.oci.tar"));
    CHECK_FALSE(is_bundle_name(".."));
    CHECK_FALSE(is_bundle_name("app.oci.tar.ready"));
    CHECK(bundle_of_marker("app.oci.tar.ready") == std::optional<std::string>("app.oci.tar"));
    CHECK_FALSE(bundle_of_marker(".ready").has_value());
    CHECK_FALSE(bundle_of_marker(".app.ready").has_value());
    CHECK_FALSE(bundle_of_marker("app.tar").has_value());
    CHECK_FALSE(bundle_of_marker("x.ready.ready").has_value());
}

TEST_CASE("inbox: an entry renamed into the inbox is complete at once") {
    InboxTracker t;
    t.saw_event("app.tar", Arrival::renamed, t0);
    CHECK(t.is_complete("app.tar"));
    CHECK(t.next_ready(t0) == std::optional<std::string>("app.tar"));
}

TEST_CASE("inbox: an entry written in place waits for its .ready marker, scans or not") {
    InboxTracker t;
    t.saw_event("app.tar", Arrival::written_in_place, t0);
    CHECK_FALSE(t.is_complete("app.tar"));
    t.saw_scan({{"app.tar", fp(10, 1)}}, {}, t0);
    t.saw_scan({{"app.tar", fp(10, 1)}}, {}, t0);
    CHECK_FALSE(t.is_complete("app.tar"));
    CHECK_FALSE(t.next_ready(t0).has_value());
    t.saw_marker("app.tar");
    CHECK(t.is_complete("app.tar"));
}

TEST_CASE("inbox: a marker found by a scan completes an entry") {
    InboxTracker t;
    t.saw_event("layout", Arrival::written_in_place, t0);
    t.saw_scan({{"layout", fp(10, 1)}}, {"layout"}, t0);
    CHECK(t.is_complete("layout"));
}

TEST_CASE("inbox: an unmarked entry found by scan is complete only after an unchanged second scan") {
    InboxTracker t;
    t.saw_scan({{"old.tar", fp(100, 5)}}, {}, t0);
    CHECK_FALSE(t.is_complete("old.tar"));
    t.saw_scan({{"old.tar", fp(200, 6)}}, {}, t0);  // still growing
    CHECK_FALSE(t.is_complete("old.tar"));
    t.saw_scan({{"old.tar", fp(200, 6)}}, {}, t0);
    CHECK(t.is_complete("old.tar"));
}

TEST_CASE("inbox: an oversized directory is never complete by the stability rule") {
    InboxTracker t;
    EntryFingerprint big{1, 1, 100001, true};
    t.saw_scan({{"huge", big}}, {}, t0);
    t.saw_scan({{"huge", big}}, {}, t0);
    CHECK_FALSE(t.is_complete("huge"));
    t.saw_scan({{"huge", big}}, {"huge"}, t0);
    CHECK(t.is_complete("huge"));
}

TEST_CASE("inbox: an in-place write after a rename makes the entry wait for its marker again") {
    InboxTracker t;
    t.saw_event("app.tar", Arrival::renamed, t0);
    t.saw_event("app.tar", Arrival::written_in_place, t0);
    CHECK_FALSE(t.is_complete("app.tar"));
}

TEST_CASE("inbox: entries are taken oldest-seen first; a vanished entry is forgotten") {
    InboxTracker t;
    t.saw_event("b", Arrival::renamed, t0);
    t.saw_event("a", Arrival::renamed, t0);
    CHECK(t.next_ready(t0) == std::optional<std::string>("b"));
    t.saw_scan({{"a", fp(1, 1)}}, {}, t0);  // b is gone
    CHECK(t.size() == 1);
    CHECK(t.next_ready(t0) == std::optional<std::string>("a"));
}

TEST_CASE("inbox: a deferred bundle waits for its retry time, the others go first") {
    InboxTracker t;
    t.saw_event("a", Arrival::renamed, t0);
    t.saw_event("b", Arrival::renamed, t0);
    t.defer("a", t0 + std::chrono::seconds(5));
    CHECK(t.next_ready(t0) == std::optional<std::string>("b"));
    t.forget("b");
    CHECK_FALSE(t.next_ready(t0 + std::chrono::seconds(4)).has_value());
    CHECK(t.next_retry() == std::optional<Clock::time_point>(t0 + std::chrono::seconds(5)));
    CHECK(t.next_ready(t0 + std::chrono::seconds(5)) == std::optional<std::string>("a"));
}

TEST_CASE("inbox scan: bundles, markers, hidden names and unusable entries") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("ev-inbox-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "layout" / "blobs");
    std::ofstream(dir / "app.tar") << "12345";
    std::ofstream(dir / "app.tar.ready") << "";
    std::ofstream(dir / ".partial.tar") << "x";
    std::ofstream(dir / "layout" / "index.json") << "{}";
    fs::create_symlink("/etc/passwd", dir / "link");
    auto scan = scan_inbox(dir.string());
    REQUIRE(scan.has_value());
    CHECK(scan->bundles.size() == 2);
    CHECK(scan->bundles.at("app.tar").bytes == 5);
    CHECK(scan->bundles.at("layout").files == 3);  // the directory, blobs/, index.json
    CHECK(scan->markers == std::vector<std::string>{"app.tar"});
    CHECK(scan->unusable == std::vector<std::string>{"link"});
    fs::remove_all(dir);
}

TEST_CASE("inbox scan: a missing inbox is an io_error naming it") {
    auto scan = scan_inbox("/nonexistent/inbox");
    REQUIRE_FALSE(scan.has_value());
    CHECK(scan.error().code == edgeverify::Errc::io_error);
    CHECK(scan.error().message.find("cannot list the inbox /nonexistent/inbox") == 0);
}
