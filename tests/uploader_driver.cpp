// edgeverify-uploader-driver: runs the real Uploader on a real libuv loop for the end-to-end test
// (tests/integration/test_uploader.sh, docs/testing.md), outside the agent daemon.
//
//   edgeverify-uploader-driver --state DIR --config agent.json [--enqueue N] [--until-empty]
//                              [--timeout SECONDS] [--no-upload]
//   edgeverify-uploader-driver --state DIR --list-refused
//
// --enqueue N queues N signed device reports made with the device identity in DIR (created if
// absent); --no-upload stops there (exit 0). Exit: 0 the outbox is empty (with --until-empty, or
// at SIGTERM), 1 timeout, 2 usage or configuration error, 3 stopped by SIGTERM/SIGINT with
// reports still queued. The last line on stdout is the uploader's counters.
#include <uv.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "agent/agent_config.hpp"
#include "agent/uploader.hpp"
#include "edgeverify/clock.hpp"
#include "edgeverify/report.hpp"

using namespace edgeverify;

namespace {

struct Options {
    std::string state;
    std::string config;
    unsigned long enqueue = 0;
    bool until_empty = false;
    bool list_refused = false;
    bool no_upload = false;
    unsigned long timeout_seconds = 600;
};

int usage(const std::string& problem) {
    std::fprintf(stderr,
                 "edgeverify-uploader-driver: %s\nusage: edgeverify-uploader-driver --state DIR --config FILE "
                 "[--enqueue N] [--until-empty] [--timeout SECONDS] [--no-upload] | --state DIR --list-refused\n",
                 problem.c_str());
    return 2;
}

bool parse_number(std::string_view text, unsigned long& out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
}

Status enqueue_reports(const StateDirectory& state, unsigned long count) {
    auto device = init_device_identity(state);
    if (!device) return device.take_error();
    auto boot_id = read_boot_id();
    Outbox outbox(state);
    for (unsigned long i = 0; i < count; ++i) {
        auto sequence = outbox.next_sequence();
        if (!sequence) return sequence.take_error();
        DeviceReport report;
        report.agent_version = EDGEVERIFY_VERSION;
        report.trust_store_digest = "sha256:" + std::string(64, '0');
        report.boot_id = boot_id ? *boot_id : "unknown";
        report.time = rfc3339_utc_now();
        auto envelope = sign_dsse_envelope(*device, kInTotoPayloadType,
                                           make_device_report_statement(*device, *sequence, report));
        if (!envelope) return envelope.take_error();
        if (auto queued = outbox.enqueue(*sequence, *envelope); !queued) return queued;
    }
    return {};
}

struct Run {
    StateDirectory state;
    std::unique_ptr<agent::Uploader> uploader;
    uv_timer_t poll{}, deadline{};
    uv_signal_t sigterm{}, sigint{};
    bool until_empty = false;
    bool stopping = false;
    int exit_code = 0;

    bool outbox_empty() const {
        auto pending = Outbox(state).pending();
        return pending && pending->empty();
    }

    void finish(int code) {
        if (stopping) return;
        stopping = true;
        exit_code = code;
        for (uv_handle_t* handle : {reinterpret_cast<uv_handle_t*>(&poll), reinterpret_cast<uv_handle_t*>(&deadline),
                                    reinterpret_cast<uv_handle_t*>(&sigterm), reinterpret_cast<uv_handle_t*>(&sigint)}) {
            uv_close(handle, nullptr);
        }
        uploader->stop([] {});
    }
};

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--state" && has_value) {
            options.state = argv[++i];
        } else if (arg == "--config" && has_value) {
            options.config = argv[++i];
        } else if (arg == "--enqueue" && has_value) {
            if (!parse_number(argv[++i], options.enqueue)) return usage("--enqueue needs a count");
        } else if (arg == "--timeout" && has_value) {
            if (!parse_number(argv[++i], options.timeout_seconds) || options.timeout_seconds == 0) {
                return usage("--timeout needs a positive number of seconds");
            }
        } else if (arg == "--until-empty") {
            options.until_empty = true;
        } else if (arg == "--no-upload") {
            options.no_upload = true;
        } else if (arg == "--list-refused") {
            options.list_refused = true;
        } else {
            return usage("unknown or incomplete argument " + std::string(arg));
        }
    }
    if (options.state.empty()) return usage("--state is required");
    const StateDirectory state{options.state};
    if (options.list_refused) {
        auto refused = agent::list_refused_reports(state);
        if (!refused) return usage(refused.error().message);
        for (const auto& report : *refused) {
            std::printf("refused %llu %d %s\n", static_cast<unsigned long long>(report.sequence), report.status,
                        report.code.c_str());
        }
        return 0;
    }
    if (options.config.empty()) return usage("--config is required");
    auto config = agent::load_agent_config(options.config);
    if (!config) return usage(config.error().message);
    if (!config->server) return usage(options.config + " has no \"server\"");
    if (auto prepared = prepare_state_directory(state); !prepared) return usage(prepared.error().message);
    if (auto queued = enqueue_reports(state, options.enqueue); !queued) return usage(queued.error().message);
    if (options.enqueue > 0) std::printf("enqueued %lu\n", options.enqueue);
    if (options.no_upload) return 0;

    uv_loop_t loop;
    uv_loop_init(&loop);
    auto uploader = agent::Uploader::create(&loop, *config->server, state);
    if (!uploader) return usage(uploader.error().message);
    Run run{state, std::move(*uploader)};
    run.until_empty = options.until_empty;
    for (uv_handle_t* handle : {reinterpret_cast<uv_handle_t*>(&run.poll), reinterpret_cast<uv_handle_t*>(&run.deadline),
                                reinterpret_cast<uv_handle_t*>(&run.sigterm), reinterpret_cast<uv_handle_t*>(&run.sigint)}) {
        handle->data = &run;
    }
    uv_timer_init(&loop, &run.poll);
    uv_timer_init(&loop, &run.deadline);
    uv_signal_init(&loop, &run.sigterm);
    uv_signal_init(&loop, &run.sigint);
    const auto on_signal = [](uv_signal_t* handle, int) {
        auto* self = static_cast<Run*>(handle->data);
        self->finish(self->outbox_empty() ? 0 : 3);
    };
    uv_signal_start(&run.sigterm, on_signal, SIGTERM);
    uv_signal_start(&run.sigint, on_signal, SIGINT);
    uv_timer_start(
        &run.poll,
        [](uv_timer_t* handle) {
            auto* self = static_cast<Run*>(handle->data);
            if (self->until_empty && self->outbox_empty()) self->finish(0);
        },
        100, 100);
    uv_timer_start(
        &run.deadline, [](uv_timer_t* handle) { static_cast<Run*>(handle->data)->finish(1); },
        options.timeout_seconds * 1000, 0);
    run.uploader->start();
    uv_run(&loop, UV_RUN_DEFAULT);
    const auto stats = run.uploader->stats();
    run.uploader.reset();
    uv_loop_close(&loop);
    std::printf("acknowledged=%llu refused=%llu failed_attempts=%llu exit=%d\n",
                static_cast<unsigned long long>(stats.acknowledged), static_cast<unsigned long long>(stats.refused),
                static_cast<unsigned long long>(stats.failed_attempts), run.exit_code);
    return run.exit_code;
}
