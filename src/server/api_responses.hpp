// Responses of edgeverify-server in the shapes of docs/server-api.md "Conventions": JSON bodies
// and {"error": {"code", "message"}} errors.
#pragma once

#include <string_view>

#include "edgeverify/json.hpp"
#include "edgeverify/net/http.hpp"

namespace edgeverify::server {

net::HttpResponse json_response(int status, const Json& body);
// code: "unauthorized", "bad-request", ... (the status says which); 401 adds WWW-Authenticate.
net::HttpResponse error_response(int status, std::string_view code, std::string_view message);
net::HttpResponse method_not_allowed(std::string_view allow);
// The 500 every storage failure answers: the details go to the server log, not the client.
net::HttpResponse internal_error();

}  // namespace edgeverify::server
