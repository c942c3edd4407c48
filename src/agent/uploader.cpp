// The uploader on the agent's libuv loop: one request at a time, batches in sequence order, the
// server's answer applied per report (docs/reports.md "Upload protocol"), backoff on failure.
// A report leaves the outbox only after the server acknowledged or refused it for good.
#include "uploader.hpp"

#include <algorithm>
#include <random>

#include "edgeverify/clock.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/net/http_client.hpp"
#include "edgeverify/report.hpp"
#include "event_log.hpp"
#include "upload_batch.hpp"
#include "upload_outbox.hpp"
#include "upload_refused.hpp"

namespace edgeverify::agent {
namespace {

constexpr std::string_view kComponent = "uploader";

class LoopUploader final : public Uploader {
public:
    LoopUploader(UploaderConfig config, StateDirectory state, std::unique_ptr<net::HttpClient> client)
        : config_(std::move(config)),
          state_(std::move(state)),
          client_(std::move(client)),
          batch_cap_(config_.batch_max_reports),
          random_(std::random_device{}()) {}

    Status init(uv_loop_t* loop) {
        if (const int rc = uv_timer_init(loop, &timer_); rc != 0) {
            return make_error(Errc::internal, std::string("uploader: uv_timer_init: ") + uv_strerror(rc));
        }
        timer_.data = this;
        return {};
    }

    void start() override {
        if (started_ || phase_ == Phase::stopping) return;
        started_ = true;
        log_event(LogLevel::info, kComponent, "started", {{"server", config_.url}});
        schedule(std::chrono::milliseconds{0});
    }

    void notify_enqueued() override {
        if (started_ && phase_ == Phase::idle) schedule(std::chrono::milliseconds{0});
    }

    void stop(std::function<void()> stopped) override {
        if (phase_ == Phase::stopping) return;
        phase_ = Phase::stopping;
        stopped_ = std::move(stopped);
        open_handles_ = 2;
        uv_timer_stop(&timer_);
        uv_close(reinterpret_cast<uv_handle_t*>(&timer_), [](uv_handle_t* handle) {
            static_cast<LoopUploader*>(handle->data)->handle_closed();
        });
        client_->close([this] { handle_closed(); });
    }

    Stats stats() const override { return stats_; }

private:
    enum class Phase { idle, waiting, sending, stopping };

    void handle_closed() {
        if (--open_handles_ > 0) return;
        log_event(LogLevel::info, kComponent, "stopped");
        if (auto stopped = std::move(stopped_)) stopped();
    }

    void schedule(std::chrono::milliseconds delay) {
        phase_ = Phase::waiting;
        uv_timer_start(
            &timer_, [](uv_timer_t* timer) { static_cast<LoopUploader*>(timer->data)->send_next_batch(); },
            static_cast<std::uint64_t>(delay.count()), 0);
    }

    void send_next_batch() {
        if (phase_ == Phase::stopping) return;
        phase_ = Phase::sending;
        const BatchBounds bounds{std::min(batch_cap_, config_.batch_max_reports), config_.batch_max_bytes};
        auto batch = read_next_batch(state_, bounds);
        if (!batch) return fail("the outbox cannot be read: " + batch.error().message, /*operator_error=*/true);
        stats_.refused += batch->moved_aside;
        if (batch->outbox_empty) {
            phase_ = Phase::idle;
            batch_cap_ = config_.batch_max_reports;  // a halved batch lasts until the outbox drains
            return;
        }
        if (batch->sequences.empty()) return schedule(std::chrono::milliseconds{0});
        log_event(LogLevel::info, kComponent, "send",
                  {{"reports", std::to_string(batch->sequences.size())},
                   {"bytes", std::to_string(batch->body.size())},
                   {"first", std::to_string(batch->sequences.front())},
                   {"last", std::to_string(batch->sequences.back())}});
        net::HttpRequest request;
        request.method = "POST";
        request.target = config_.reports_path;
        request.headers = {{"Content-Type", "application/json"},
                           {"Accept", "application/json"},
                           {"User-Agent", std::string("edgeverify/") + EDGEVERIFY_VERSION}};
        request.body = std::move(batch->body);
        client_->send(std::move(request), [this, sequences = std::move(batch->sequences)](
                                              Expected<net::HttpResponse> response) {
            on_response(sequences, std::move(response));
        });
    }

    void on_response(const std::vector<std::uint64_t>& sequences, Expected<net::HttpResponse> response) {
        if (phase_ == Phase::stopping) return;  // cancelled by stop(): the batch stays queued
        if (!response) {
            // A TLS failure (an untrusted certificate, a refused client certificate) needs an operator.
            return fail(response.error().message, response.error().code == Errc::permission_denied);
        }
        const ResponseVerdict verdict = interpret_response(response->status, response->body, sequences.size());
        switch (verdict.outcome) {
            case RequestOutcome::halve:
                ++stats_.failed_attempts;
                batch_cap_ = halved_batch_size(sequences.size());
                log_event(LogLevel::warning, kComponent, "batch-too-large",
                          {{"reports", std::to_string(sequences.size())},
                           {"next", std::to_string(batch_cap_)}});
                return schedule(std::chrono::milliseconds{0});
            case RequestOutcome::refuse_too_large: {
                ItemResult item{ItemAction::refuse, 413, "too-large",
                                "the server answered 413 to this report sent alone"};
                return apply_items(sequences, {item});
            }
            case RequestOutcome::retry_later:
                return fail(verdict.reason, verdict.operator_error);
            case RequestOutcome::items:
                return apply_items(sequences, verdict.items);
        }
    }

    void apply_items(const std::vector<std::uint64_t>& sequences, const std::vector<ItemResult>& items) {
        Outbox outbox(state_);
        std::size_t acknowledged = 0, refused = 0, kept = 0;
        std::string trouble;
        for (std::size_t i = 0; i < sequences.size(); ++i) {
            const ItemResult& item = items[i];
            const std::string sequence = std::to_string(sequences[i]);
            if (item.action == ItemAction::acknowledge) {
                if (auto removed = outbox.acknowledge(sequences[i]); !removed) {
                    trouble = removed.error().message;
                } else {
                    ++acknowledged;
                }
            } else if (item.action == ItemAction::refuse) {
                const RefusedReport reason{sequences[i], item.status, item.code, item.message};
                if (auto moved = move_to_refused(state_, reason, rfc3339_utc_now()); !moved) {
                    trouble = moved.error().message;
                    continue;
                }
                ++refused;
                log_event(LogLevel::warning, kComponent, "refused",
                          {{"sequence", sequence},
                           {"status", std::to_string(item.status)},
                           {"code", item.code},
                           {"message", item.message}});
            } else {
                if (kept++ == 0 && trouble.empty()) {
                    trouble = "report " + sequence + " kept: item status " + std::to_string(item.status) +
                              " " + item.code;
                }
            }
        }
        stats_.acknowledged += acknowledged;
        stats_.refused += refused;
        log_event(LogLevel::info, kComponent, "response",
                  {{"acknowledged", std::to_string(acknowledged)},
                   {"refused", std::to_string(refused)},
                   {"kept", std::to_string(kept)}});
        if (!trouble.empty()) return fail(trouble, /*operator_error=*/false);
        failures_ = 0;
        schedule(std::chrono::milliseconds{0});
    }

    void fail(const std::string& reason, bool operator_error) {
        ++stats_.failed_attempts;
        if (failures_ < UINT32_MAX) ++failures_;
        const BackoffPolicy policy{config_.backoff_initial, config_.backoff_max};
        const auto delay = backoff_delay(policy, failures_, std::uniform_real_distribution<double>(0, 1)(random_));
        log_event(operator_error ? LogLevel::error : LogLevel::warning, kComponent, "failed",
                  {{"reason", reason},
                   {"attempt", std::to_string(failures_)},
                   {"retryInMs", std::to_string(delay.count())}});
        schedule(delay);
    }

    UploaderConfig config_;
    StateDirectory state_;
    std::unique_ptr<net::HttpClient> client_;
    uv_timer_t timer_{};
    Phase phase_ = Phase::idle;
    bool started_ = false;
    std::size_t batch_cap_;
    std::uint32_t failures_ = 0;
    std::mt19937_64 random_;
    Stats stats_;
    int open_handles_ = 0;
    std::function<void()> stopped_;
};

}  // namespace

Expected<std::unique_ptr<Uploader>> Uploader::create(uv_loop_t* loop, UploaderConfig config,
                                                     StateDirectory state) {
    net::HttpClientConfig client_config;
    client_config.url = config.url;
    client_config.ca_file = config.ca_file;
    client_config.client_cert_file = config.client_cert_file;
    client_config.client_key_file = config.client_key_file;
    client_config.timeout = config.timeout;
    client_config.response_limits.max_body_bytes = limits::kMaxUploadResponseBytes;
    auto client = net::HttpClient::create(loop, std::move(client_config));
    if (!client) return client.take_error();
    auto uploader = std::make_unique<LoopUploader>(std::move(config), std::move(state), std::move(*client));
    if (auto ready = uploader->init(loop); !ready) return ready.take_error();
    return std::unique_ptr<Uploader>(std::move(uploader));
}

}  // namespace edgeverify::agent
