// Private to src/core/rules: strict reading of one rule's JSON object (docs/rules.md "Common to
// every rule"): every refusal is Errc::config naming "where: scopes[i].rules.<rule>.<key>".
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/limits.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify::rules_detail {

class RuleReader {
public:
    RuleReader(const Json& object, std::string_view where, std::string path)
        : object_(object), where_(where), path_(std::move(path)) {}

    Error error(const std::string& key, const std::string& why) const {
        return make_error(Errc::config, std::string(where_) + ": " + path_ + (key.empty() ? "" : "." + key) + ": " + why);
    }
    Status only_keys(std::initializer_list<std::string_view> allowed) const {
        for (const auto& item : object_.items()) {
            if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
                return error(item.key(), "unknown key");
        }
        return {};
    }
    const Json* find(const std::string& key) const {
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }
    Status boolean(const std::string& key, bool& out) const {
        const Json* v = find(key);
        if (!v) return {};
        if (!v->is_boolean()) return error(key, std::string("expected true or false, got ") + v->type_name());
        out = v->get<bool>();
        return {};
    }
    template <class Int>
    Status number(const std::string& key, std::optional<Int>& out) const {
        const Json* v = find(key);
        if (!v) return {};
        if (!v->is_number_integer()) return error(key, std::string("expected an integer, got ") + v->type_name());
        if (v->is_number_unsigned() ? false : v->get<std::int64_t>() < 0) {
            return error(key, std::to_string(v->get<std::int64_t>()) + " is negative");
        }
        if (v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) return error(key, "too large");
        out = static_cast<Int>(v->get<std::uint64_t>());
        return {};
    }
    Status strings(const std::string& key, std::vector<std::string>& out) const {
        const Json* v = find(key);
        if (!v) return {};
        if (!v->is_array()) return error(key, std::string("expected an array of strings, got ") + v->type_name());
        if (v->size() > limits::kMaxRuleListEntries) {
            return error(key, std::to_string(v->size()) + " entries, more than limits::kMaxRuleListEntries (" +
                                  std::to_string(limits::kMaxRuleListEntries) + ")");
        }
        for (std::size_t i = 0; i < v->size(); ++i) {
            const Json& item = (*v)[i];
            const std::string at = key + "[" + std::to_string(i) + "]";
            if (!item.is_string()) return error(at, std::string("expected a string, got ") + item.type_name());
            if (item.get_ref<const std::string&>().empty()) return error(at, "empty string");
            out.push_back(item.get<std::string>());
        }
        return {};
    }
    Status mode(RuleMode& out) const {
        const Json* v = find("mode");
        if (!v) return {};
        if (v->is_string() && v->get_ref<const std::string&>() == "enforce") {
            out = RuleMode::enforce;
        } else if (v->is_string() && v->get_ref<const std::string&>() == "audit") {
            out = RuleMode::audit;
        } else {
            return error("mode", v->dump() + " is neither \"enforce\" nor \"audit\"");
        }
        return {};
    }

private:
    const Json& object_;
    std::string_view where_;
    std::string path_;
};

// Returns the error of a Status-returning expression.
#define EV_TRY(expr) \
    if (auto st_ = (expr); !st_) return st_.take_error()

// The `vulnerabilityAttestation` rule (vuln_attestation_policy.cpp).
Expected<VulnerabilityAttestationRule> parse_vulnerability_attestation(const RuleReader& r);

}  // namespace edgeverify::rules_detail
