// PEM armor: find the BEGIN/END lines, join the base64 lines, decode strictly.
#include "crypto/pem.hpp"

#include "edgeverify/crypto.hpp"

namespace edgeverify::crypto {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

Error pem_error(std::string_view where, const std::string& why) {
    return make_error(Errc::key_malformed, std::string(where) + ": not a valid PEM key: " + why);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

Expected<PemBlock> pem_decode(std::string_view text, std::string_view where) {
    const auto begin = text.find(kBegin);
    if (begin == std::string_view::npos) return pem_error(where, "no \"-----BEGIN\" line");
    const auto label_start = begin + kBegin.size();
    const auto label_end = text.find(kDashes, label_start);
    const auto line_end = text.find('\n', label_start);
    if (label_end == std::string_view::npos || (line_end != std::string_view::npos && line_end < label_end)) {
        return pem_error(where, "malformed BEGIN line");
    }
    PemBlock block;
    block.label = std::string(text.substr(label_start, label_end - label_start));
    const std::string end_line = std::string(kEnd) + block.label + std::string(kDashes);
    const auto body_start = label_end + kDashes.size();
    const auto end = text.find(end_line, body_start);
    if (end == std::string_view::npos) return pem_error(where, "no \"" + end_line + "\" line");
    for (char c : text.substr(end + end_line.size())) {
        if (!is_space(c)) return pem_error(where, "unexpected text after the END line");
    }
    std::string base64;
    for (char c : text.substr(body_start, end - body_start)) {
        if (is_space(c)) continue;
        base64.push_back(c);
    }
    if (base64.find(':') != std::string::npos)
        return pem_error(where, "encrypted or headered PEM is not supported");
    auto der = base64_decode(base64, where);
    if (!der) return pem_error(where, "body " + der.error().message.substr(where.size() + 2));
    if (der->empty()) return pem_error(where, "empty body");
    block.der = std::move(*der);
    return block;
}

std::string pem_encode(std::string_view label, std::string_view der) {
    const std::string base64 = base64_encode(der);
    std::string out = std::string(kBegin) + std::string(label) + std::string(kDashes) + "\n";
    for (std::size_t pos = 0; pos < base64.size(); pos += 64) {
        out += base64.substr(pos, 64);
        out += '\n';
    }
    out += std::string(kEnd) + std::string(label) + std::string(kDashes) + "\n";
    return out;
}

}  // namespace edgeverify::crypto
