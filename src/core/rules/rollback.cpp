// Anti-rollback (docs/rules.md): per repository, the version (org.opencontainers.image.version as
// a semantic version, else config created) may not go below the highest admitted so far. The
// floors live in state_dir/floors.json, written atomically; only admissions raise them.
#include <algorithm>
#include <cstdint>

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify {
namespace {

struct SemVer {
    std::uint64_t major = 0, minor = 0, patch = 0;
    std::vector<std::string_view> pre;  // pre-release identifiers
};

bool numeric(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool identifier_chars(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
}

std::optional<std::uint64_t> core_number(std::string_view s) {
    if (!numeric(s) || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
}

std::vector<std::string_view> split_dots(std::string_view s) {
    std::vector<std::string_view> parts;
    while (true) {
        const std::size_t dot = s.find('.');
        parts.push_back(s.substr(0, dot));
        if (dot == std::string_view::npos) return parts;
        s.remove_prefix(dot + 1);
    }
}

std::optional<SemVer> parse_semver(std::string_view s) {
    if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
    if (const std::size_t plus = s.find('+'); plus != std::string_view::npos) {
        for (auto id : split_dots(s.substr(plus + 1))) {
            if (!identifier_chars(id)) return std::nullopt;
        }
        s = s.substr(0, plus);
    }
    SemVer v;
    if (const std::size_t dash = s.find('-'); dash != std::string_view::npos) {
        v.pre = split_dots(s.substr(dash + 1));
        for (auto id : v.pre) {
            if (!identifier_chars(id) || (numeric(id) && id.size() > 1 && id[0] == '0')) return std::nullopt;
        }
        s = s.substr(0, dash);
    }
    const auto core = split_dots(s);
    if (core.size() != 3) return std::nullopt;
    const auto major = core_number(core[0]), minor = core_number(core[1]), patch = core_number(core[2]);
    if (!major || !minor || !patch) return std::nullopt;
    v.major = *major;
    v.minor = *minor;
    v.patch = *patch;
    return v;
}

int compare_identifier(std::string_view a, std::string_view b) {
    const bool na = numeric(a), nb = numeric(b);
    if (na && nb) {
        if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;  // no leading zeros: length orders
        return a.compare(b) < 0 ? -1 : a == b ? 0 : 1;
    }
    if (na != nb) return na ? -1 : 1;  // numeric identifiers have lower precedence
    return a.compare(b) < 0 ? -1 : a == b ? 0 : 1;
}

std::string floors_path(const StateDirectory& state) { return state.root + "/floors.json"; }

// <0, 0, >0 of the image against a floor entry, with what was compared; nullopt: not comparable.
std::optional<int> compare_to_floor(const ImageFacts& facts, const Json& floor, std::string& compared) {
    const std::string floor_version = floor.value("version", Json()).is_string() ? floor["version"].get<std::string>() : "";
    if (auto c = compare_semver(facts.version, floor_version)) {
        compared = "version " + facts.version + " against the floor " + floor_version;
        return c;
    }
    const std::string floor_created = floor.value("created", Json()).is_string() ? floor["created"].get<std::string>() : "";
    const auto a = parse_rfc3339_seconds(facts.created), b = parse_rfc3339_seconds(floor_created);
    if (a && b) {
        compared = "created " + facts.created + " against the floor's created " + floor_created;
        return *a < *b ? -1 : *a > *b ? 1 : 0;
    }
    compared = "version \"" + facts.version + "\" / created \"" + facts.created + "\" cannot be compared with the floor (" +
               floor.dump() + ")";
    return std::nullopt;
}

}  // namespace

std::optional<int> compare_semver(std::string_view a, std::string_view b) {
    const auto x = parse_semver(a), y = parse_semver(b);
    if (!x || !y) return std::nullopt;
    for (auto [p, q] : {std::pair{x->major, y->major}, {x->minor, y->minor}, {x->patch, y->patch}}) {
        if (p != q) return p < q ? -1 : 1;
    }
    if (x->pre.empty() || y->pre.empty()) {
        if (x->pre.empty() == y->pre.empty()) return 0;
        return x->pre.empty() ? 1 : -1;  // a pre-release is below its release
    }
    for (std::size_t i = 0; i < x->pre.size() && i < y->pre.size(); ++i) {
        if (int c = compare_identifier(x->pre[i], y->pre[i])) return c;
    }
    if (x->pre.size() == y->pre.size()) return 0;
    return x->pre.size() < y->pre.size() ? -1 : 1;
}

Expected<Json> read_rollback_floors(const StateDirectory& state) {
    const std::string path = floors_path(state);
    auto text = read_state_file(path, limits::kMaxFloorsFileBytes);
    if (!text) return text.take_error();
    if (!*text) return Json{{"version", 1}, {"floors", Json::object()}};
    auto json = parse_json_strict(**text, path);
    const auto corrupt = [&](const std::string& why) {
        return make_error(Errc::config, path + ": " + why + ": the anti-rollback floors are corrupt; restore them "
                                                            "(docs/rules.md), never delete them to get past a floor");
    };
    if (!json) return corrupt(json.error().message);
    if (!json->is_object() || json->value("version", Json()) != Json(1) || !json->contains("floors") ||
        !(*json)["floors"].is_object()) {
        return corrupt("expected {\"version\": 1, \"floors\": {...}}");
    }
    for (const auto& item : (*json)["floors"].items()) {
        if (!item.value().is_object()) return corrupt("floors." + item.key() + ": expected an object");
    }
    return std::move(*json);
}

RuleResult check_rollback(const RollbackRule&, const ImageFacts& facts, const RuleContext& context,
                          RuleOutcome failed) {
    const std::string repository = context.reference.name();
    if (!context.rollback_floor) {
        return RuleResult{"rollback", RuleOutcome::pass, "no floor yet for " + repository};
    }
    std::string compared;
    const auto order = compare_to_floor(facts, *context.rollback_floor, compared);
    if (!order) return RuleResult{"rollback", failed, repository + ": " + compared};
    if (*order < 0) {
        const Json& floor = *context.rollback_floor;
        return RuleResult{"rollback", failed,
                          repository + ": " + compared + " is a rollback (floor set by " +
                              floor.value("digest", std::string("?")) + " admitted " +
                              floor.value("admittedAt", std::string("?")) + ")"};
    }
    return RuleResult{"rollback", RuleOutcome::pass, repository + ": " + compared + ", not below it"};
}

// Raises the floor of `repository` to this image when it is above (or there is none).
Status raise_rollback_floor(const StateDirectory& state, const std::string& repository, const ImageFacts& facts,
                            const std::string& admitted_at) {
    auto floors = read_rollback_floors(state);
    if (!floors) return floors.take_error();
    Json& all = (*floors)["floors"];
    if (all.contains(repository)) {
        std::string compared;
        const auto order = compare_to_floor(facts, all[repository], compared);
        if (!order || *order <= 0) return {};
    } else if (all.size() >= limits::kMaxFloorRepositories) {
        return make_error(Errc::limit_exceeded, floors_path(state) + ": already holds limits::kMaxFloorRepositories (" +
                                                    std::to_string(limits::kMaxFloorRepositories) + ") repositories");
    }
    all[repository] = Json{{"version", facts.version.empty() ? Json() : Json(facts.version)},
                           {"created", facts.created.empty() ? Json() : Json(facts.created)},
                           {"digest", facts.manifest_digest},
                           {"admittedAt", admitted_at}};
    return write_file_durably(floors_path(state), floors->dump(2) + "\n");
}

}  // namespace edgeverify
