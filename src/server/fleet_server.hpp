// edgeverify-server's HTTP side: the router over net::HttpServer (docs/server-api.md). Device
// endpoints (report ingest, zero-touch enrollment), operator endpoints behind bearer tokens,
// /healthz, /metrics and the dashboard's static files. Storage work runs on libuv worker threads.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "edgeverify/error.hpp"
#include "server/server_config.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

class FleetServer {
public:
    using Log = std::function<void(const std::string&)>;
    // `storage`: opened (and migrated) on config.database by the caller. Certificates are loaded
    // and the address bound now (config error naming the files; io_error naming host:port).
    static Expected<std::unique_ptr<FleetServer>> start(uv_loop_t* loop, const ServerConfig& config,
                                                        std::unique_ptr<Storage> storage, Log log);
    virtual ~FleetServer() = default;
    virtual std::uint16_t port() const = 0;
    // Stops listening, drops open connections, waits for storage work in flight; then `stopped`.
    virtual void stop(std::function<void()> stopped) = 0;
};

}  // namespace edgeverify::server
