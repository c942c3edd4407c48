// edgeverify-server: the fleet server (docs/server.md). Serves the API of docs/server-api.md, or
// runs one administration command on the configured database.
#include <uv.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "server/fleet_server.hpp"
#include "server/server_cli.hpp"
#include "server/server_config.hpp"
#include "server/storage.hpp"

using namespace edgeverify;
using namespace edgeverify::server;

namespace {

constexpr const char* kHelp =
    "usage: edgeverify-server [--config FILE]                 serve (the default command)\n"
    "       edgeverify-server [--config FILE] device add (--public-key FILE | --enrollment FILE)\n"
    "                                                  [--label NAME=VALUE]...\n"
    "       edgeverify-server [--config FILE] device list [--json]\n"
    "       edgeverify-server [--config FILE] device accept ID\n"
    "       edgeverify-server [--config FILE] device revoke ID\n"
    "       edgeverify-server [--config FILE] token add [--uses N] [--expires-in SECONDS]\n"
    "       edgeverify-server operator-token new NAME\n"
    "\n"
    "The fleet server of edgeverify: devices upload DSSE-signed reports (POST /api/v1/reports),\n"
    "enroll with a bootstrap token (POST /api/v1/enroll); operators use the API under /api/v1/\n"
    "with a bearer token, /metrics, /healthz and the dashboard at /. docs/server.md, docs/server-api.md.\n"
    "\n"
    "serve           listens on listen.host:listen.port (HTTPS when tls.certificate is set) until\n"
    "                SIGTERM or SIGINT; creates or migrates the database on start\n"
    "device add      enrolls a device as active: --public-key FILE (the PEM of `edgeverify device\n"
    "                show`) or --enrollment FILE (the output of `edgeverify device show --json`,\n"
    "                or its enrollment envelope, which must verify with the key it carries);\n"
    "                the id is derived from the key; --label may repeat\n"
    "device list     every device: id, status, last seen, labels (--json: a JSON array)\n"
    "device accept   pending -> active (a device that enrolled itself with a bootstrap token)\n"
    "device revoke   any -> revoked, for good: its reports are refused from then on\n"
    "token add       prints a new random bootstrap token once (only its SHA-256 is stored) for\n"
    "                zero-touch enrollment; --uses N enrollments (default 1), --expires-in SECONDS\n"
    "                (default 86400)\n"
    "operator-token new NAME\n"
    "                prints a new random operator token and the operatorTokens entry (name and\n"
    "                sha256) to put in the configuration; the token itself is never stored\n"
    "\n"
    "options:\n"
    "  --config FILE   the configuration (default /etc/edgeverify/server.json); a missing file\n"
    "                  is an error, an unknown key or a bad value names its JSON path\n"
    "  -h, --help      this help\n"
    "  --version       the version\n"
    "\n"
    "exit status: 0 done, 2 usage or configuration error, 1 runtime failure (database, address in\n"
    "use, a refused command)\n";

void log_line(const std::string& line) {
    char stamp[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::fprintf(stderr, "%s edgeverify-server: %s\n", stamp, line.c_str());
}

int serve(const ServerConfig& config) {
    auto storage = Storage::open(config.database);
    if (!storage) {
        log_line("cannot open the database: " + storage.error().message);
        return storage.error().code == Errc::config ? 2 : 1;
    }
    uv_loop_t loop;
    uv_loop_init(&loop);
    auto server = FleetServer::start(&loop, config, std::move(*storage), log_line);
    if (!server) {
        log_line("cannot start: " + server.error().message);
        uv_loop_close(&loop);
        return server.error().code == Errc::config ? 2 : 1;
    }
    log_line(std::string("listening on ") + (config.tls_certificate.empty() ? "http://" : "https://") +
             config.listen_host + ":" + std::to_string((*server)->port()) + " database " +
             config.database.substr(0, config.database.find(':')));
    struct Signals {
        uv_signal_t term, interrupt;
        FleetServer* server;
    } signals{};
    signals.server = server->get();
    auto on_signal = [](uv_signal_t* handle, int) {
        auto* s = static_cast<Signals*>(handle->data);
        uv_signal_stop(&s->term);
        uv_signal_stop(&s->interrupt);
        log_line("stopping");
        s->server->stop([s] {
            uv_close(reinterpret_cast<uv_handle_t*>(&s->term), nullptr);
            uv_close(reinterpret_cast<uv_handle_t*>(&s->interrupt), nullptr);
        });
    };
    for (uv_signal_t* handle : {&signals.term, &signals.interrupt}) {
        uv_signal_init(&loop, handle);
        handle->data = &signals;
    }
    uv_signal_start(&signals.term, on_signal, SIGTERM);
    uv_signal_start(&signals.interrupt, on_signal, SIGINT);
    uv_run(&loop, UV_RUN_DEFAULT);
    server->reset();
    uv_loop_close(&loop);
    log_line("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path(kDefaultServerConfigPath);
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (words.empty() && (arg == "-h" || arg == "--help")) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (words.empty() && arg == "--version") {
            std::printf("edgeverify-server %s\n", EDGEVERIFY_VERSION);
            return 0;
        }
        if (words.empty() && arg == "--config") {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "edgeverify-server: --config needs a FILE (see --help)\n");
                return 2;
            }
            config_path = argv[++i];
            continue;
        }
        if (words.empty() && arg.starts_with("-")) {
            std::fprintf(stderr, "edgeverify-server: unknown option %s (see --help)\n", arg.c_str());
            return 2;
        }
        words.push_back(arg);
    }
    if (!words.empty() && words[0] == "operator-token") return run_operator_token_command({words.begin() + 1, words.end()});
    const bool known = words.empty() || words[0] == "serve" || words[0] == "device" || words[0] == "token";
    if (!known) {
        std::fprintf(stderr, "edgeverify-server: unknown command %s (see --help)\n", words[0].c_str());
        return 2;
    }
    auto config = load_server_config(config_path);
    if (!config) {
        std::fprintf(stderr, "edgeverify-server: %s\n", config.error().message.c_str());
        return 2;
    }
    if (words.empty() || words[0] == "serve") {
        if (words.size() > 1) {
            std::fprintf(stderr, "edgeverify-server: serve takes no arguments (see --help)\n");
            return 2;
        }
        return serve(*config);
    }
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    return words[0] == "device" ? run_device_command(*config, rest) : run_token_command(*config, rest);
}
