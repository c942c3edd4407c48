// run_process: how a child ends (exit codes, signals, a deadline) and the output bound.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/containerd/ctr_process.hpp"

using namespace edgeverify;
using namespace std::chrono_literals;

TEST_SUITE("ctr_process") {
    TEST_CASE("stdout and stderr are captured separately with exit 0") {
        auto r = run_process({"/bin/sh", "-c", "echo out; echo err >&2"}, 10s);
        REQUIRE(r);
        CHECK(r->succeeded());
        CHECK(r->exit_code == 0);
        CHECK(r->out == "out\n");
        CHECK(r->err == "err\n");
        CHECK_FALSE(r->timed_out);
    }

    TEST_CASE("a non-zero exit code is reported, not an error") {
        auto r = run_process({"/bin/sh", "-c", "exit 7"}, 10s);
        REQUIRE(r);
        CHECK(r->exit_code == 7);
        CHECK_FALSE(r->succeeded());
        CHECK(describe_process_end(*r, 10s) == "exit 7");
    }

    TEST_CASE("arguments reach the child unchanged: no shell in between") {
        auto r = run_process({"/bin/echo", "a b", "$HOME", ";", "*"}, 10s);
        REQUIRE(r);
        CHECK(r->out == "a b $HOME ; *\n");
    }

    TEST_CASE("output beyond the bound is dropped and flagged, and the child still finishes") {
        // 1 MiB on stdout against a 1000-byte bound: the child must not block on a full pipe.
        auto r = run_process({"/bin/sh", "-c", "head -c 1048576 /dev/zero; echo done >&2"}, 20s, 1000);
        REQUIRE(r);
        CHECK(r->succeeded());
        CHECK(r->out.size() == 1000);
        CHECK(r->stdout_truncated);
        CHECK_FALSE(r->stderr_truncated);
        CHECK(r->err == "done\n");
    }

    TEST_CASE("a child that hangs is killed at the deadline, with what it started") {
        const auto start = std::chrono::steady_clock::now();
        auto r = run_process({"/bin/sh", "-c", "sleep 30 & sleep 30"}, 300ms);
        const auto took = std::chrono::steady_clock::now() - start;
        REQUIRE(r);
        CHECK(r->timed_out);
        CHECK_FALSE(r->succeeded());
        CHECK(r->signal == 9);
        CHECK(took < 5s);
        CHECK(describe_process_end(*r, 300ms).find("timed out") == 0);
    }

    TEST_CASE("a child killed by a signal reports the signal") {
        auto r = run_process({"/bin/sh", "-c", "kill -TERM $$"}, 10s);
        REQUIRE(r);
        CHECK(r->signal == 15);
        CHECK(r->exit_code == -1);
        CHECK(describe_process_end(*r, 10s) == "killed by signal 15");
    }

    TEST_CASE("a program that does not exist is not_found") {
        auto r = run_process({"edgeverify-no-such-program-xyz"}, 10s);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::not_found);
    }

    TEST_CASE("an empty argv is a usage error") {
        auto r = run_process({}, 10s);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::usage);
    }
}
