#include "server/operator_api.hpp"

namespace edgeverify::server {

std::optional<net::HttpResponse> handle_operator_request(const net::HttpRequest& /*request*/,
                                                         const OperatorApiContext& /*context*/) {
    return std::nullopt;
}

}  // namespace edgeverify::server
