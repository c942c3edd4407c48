// The router of edgeverify-server (fleet_server.hpp): which route a request is, who may call it,
// and which module answers it.
#include "server/fleet_server.hpp"

#include <chrono>
#include <ctime>
#include <optional>

#include "edgeverify/net/http_server.hpp"
#include "server/api_responses.hpp"
#include "server/dashboard_files.hpp"
#include "server/device_routes.hpp"
#include "server/metrics.hpp"
#include "server/operator_api.hpp"
#include "server/operator_tokens.hpp"
#include "server/storage_workers.hpp"

namespace edgeverify::server {
namespace {

UnixSeconds unix_now() { return static_cast<UnixSeconds>(std::time(nullptr)); }

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

class Router final : public FleetServer {
public:
    Router(uv_loop_t* loop, const ServerConfig& config, std::unique_ptr<Storage> storage, Log log)
        : config_(config), log_(std::move(log)), workers_(loop, config.database, std::move(storage), log_),
          loop_(loop) {}

    Status listen() {
        net::HttpServerConfig http;
        http.host = config_.listen_host;
        http.port = config_.listen_port;
        http.cert_file = config_.tls_certificate;
        http.key_file = config_.tls_key;
        http.client_ca_file = config_.tls_client_ca;
        http.request_limits.max_body_bytes = config_.max_body_bytes;
        http.max_connections = config_.max_connections;
        http.header_timeout = std::chrono::milliseconds(config_.header_timeout_ms);
        http.body_timeout = std::chrono::milliseconds(config_.body_timeout_ms);
        http.on_connection_error = [this](const Error& error) {
            if (error.message.rfind("413 ", 0) == 0) metrics_.count_report("too-large");
            log_("connection: " + error.message);
        };
        auto started = net::HttpServer::start(loop_, std::move(http),
                                              [this](net::HttpRequest request, net::Respond respond) {
                                                  handle(std::move(request), std::move(respond));
                                              });
        if (!started) return started.take_error();
        http_ = std::move(*started);
        return {};
    }

    std::uint16_t port() const override { return http_->port(); }

    void stop(std::function<void()> stopped) override {
        stopped_ = std::move(stopped);
        http_->stop([this] {
            http_stopped_ = true;
            finish_stop_when_idle();
        });
    }

private:
    void finish_stop_when_idle() {
        if (!http_stopped_ || workers_.in_flight() != 0 || !stopped_) return;
        auto stopped = std::move(stopped_);
        stopped_ = nullptr;
        stopped();
    }

    void answer(const net::Respond& respond, const std::string& route, std::chrono::steady_clock::time_point start,
                net::HttpResponse response) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        metrics_.count_request(route, response.status, seconds);
        respond(std::move(response));
        finish_stop_when_idle();
    }

    void on_storage(const net::Respond& respond, std::string route, StorageWorkers::Task task) {
        const auto start = std::chrono::steady_clock::now();
        workers_.run(std::move(task), [this, respond, route, start](net::HttpResponse response) {
            answer(respond, route, start, std::move(response));
        });
    }

    bool operator_allowed(const net::HttpRequest& request) const {
        auto token = bearer_token(request.headers);
        return token && find_operator(config_.operator_tokens, *token).has_value();
    }

    void handle(net::HttpRequest request, net::Respond respond) {
        const auto start = std::chrono::steady_clock::now();
        const std::string path(path_of(request.target));
        auto now_answer = [&](const std::string& route, net::HttpResponse response) {
            answer(respond, route, start, std::move(response));
        };
        const DeviceRouteContext context{config_, metrics_, log_};
        if (path == "/api/v1/reports" && request.method == "POST") {
            return on_storage(respond, "reports", [context, body = std::move(request.body)](Storage& storage) {
                return answer_report_upload(context, body, storage, unix_now());
            });
        }
        if (path == "/api/v1/enroll") {
            if (request.method != "POST") return now_answer("enroll", method_not_allowed("POST"));
            auto token = bearer_token(request.headers);
            if (!token) return now_answer("enroll", error_response(401, "unauthorized", "a bootstrap token is required"));
            return on_storage(respond, "enroll",
                              [context, token = std::string(*token), body = std::move(request.body)](Storage& storage) {
                                  return answer_zero_touch_enrollment(context, body, token, storage, unix_now());
                              });
        }
        if (path == "/healthz") {
            if (request.method != "GET") return now_answer("healthz", method_not_allowed("GET"));
            return on_storage(respond, "healthz", [](Storage& storage) { return answer_health(storage); });
        }
        if (path == "/metrics") {
            if (request.method != "GET") return now_answer("metrics", method_not_allowed("GET"));
            if (config_.metrics_require_token && !operator_allowed(request)) {
                return now_answer("metrics", error_response(401, "unauthorized", "an operator token is required"));
            }
            metrics_.set_open_connections(http_->connection_count());
            return on_storage(respond, "metrics", [context](Storage& storage) {
                return answer_metrics(context, storage, unix_now());
            });
        }
        if (path.starts_with("/api/")) {
            if (!operator_allowed(request)) {
                return now_answer("operator", error_response(401, "unauthorized", "a valid operator token is required"));
            }
            if (path == "/api/v1/devices" && request.method == "POST") {
                return on_storage(respond, "operator", [context, body = std::move(request.body)](Storage& storage) {
                    return answer_operator_enrollment(context, body, storage, unix_now());
                });
            }
            const std::int64_t silent_after = config_.silent_after_seconds;
            return on_storage(respond, "operator", [request = std::move(request), silent_after, log = log_](Storage& storage) {
                const OperatorApiContext api{
                    .storage = storage, .now = unix_now(), .silent_after_seconds = silent_after, .log = log};
                if (auto response = handle_operator_request(request, api)) return std::move(*response);
                return error_response(404, "not-found", "no such endpoint: " + std::string(path_of(request.target)));
            });
        }
        if (path == "/" || path.starts_with("/dashboard")) {
            if (request.method != "GET") return now_answer("dashboard", method_not_allowed("GET"));
            // Small local files, read on the loop thread (no storage handle needed).
            auto file = read_dashboard_file(config_.dashboard_dir, path);
            if (!file) {
                if (file.error().code != Errc::not_found) log_("dashboard: " + file.error().message);
                return now_answer("dashboard", error_response(404, "not-found", "no such dashboard file"));
            }
            return now_answer("dashboard", net::HttpResponse{200, "",
                                                             {{"Content-Type", file->content_type},
                                                              {"X-Content-Type-Options", "nosniff"}},
                                                             std::move(file->body), true});
        }
        now_answer("other", error_response(404, "not-found", "no such endpoint: " + path));
    }

    ServerConfig config_;
    Log log_;
    ServerMetrics metrics_;
    StorageWorkers workers_;
    uv_loop_t* loop_;
    std::unique_ptr<net::HttpServer> http_;
    std::function<void()> stopped_;
    bool http_stopped_ = false;
};

}  // namespace

Expected<std::unique_ptr<FleetServer>> FleetServer::start(uv_loop_t* loop, const ServerConfig& config,
                                                          std::unique_ptr<Storage> storage, Log log) {
    auto router = std::make_unique<Router>(loop, config, std::move(storage), std::move(log));
    if (auto listening = router->listen(); !listening) return listening.take_error();
    return std::unique_ptr<FleetServer>(std::move(router));
}

}  // namespace edgeverify::server
