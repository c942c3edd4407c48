// Alpine version ordering, written from apk-tools' documented grammar
// (digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}); the cases are in version_apk_test.cpp.
#include "core/rules/version_apk.hpp"

#include <string>
#include <vector>

namespace edgeverify {
namespace {

// Token kinds in the order they may appear; a later kind never precedes an earlier one (except
// that numbers and suffixes repeat).
enum class Part { initial_number, number, letter, suffix, suffix_number, commit_hash, revision, end };

struct Token {
    Part part = Part::end;
    std::string_view text;  // the digits, the letter, the suffix name or the hash
    int suffix_rank = 0;    // for suffixes: <0 pre-release, >0 post-release
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// alpha < beta < pre < rc < (release) < cvs < svn < git < hg < p; 0 = not a suffix.
int suffix_rank(std::string_view name) {
    static constexpr std::string_view kOrder[] = {"alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"};
    for (int i = 0; i < 10; ++i) {
        if (i != 4 && name == kOrder[i]) return i - 4;
    }
    return 0;
}

Error invalid(std::string_view version, const std::string& why) {
    return make_error(Errc::schema_violation, "invalid Alpine version \"" + std::string(version) + "\": " + why);
}

std::string_view take_while(std::string_view& rest, bool (*accept)(char)) {
    std::size_t n = 0;
    while (n < rest.size() && accept(rest[n])) ++n;
    const std::string_view taken = rest.substr(0, n);
    rest.remove_prefix(n);
    return taken;
}

Expected<std::vector<Token>> tokenize(std::string_view version) {
    std::vector<Token> tokens;
    std::string_view rest = version;
    const std::string_view first = take_while(rest, is_digit);
    if (first.empty()) return invalid(version, "does not start with a number");
    tokens.push_back(Token{Part::initial_number, first, 0});
    while (!rest.empty()) {
        const Part last = tokens.back().part;
        const char c = rest.front();
        Token token;
        if (is_lower(c) && last <= Part::number) {
            token = Token{Part::letter, rest.substr(0, 1), 0};
            rest.remove_prefix(1);
        } else if (c == '.' && last <= Part::number) {
            rest.remove_prefix(1);
            token = Token{Part::number, take_while(rest, is_digit), 0};
            if (token.text.empty()) return invalid(version, "no number after '.'");
        } else if (is_digit(c) && last == Part::suffix) {
            token = Token{Part::suffix_number, take_while(rest, is_digit), 0};
        } else if (c == '_' && last <= Part::suffix_number) {
            rest.remove_prefix(1);
            const std::string_view name = take_while(rest, is_lower);
            token = Token{Part::suffix, name, suffix_rank(name)};
            if (token.suffix_rank == 0) return invalid(version, "unknown suffix \"_" + std::string(name) + "\"");
        } else if (c == '~' && last < Part::commit_hash) {
            rest.remove_prefix(1);
            token = Token{Part::commit_hash, take_while(rest, is_hex), 0};
            if (token.text.empty()) return invalid(version, "no hexadecimal commit after '~'");
        } else if (c == '-' && last < Part::revision && rest.starts_with("-r")) {
            rest.remove_prefix(2);
            token = Token{Part::revision, take_while(rest, is_digit), 0};
            if (token.text.empty()) return invalid(version, "no number after \"-r\"");
        } else {
            return invalid(version, std::string("unexpected '") + c + "' at offset " +
                                        std::to_string(version.size() - rest.size()));
        }
        tokens.push_back(token);
    }
    tokens.push_back(Token{Part::end, {}, 0});
    return tokens;
}

int sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

int compare_numbers(std::string_view a, std::string_view b) {
    while (!a.empty() && a.front() == '0') a.remove_prefix(1);
    while (!b.empty() && b.front() == '0') b.remove_prefix(1);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return sign(a.compare(b));
}

// Two tokens of the same part.
int compare_tokens(const Token& a, const Token& b) {
    switch (a.part) {
        case Part::number:
            // A number with a leading zero is a fraction: both compare as strings.
            if (a.text.front() == '0' || b.text.front() == '0') return sign(a.text.compare(b.text));
            return compare_numbers(a.text, b.text);
        case Part::initial_number:
        case Part::suffix_number:
        case Part::revision:
            return compare_numbers(a.text, b.text);
        case Part::suffix:
            return sign(a.suffix_rank - b.suffix_rank);
        case Part::letter:
        case Part::commit_hash:
            return sign(a.text.compare(b.text));
        case Part::end:
            return 0;
    }
    return 0;
}

}  // namespace

Status validate_apk_version(std::string_view version) {
    auto tokens = tokenize(version);
    if (!tokens) return tokens.take_error();
    return {};
}

Expected<int> compare_apk_versions(std::string_view a, std::string_view b) {
    auto ta = tokenize(a);
    if (!ta) return ta.take_error();
    auto tb = tokenize(b);
    if (!tb) return tb.take_error();
    std::size_t i = 0;
    for (; (*ta)[i].part == (*tb)[i].part && (*ta)[i].part != Part::end; ++i) {
        if (const int c = compare_tokens((*ta)[i], (*tb)[i]); c != 0) return c;
    }
    const Token& x = (*ta)[i];
    const Token& y = (*tb)[i];
    if (x.part == y.part) return 0;
    // Equal so far: the one that goes on is greater, unless it goes on with a pre-release.
    if (x.part == Part::suffix && x.suffix_rank < 0) return -1;
    if (y.part == Part::suffix && y.suffix_rank < 0) return 1;
    return x.part > y.part ? -1 : 1;
}

}  // namespace edgeverify
