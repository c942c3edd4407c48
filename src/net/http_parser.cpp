// HttpRequestParser and HttpResponseParser: the public faces of HttpFraming.
#include "edgeverify/net/http.hpp"
#include "http_framing.hpp"

#include <algorithm>

namespace edgeverify::net {

struct HttpRequestParser::State {
    explicit State(HttpLimits limits) : framing(HTTP_REQUEST, limits) {}
    detail::HttpFraming framing;
};

HttpRequestParser::HttpRequestParser(HttpLimits limits) : state_(std::make_unique<State>(limits)) {}
HttpRequestParser::~HttpRequestParser() = default;

Expected<std::size_t> HttpRequestParser::feed(std::string_view bytes) { return state_->framing.feed(bytes); }
bool HttpRequestParser::complete() const { return state_->framing.complete(); }
bool HttpRequestParser::headers_complete() const { return state_->framing.headers_complete(); }

bool HttpRequestParser::expects_continue() const {
    const auto& framing = state_->framing;
    if (!framing.headers_complete() || framing.complete() || !framing.body.empty()) return false;
    const auto expect = find_header(framing.headers, "Expect");
    if (!expect || expect->size() != 12) return false;
    return std::equal(expect->begin(), expect->end(), "100-continue",
                      [](char a, char b) { return (a | 0x20) == (b | 0x20); });
}

std::optional<HttpRequest> HttpRequestParser::take() {
    auto& framing = state_->framing;
    if (!framing.complete()) return std::nullopt;
    HttpRequest request{std::move(framing.method), std::move(framing.target), std::move(framing.headers),
                        std::move(framing.body), framing.keep_alive};
    framing.reset();
    return request;
}

struct HttpResponseParser::State {
    explicit State(HttpLimits limits) : framing(HTTP_RESPONSE, limits) {}
    detail::HttpFraming framing;
};

HttpResponseParser::HttpResponseParser(HttpLimits limits) : state_(std::make_unique<State>(limits)) {}
HttpResponseParser::~HttpResponseParser() = default;

Expected<std::size_t> HttpResponseParser::feed(std::string_view bytes) { return state_->framing.feed(bytes); }
Status HttpResponseParser::finish() { return state_->framing.finish(); }
bool HttpResponseParser::complete() const { return state_->framing.complete(); }

std::optional<HttpResponse> HttpResponseParser::take() {
    auto& framing = state_->framing;
    if (!framing.complete()) return std::nullopt;
    HttpResponse response{framing.status, std::move(framing.reason), std::move(framing.headers),
                          std::move(framing.body), framing.keep_alive};
    framing.reset();
    return response;
}

}  // namespace edgeverify::net
