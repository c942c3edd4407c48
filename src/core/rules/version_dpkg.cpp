// Debian version ordering, written from Debian Policy 5.6.12 and deb-version(7); checked against
// the real `dpkg --compare-versions` by tests/integration/test_version_dpkg.sh.
#include "core/rules/version_dpkg.hpp"

#include <climits>
#include <string>

namespace edgeverify {
namespace {

struct DebianVersion {
    std::string_view epoch;  // digits, "" when absent (0)
    std::string_view upstream;
    std::string_view revision;  // "" when absent
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

Error invalid(std::string_view version, const std::string& why) {
    return make_error(Errc::schema_violation, "invalid Debian version \"" + std::string(version) + "\": " + why);
}

Expected<DebianVersion> split_version(std::string_view original) {
    const std::string_view text = trim_blanks(original);
    if (text.empty()) return invalid(original, "empty");
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n') return invalid(original, "embedded blank");
    }
    DebianVersion v;
    std::string_view rest = text;
    if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
        v.epoch = rest.substr(0, colon);
        if (v.epoch.empty()) return invalid(original, "empty epoch before ':'");
        for (char c : v.epoch) {
            if (!is_digit(c)) return invalid(original, "epoch is not a number");
        }
        std::string_view digits = v.epoch;
        while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
        if (digits.size() > 10 || std::stoll(std::string(digits)) > INT_MAX) return invalid(original, "epoch is too big");
        rest = rest.substr(colon + 1);
        if (rest.empty()) return invalid(original, "nothing after the epoch's ':'");
    }
    if (const std::size_t hyphen = rest.rfind('-'); hyphen != std::string_view::npos) {
        v.revision = rest.substr(hyphen + 1);
        rest = rest.substr(0, hyphen);
        if (v.revision.empty()) return invalid(original, "empty revision after '-'");
    }
    v.upstream = rest;
    if (v.upstream.empty()) return invalid(original, "empty upstream version");
    if (!is_digit(v.upstream.front())) return invalid(original, "upstream version does not start with a digit");
    for (char c : v.upstream) {
        if (!is_digit(c) && !is_letter(c) && std::string_view(".+~-:").find(c) == std::string_view::npos)
            return invalid(original, std::string("character '") + c + "' is not allowed in the upstream version");
    }
    for (char c : v.revision) {
        if (!is_digit(c) && !is_letter(c) && std::string_view(".+~").find(c) == std::string_view::npos)
            return invalid(original, std::string("character '") + c + "' is not allowed in the revision");
    }
    return v;
}

// The weight of one character of a non-digit run; the end of the run weighs 0.
int weight(char c) {
    if (c == '~') return -1;
    if (is_letter(c)) return static_cast<unsigned char>(c);
    return static_cast<unsigned char>(c) + 256;
}

// Compares two digit runs as unbounded non-negative numbers.
int compare_numbers(std::string_view a, std::string_view b) {
    while (!a.empty() && a.front() == '0') a.remove_prefix(1);
    while (!b.empty() && b.front() == '0') b.remove_prefix(1);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// One part (upstream or revision): alternating non-digit and digit runs.
int compare_part(std::string_view a, std::string_view b) {
    while (!a.empty() || !b.empty()) {
        while ((!a.empty() && !is_digit(a.front())) || (!b.empty() && !is_digit(b.front()))) {
            const int wa = a.empty() || is_digit(a.front()) ? 0 : weight(a.front());
            const int wb = b.empty() || is_digit(b.front()) ? 0 : weight(b.front());
            if (wa != wb) return wa < wb ? -1 : 1;
            if (!a.empty() && !is_digit(a.front())) a.remove_prefix(1);
            if (!b.empty() && !is_digit(b.front())) b.remove_prefix(1);
        }
        std::size_t na = 0, nb = 0;
        while (na < a.size() && is_digit(a[na])) ++na;
        while (nb < b.size() && is_digit(b[nb])) ++nb;
        if (const int c = compare_numbers(a.substr(0, na), b.substr(0, nb)); c != 0) return c;
        a.remove_prefix(na);
        b.remove_prefix(nb);
    }
    return 0;
}

}  // namespace

Status validate_dpkg_version(std::string_view version) {
    auto split = split_version(version);
    if (!split) return split.take_error();
    return {};
}

Expected<int> compare_dpkg_versions(std::string_view a, std::string_view b) {
    auto va = split_version(a);
    if (!va) return va.take_error();
    auto vb = split_version(b);
    if (!vb) return vb.take_error();
    if (const int c = compare_numbers(va->epoch, vb->epoch); c != 0) return c;
    if (const int c = compare_part(va->upstream, vb->upstream); c != 0) return c;
    return compare_part(va->revision, vb->revision);
}

}  // namespace edgeverify
