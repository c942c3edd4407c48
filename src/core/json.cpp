// Strict JSON parsing: size and depth limits, duplicate keys refused, errors name the document.
//
// The document is built by our own SAX handler rather than nlohmann's callback parser: that
// parser rescans the whole parent container each time an object closes (to drop discarded
// values), which makes an array of n objects cost O(n^2); a 50,000-entry vulnerability feed took
// minutes. Here each value is appended once and duplicate keys are looked up in the object being
// built.
#include "edgeverify/json.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgeverify {
namespace {

class StrictDocumentBuilder {
public:
    StrictDocumentBuilder(const std::string& name, int max_depth) : name_(name), max_depth_(max_depth) {}

    bool null() { return add(Json(nullptr)); }
    bool boolean(bool value) { return add(Json(value)); }
    bool number_integer(Json::number_integer_t value) { return add(Json(value)); }
    bool number_unsigned(Json::number_unsigned_t value) { return add(Json(value)); }
    bool number_float(Json::number_float_t value, const Json::string_t& /*text*/) { return add(Json(value)); }
    bool string(Json::string_t& value) { return add(Json(std::move(value))); }
    bool binary(Json::binary_t& value) { return add(Json::binary(std::move(value))); }

    bool start_object(std::size_t /*elements*/) { return open(Json::object()); }
    bool start_array(std::size_t /*elements*/) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(Json::string_t& key) {
        if (open_.back()->contains(key)) {
            error_ = make_error(Errc::json_duplicate_key, name_ + ": duplicate key \"" + key + "\" in an object");
            return false;
        }
        pending_key_ = std::move(key);
        return true;
    }

    bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Json::exception& e) {
        error_ = make_error(Errc::json_malformed, name_ + ": not valid JSON: " + e.what());
        return false;
    }

    Expected<Json> result() && {
        if (error_) return *error_;
        return std::move(root_);
    }

private:
    // Places `value` in the open container (or as the root) and returns where it now lives.
    Json* place(Json value) {
        if (open_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        Json& container = *open_.back();
        if (container.is_array()) {
            container.push_back(std::move(value));
            return &container.back();
        }
        Json& slot = container[pending_key_];
        slot = std::move(value);
        return &slot;
    }
    bool add(Json value) {
        place(std::move(value));
        return true;
    }
    // A container's parent never grows while the container is open, so the pointer stays valid.
    bool open(Json container) {
        if (open_.size() >= static_cast<std::size_t>(max_depth_)) {
            error_ = make_error(Errc::json_too_deep, name_ + ": JSON nesting deeper than kMaxJsonDepth (" +
                                                         std::to_string(max_depth_) + ")");
            return false;
        }
        open_.push_back(place(std::move(container)));
        return true;
    }
    bool close() {
        open_.pop_back();
        return true;
    }

    const std::string& name_;
    const int max_depth_;
    Json root_;
    std::vector<Json*> open_;
    std::string pending_key_;
    std::optional<Error> error_;
};

}  // namespace

Expected<Json> parse_json_strict(std::string_view text, std::string_view where, JsonLimits limits) {
    const std::string name(where);
    if (text.size() > limits.max_bytes) {
        return make_error(Errc::json_too_large, name + ": JSON document of " + std::to_string(text.size()) +
                                                    " bytes exceeds kMaxJsonDocumentBytes (" +
                                                    std::to_string(limits.max_bytes) + ")");
    }
    StrictDocumentBuilder builder(name, limits.max_depth);
    const bool parsed = Json::sax_parse(text.begin(), text.end(), &builder, Json::input_format_t::json,
                                        /*strict=*/true, /*ignore_comments=*/false);
    Expected<Json> result = std::move(builder).result();
    // Every refusal stops the parse; a stop without a recorded reason is still a refusal.
    if (!parsed && result) return make_error(Errc::json_malformed, name + ": not valid JSON");
    return result;
}

}  // namespace edgeverify
