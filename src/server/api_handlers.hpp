// The operator API's handlers per resource, called by handle_operator_request (operator_api.cpp)
// once the route and method are known. Devices: api_devices.cpp; images, reports and the fleet:
// api_reports.cpp.
#pragma once

#include <cstdint>
#include <string_view>

#include "edgeverify/error.hpp"
#include "edgeverify/net/http.hpp"
#include "server/api_query.hpp"
#include "server/operator_api.hpp"

namespace edgeverify::server::api {

// 400 bad-request with the error's message (a bad parameter or path).
net::HttpResponse bad_request(const Error& error);
// A storage error: not_found 404, usage 409 conflict, schema_violation / limit_exceeded 400 (a
// filter the storage refused), anything else 500 internal (the message goes to context.log only).
net::HttpResponse storage_failure(const Error& error, const OperatorApiContext& context);

net::HttpResponse list_devices(const ApiTarget& target, const OperatorApiContext& context);
net::HttpResponse show_device(std::string_view id, const ApiTarget& target, const OperatorApiContext& context);
// accept: pending -> active; else revoke.
net::HttpResponse change_device(std::string_view id, bool accept, const ApiTarget& target,
                                const OperatorApiContext& context);

net::HttpResponse list_images(const ApiTarget& target, const OperatorApiContext& context);
net::HttpResponse show_image(std::string_view digest, const ApiTarget& target, const OperatorApiContext& context);
net::HttpResponse list_reports(const ApiTarget& target, const OperatorApiContext& context);
net::HttpResponse show_report(std::string_view id, bool envelope, const ApiTarget& target,
                              const OperatorApiContext& context);
net::HttpResponse show_fleet(const ApiTarget& target, const OperatorApiContext& context);

}  // namespace edgeverify::server::api
