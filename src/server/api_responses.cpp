// JSON responses and error bodies (api_responses.hpp).
#include "server/api_responses.hpp"

#include <string>

namespace edgeverify::server {

net::HttpResponse json_response(int status, const Json& body) {
    net::HttpResponse response;
    response.status = status;
    response.headers = {{"Content-Type", "application/json; charset=utf-8"}, {"Cache-Control", "no-store"}};
    response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
    return response;
}

net::HttpResponse error_response(int status, std::string_view code, std::string_view message) {
    auto response = json_response(status, Json{{"error", {{"code", code}, {"message", message}}}});
    if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
}

net::HttpResponse method_not_allowed(std::string_view allow) {
    auto response = error_response(405, "method-not-allowed", "allowed: " + std::string(allow));
    response.headers.emplace_back("Allow", std::string(allow));
    return response;
}

net::HttpResponse internal_error() {
    return error_response(500, "internal", "the server could not answer now; the server log says why");
}

}  // namespace edgeverify::server
