// The operator API of edgeverify-server (docs/server-api.md "Operator endpoints": devices,
// images, reports, fleet): requests in, responses out, over one Storage handle. The caller (the
// server's router) has already checked the operator token and answers routes this does not own.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "edgeverify/net/http.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

struct OperatorApiContext {
    Storage& storage;
    UnixSeconds now = 0;
    std::int64_t silent_after_seconds = 3600;
    std::function<void(const std::string&)> log;  // storage failures (500s); may be empty
};

// Serves GET /api/v1/devices[/{id}], POST /api/v1/devices/{id}/accept|revoke, GET
// /api/v1/images[/{digest}], GET /api/v1/reports[/{id}[/envelope]] and GET /api/v1/fleet, with
// the JSON shapes, pagination and error bodies of docs/server-api.md. nullopt: the target is
// none of these (the router answers it). POST /api/v1/devices (enrollment) is not served here.
// A storage failure is a 500 `internal` whose body says nothing more (the error goes to `log`).
std::optional<net::HttpResponse> handle_operator_request(const net::HttpRequest& request,
                                                         const OperatorApiContext& context);

}  // namespace edgeverify::server
