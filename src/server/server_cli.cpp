// device add|list|accept|revoke, token add, operator-token new (server_cli.hpp).
#include "server/server_cli.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "edgeverify/json.hpp"
#include "server/enrollment.hpp"
#include "server/operator_tokens.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {
namespace {

int usage(const std::string& message) {
    std::fprintf(stderr, "edgeverify-server: %s (see edgeverify-server --help)\n", message.c_str());
    return 2;
}
int failed(const Error& error) {
    std::fprintf(stderr, "edgeverify-server: %s: %s\n", std::string(errc_name(error.code)).c_str(), error.message.c_str());
    return error.code == Errc::config || error.code == Errc::usage ? 2 : 1;
}
UnixSeconds unix_now() { return static_cast<UnixSeconds>(std::time(nullptr)); }

Expected<std::string> read_small_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > 1024 * 1024) return make_error(Errc::limit_exceeded, path + ": over 1 MiB");
    return text.str();
}

std::string iso_time(UnixSeconds t) {
    std::time_t time = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

bool parse_count(const std::string& text, std::int64_t& out, std::int64_t min) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && out >= min;
}

// The document of `--enrollment FILE`: `edgeverify device show --json` output (its "enrollment"
// member is the envelope) or the envelope itself.
Expected<NewDevice> device_from_enrollment_file(const std::string& text, std::vector<DeviceLabel> labels) {
    auto document = parse_json_strict(text, "--enrollment file");
    if (!document) return document.take_error();
    if (document->is_object() && document->contains("enrollment")) {
        return new_device_from_enrollment((*document)["enrollment"].dump(), std::move(labels));
    }
    return new_device_from_enrollment(text, std::move(labels));
}

int device_add(Storage& storage, const std::vector<std::string>& args) {
    std::string public_key, enrollment;
    std::vector<DeviceLabel> labels;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (i + 1 >= args.size()) return usage("device add: " + arg + " needs a value");
        const std::string& value = args[++i];
        if (arg == "--public-key") public_key = value;
        else if (arg == "--enrollment") enrollment = value;
        else if (arg == "--label") {
            const auto equals = value.find('=');
            if (equals == std::string::npos || equals == 0) return usage("device add: --label takes NAME=VALUE");
            labels.push_back({value.substr(0, equals), value.substr(equals + 1)});
        } else return usage("device add: unknown option " + arg);
    }
    if (public_key.empty() == enrollment.empty()) return usage("device add: give --public-key FILE or --enrollment FILE");
    auto text = read_small_file(public_key.empty() ? enrollment : public_key);
    if (!text) return failed(text.error());
    auto device = public_key.empty() ? device_from_enrollment_file(*text, std::move(labels))
                                     : new_device_from_public_key(*text, std::move(labels));
    if (!device) return failed(device.error());
    if (auto enrolled = storage.enroll_device(*device, unix_now()); !enrolled) return failed(enrolled.error());
    std::printf("enrolled %s %s (active)\n", device->id.c_str(), device->fingerprint.c_str());
    return 0;
}

int device_list(Storage& storage, bool json) {
    auto devices = storage.list_devices();
    if (!devices) return failed(devices.error());
    Json out = Json::array();
    for (const auto& summary : *devices) {
        const Device& d = summary.device;
        Json labels = Json::object();
        for (const auto& label : d.labels) labels[label.name] = label.value;
        if (json) {
            out.push_back({{"id", d.id}, {"fingerprint", d.fingerprint}, {"status", device_status_name(d.status)},
                           {"labels", labels}, {"enrolledAt", iso_time(d.enrolled_at)},
                           {"lastSeen", d.last_seen ? Json(iso_time(*d.last_seen)) : Json(nullptr)}});
        } else {
            std::printf("%-24s %-8s %-20s %s\n", d.id.c_str(), std::string(device_status_name(d.status)).c_str(),
                        d.last_seen ? iso_time(*d.last_seen).c_str() : "never", labels.dump().c_str());
        }
    }
    if (json) std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

}  // namespace

int run_device_command(const ServerConfig& config, const std::vector<std::string>& args) {
    if (args.empty()) return usage("device: add, list, accept or revoke");
    const std::string& verb = args[0];
    const bool known = verb == "add" || verb == "list" || verb == "accept" || verb == "revoke";
    if (!known) return usage("device: unknown command " + verb);
    if ((verb == "accept" || verb == "revoke") && args.size() != 2) return usage("device " + verb + ": takes one device id");
    if (verb == "list" && (args.size() > 2 || (args.size() == 2 && args[1] != "--json"))) {
        return usage("device list: takes only --json");
    }
    auto storage = Storage::open(config.database);
    if (!storage) return failed(storage.error());
    if (verb == "add") return device_add(**storage, args);
    if (verb == "list") return device_list(**storage, args.size() == 2);
    auto changed = verb == "accept" ? (*storage)->accept_device(args[1], unix_now())
                                    : (*storage)->revoke_device(args[1], unix_now());
    if (!changed) return failed(changed.error());
    std::printf("%s %s\n", verb == "accept" ? "accepted" : "revoked", args[1].c_str());
    return 0;
}

int run_token_command(const ServerConfig& config, const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "add") return usage("token: the command is token add");
    std::int64_t uses = 1, expires_in = 86400;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) return usage("token add: " + args[i] + " needs a value");
        if (args[i] == "--uses") {
            if (!parse_count(args[i + 1], uses, 1)) return usage("token add: --uses takes an integer >= 1");
        } else if (args[i] == "--expires-in") {
            if (!parse_count(args[i + 1], expires_in, 1)) return usage("token add: --expires-in takes seconds >= 1");
        } else {
            return usage("token add: unknown option " + args[i]);
        }
    }
    auto token = new_random_token();
    if (!token) return failed(token.error());
    auto storage = Storage::open(config.database);
    if (!storage) return failed(storage.error());
    const UnixSeconds now = unix_now();
    if (auto added = (*storage)->add_bootstrap_token(*token, now + expires_in, uses, now); !added) return failed(added.error());
    std::printf("%s\n", token->c_str());
    std::fprintf(stderr, "bootstrap token: %lld use(s), expires %s; shown only now\n", static_cast<long long>(uses),
                 iso_time(now + expires_in).c_str());
    return 0;
}

int run_operator_token_command(const std::vector<std::string>& args) {
    if (args.size() != 2 || args[0] != "new") return usage("operator-token: the command is operator-token new NAME");
    auto token = new_random_token();
    if (!token) return failed(token.error());
    const Json entry = {{"name", args[1]}, {"sha256", hex_of(token_sha256(*token))}};
    // The name must be one server.json accepts.
    auto checked = parse_server_config(Json{{"operatorTokens", Json::array({entry})}}.dump(), "NAME");
    if (!checked) return usage("operator-token new: " + checked.error().message);
    std::printf("token: %s\nserver.json operatorTokens entry: %s\n", token->c_str(), entry.dump().c_str());
    return 0;
}

}  // namespace edgeverify::server
