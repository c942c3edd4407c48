// Image references normalized like Docker's short names (distribution/reference): the name a
// trust-policy scope matches against is always "registry/repository".
#include <string>
#include <string_view>

#include "edgeverify/trust_policy.hpp"

namespace edgeverify {
namespace {

// Docker's bounds: a tag is at most 128 characters, a full name at most 255.
constexpr std::size_t kMaxTagLength = 128;
constexpr std::size_t kMaxNameLength = 255;

bool is_lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
    return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}
bool is_word(char c) {
    return is_alnum(c) || c == '_';
}

// [a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*
bool valid_path_component(std::string_view s) {
    if (s.empty() || !is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_lower_alnum(s[i])) {
            ++i;
            continue;
        }
        // A separator run: ".", "_", "__" or any number of "-".
        std::size_t j = i;
        while (j < s.size() && !is_lower_alnum(s[j])) ++j;
        const std::string_view sep = s.substr(i, j - i);
        const bool ok =
            sep == "." || sep == "_" || sep == "__" || sep.find_first_not_of('-') == std::string_view::npos;
        if (!ok) return false;
        i = j;
    }
    return true;
}

// Host components [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])? joined by '.', then an optional :port.
bool valid_registry(std::string_view s) {
    std::string_view host = s;
    const auto colon = s.find(':');
    if (colon != std::string_view::npos) {
        host = s.substr(0, colon);
        const std::string_view port = s.substr(colon + 1);
        if (port.empty() || port.size() > 5 ||
            port.find_first_not_of("0123456789") != std::string_view::npos) {
            return false;
        }
    }
    if (host.empty()) return false;
    std::size_t start = 0;
    while (start <= host.size()) {
        auto dot = host.find('.', start);
        if (dot == std::string_view::npos) dot = host.size();
        const std::string_view label = host.substr(start, dot - start);
        if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
        for (char c : label) {
            if (!is_alnum(c) && c != '-') return false;
        }
        start = dot + 1;
    }
    return true;
}

// [\w][\w.-]{0,127}
bool valid_tag(std::string_view s) {
    if (s.empty() || s.size() > kMaxTagLength || !is_word(s.front())) return false;
    for (char c : s) {
        if (!is_word(c) && c != '.' && c != '-') return false;
    }
    return true;
}

bool looks_like_registry(std::string_view first) {
    return first.find_first_of(".:") != std::string_view::npos || first == "localhost";
}

}  // namespace

std::string ImageReference::name() const {
    return registry + "/" + repository;
}

std::string ImageReference::str() const {
    std::string out = name();
    if (!tag.empty()) out += ":" + tag;
    if (digest) out += "@" + digest->str();
    return out;
}

Expected<ImageReference> parse_image_reference(std::string_view text) {
    const auto fail = [&](const std::string& reason) -> Error {
        return make_error(Errc::usage, "image reference \"" + std::string(text) + "\": " + reason);
    };
    if (text.empty()) return fail("empty");

    ImageReference ref;
    std::string_view rest = text;
    if (const auto at = rest.find('@'); at != std::string_view::npos) {
        auto digest = Digest::parse(rest.substr(at + 1));
        if (!digest) return fail(digest.error().message);
        ref.digest = std::move(*digest);
        rest = rest.substr(0, at);
    }
    // A ':' after the last '/' separates the tag; an earlier one is a registry port.
    const auto last_slash = rest.rfind('/');
    const auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
        const std::string_view tag = rest.substr(colon + 1);
        if (!valid_tag(tag)) {
            return fail("invalid tag \"" + std::string(tag) +
                        "\" (expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
        }
        ref.tag = std::string(tag);
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) return fail("empty repository name");
    if (rest.size() > kMaxNameLength) {
        return fail("name longer than " + std::to_string(kMaxNameLength) + " characters");
    }

    std::string_view path = rest;
    const auto slash = rest.find('/');
    if (slash != std::string_view::npos && looks_like_registry(rest.substr(0, slash))) {
        const std::string_view registry = rest.substr(0, slash);
        if (!valid_registry(registry)) return fail("invalid registry \"" + std::string(registry) + "\"");
        ref.registry = std::string(registry);
        path = rest.substr(slash + 1);
    } else {
        ref.registry = "docker.io";
    }
    if (ref.registry == "index.docker.io") ref.registry = "docker.io";

    // Validate every repository path component.
    std::size_t start = 0;
    std::size_t components = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view component = path.substr(start, end - start);
        if (component.empty()) return fail("empty path component");
        if (!valid_path_component(component)) {
            return fail("invalid repository component \"" + std::string(component) +
                        "\" (lowercase letters, digits and single separators . _ __ or -)");
        }
        ++components;
        start = end + 1;
    }
    ref.repository = std::string(path);
    if (ref.registry == "docker.io" && components == 1) ref.repository = "library/" + ref.repository;
    if (ref.tag.empty() && !ref.digest) ref.tag = "latest";
    return ref;
}

std::optional<ImageReference> reference_from_source_name(std::string_view name) {
    if (name.find('/') == std::string_view::npos) return std::nullopt;
    auto reference = parse_image_reference(name);
    if (!reference) return std::nullopt;
    return std::move(*reference);
}

}  // namespace edgeverify
