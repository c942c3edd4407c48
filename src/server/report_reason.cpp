// The stored reason of a failed or not-admitted verification (report_reason.hpp).
#include "server/report_reason.hpp"

#include "edgeverify/limits.hpp"

namespace edgeverify::server {
namespace {

std::string text_member(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return {};
    return object[key].get<std::string>();
}

// The check's message when the check object says it failed ("passed": false).
std::string failed_check_message(const Json& checks, const char* name) {
    if (!checks.contains(name)) return {};
    const Json& check = checks[name];
    if (!check.is_object() || !check.contains("passed") || !check["passed"].is_boolean() ||
        check["passed"].get<bool>())
        return {};
    auto message = text_member(check, "message");
    return message.empty() ? std::string(name) + " failed" : message;
}

std::string failed_rule_message(const Json& checks) {
    if (!checks.contains("rules") || !checks["rules"].is_array()) return {};
    for (const Json& rule : checks["rules"]) {
        const auto outcome = text_member(rule, "outcome");
        if (outcome == "fail" || outcome == "audit-fail")
            return "rule " + text_member(rule, "rule") + ": " + text_member(rule, "evidence");
    }
    return {};
}

std::string install_message(const Json& checks) {
    if (!checks.contains("install")) return {};
    const Json& install = checks["install"];
    if (!install.is_object() || !install.contains("installed") || !install["installed"].is_boolean() ||
        install["installed"].get<bool>())
        return {};
    auto message = text_member(install, "message");
    return message.empty() ? "not installed" : message;
}

// At most max bytes, never ending inside a UTF-8 sequence.
std::string cut_utf8(std::string text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text.resize(end);
    return text;
}

}  // namespace

std::string first_failing_check(const Json& checks) {
    if (!checks.is_object()) return {};
    std::string reason = failed_check_message(checks, "integrity");
    if (reason.empty()) reason = failed_check_message(checks, "trust");
    if (reason.empty()) reason = failed_rule_message(checks);
    if (reason.empty()) reason = install_message(checks);
    return cut_utf8(std::move(reason), limits::kMaxReportReasonBytes);
}

}  // namespace edgeverify::server
