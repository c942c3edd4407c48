// edgeverify-net-test-server: a small program around src/net for interoperability tests with
// independent tools (tests/integration/test_net_interop.sh).
//   serve --cert C --key K [--client-ca CA] [--max-body N]   prints "port N", echoes requests
//                                                             until SIGTERM or SIGINT
//   fetch URL --ca CA [--cert C --key K] [--method M] [--body B]
//                                                             prints "status N" then the body
#include <uv.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "edgeverify/net/http_client.hpp"
#include "edgeverify/net/http_server.hpp"

using namespace edgeverify;
using namespace edgeverify::net;

namespace {

std::map<std::string, std::string> options(int argc, char** argv, int first) {
    std::map<std::string, std::string> parsed;
    for (int i = first; i + 1 < argc; i += 2) parsed[argv[i]] = argv[i + 1];
    return parsed;
}

int serve(uv_loop_t* loop, std::map<std::string, std::string> opts) {
    HttpServerConfig config;
    config.cert_file = opts["--cert"];
    config.key_file = opts["--key"];
    config.client_ca_file = opts["--client-ca"];
    if (opts.count("--max-body")) config.request_limits.max_body_bytes = std::stoul(opts["--max-body"]);
    config.on_connection_error = [](const Error& e) { std::cerr << "connection: " << e.message << "\n"; };
    auto server = HttpServer::start(loop, config, [](HttpRequest request, Respond respond) {
        std::string body = request.method + " " + request.target + " " + std::to_string(request.body.size()) +
                           " " + respond.peer().subject + "\n" + request.body;
        respond(HttpResponse{200, "", {{"Content-Type", "text/plain"}}, std::move(body), true});
    });
    if (!server) {
        std::cerr << server.error().message << "\n";
        return 2;
    }
    std::cout << "port " << (*server)->port() << std::endl;
    // SIGTERM or SIGINT stops the server and closes BOTH signal handles: an open one would keep
    // the loop (and the process) alive after the server stopped.
    struct Signals {
        uv_signal_t term, interrupt;
        HttpServer* server;
    } signals{};
    signals.server = server->get();
    uv_signal_init(loop, &signals.term);
    uv_signal_init(loop, &signals.interrupt);
    signals.term.data = signals.interrupt.data = &signals;
    auto on_signal = [](uv_signal_t* signal, int) {
        auto* all = static_cast<Signals*>(signal->data);
        all->server->stop([] {});
        for (uv_signal_t* s : {&all->term, &all->interrupt}) {
            auto* handle = reinterpret_cast<uv_handle_t*>(s);
            if (!uv_is_closing(handle)) uv_close(handle, nullptr);
        }
    };
    uv_signal_start(&signals.term, on_signal, SIGTERM);
    uv_signal_start(&signals.interrupt, on_signal, SIGINT);
    uv_run(loop, UV_RUN_DEFAULT);
    return 0;
}

int fetch(uv_loop_t* loop, const std::string& url, std::map<std::string, std::string> opts) {
    HttpClientConfig config;
    config.url = url;
    config.ca_file = opts["--ca"];
    config.client_cert_file = opts["--cert"];
    config.client_key_file = opts["--key"];
    config.timeout = std::chrono::milliseconds(10000);
    auto client = HttpClient::create(loop, config);
    if (!client) {
        std::cerr << client.error().message << "\n";
        return 2;
    }
    auto parsed = parse_url(url);
    HttpRequest request{opts.count("--method") ? opts["--method"] : "GET", parsed->path, {}, opts["--body"], true};
    int rc = 1;
    (*client)->send(std::move(request), [&](Expected<HttpResponse> response) {
        if (!response) {
            std::cerr << errc_name(response.error().code) << ": " << response.error().message << "\n";
        } else {
            std::cout << "status " << response->status << "\n" << response->body;
            rc = 0;
        }
        (*client)->close([] {});
    });
    uv_run(loop, UV_RUN_DEFAULT);
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    uv_loop_t* loop = uv_default_loop();
    if (mode == "serve") return serve(loop, options(argc, argv, 2));
    if (mode == "fetch" && argc > 2) return fetch(loop, argv[2], options(argc, argv, 3));
    std::cerr << "usage: edgeverify-net-test-server serve --cert C --key K [--client-ca CA] [--max-body N]\n"
                 "       edgeverify-net-test-server fetch URL --ca CA [--cert C --key K] [--method M] [--body B]\n";
    return 2;
}
