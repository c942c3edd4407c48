// `edgeverify device init|show`: the device identity that signs this device's reports
// (docs/reports.md). The key lives in the state directory (EDGEVERIFY_STATE_DIR).
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "commands.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/report.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kDeviceHelp =
    "usage: edgeverify device init\n"
    "       edgeverify device show [--json]\n"
    "\n"
    "init  creates the device key (ECDSA P-256, PKCS#8 PEM, mode 0600) in the state directory\n"
    "      when it is absent; an existing key is never replaced. Prints the device id.\n"
    "show  prints the device id, the key's fingerprint (sha256 of the public key's DER) and the\n"
    "      public key (PEM) to enroll the device with the fleet server.\n"
    "\n"
    "The state directory is $EDGEVERIFY_STATE_DIR, default /var/lib/edgeverify; the key is\n"
    "device.key there. A key that group or others can access is refused.\n"
    "\n"
    "options:\n"
    "  --json        (show) one JSON object: deviceId, fingerprint, publicKey, keyType, keyPath,\n"
    "                and enrollment, a DSSE envelope signed by the device key (proof of possession)\n"
    "  -h, --help    this help\n"
    "\n"
    "exit status: 0 done, 2 usage error, 3 no key / cannot read or write the state directory,\n"
    "1 the key file is not a usable P-256 key\n";

void print_identity(const DeviceIdentity& identity) {
    std::printf("device id:   %s\nfingerprint: %s\n%s", identity.device_id.c_str(),
                identity.fingerprint.c_str(), identity.public_key_pem.c_str());
}

int run_init(const StateDirectory& state) {
    struct stat status {};
    const bool existed = ::lstat(state.device_key().c_str(), &status) == 0;
    auto identity = init_device_identity(state);
    if (!identity) return report_error(identity.error());
    std::printf("%s %s\n", existed ? "device key already present:" : "created device key",
                state.device_key().c_str());
    print_identity(*identity);
    return 0;
}

int run_show(const StateDirectory& state, bool json) {
    auto identity = load_device_identity(state);
    if (!identity) return report_error(identity.error());
    if (json) {
        auto enrollment = sign_dsse_envelope(*identity, kInTotoPayloadType,
                                             make_enrollment_statement(*identity, rfc3339_utc_now()));
        if (!enrollment) return report_error(enrollment.error());
        const Json out = {{"deviceId", identity->device_id},
                          {"fingerprint", identity->fingerprint},
                          {"publicKey", identity->public_key_pem},
                          {"keyType", std::string(key_type_name(identity->key.type()))},
                          {"keyPath", state.device_key()},
                          {"enrollment", Json::parse(*enrollment)}};
        std::printf("%s\n", out.dump(2).c_str());
    } else {
        print_identity(*identity);
    }
    return 0;
}

}  // namespace

int run_device(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--help", "-h", "--json"}, {}};
    auto parsed = parse_options(args, spec, "device");
    if (!parsed) return report_error(parsed.error());
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kDeviceHelp, stdout);
        return 0;
    }
    if (parsed->positional.size() != 1) {
        return report_error(make_error(
            Errc::usage, "device needs one action, init or show (see 'edgeverify device --help')"));
    }
    const std::string& action = parsed->positional.front();
    const StateDirectory state = state_directory_from_env();
    if (action == "init") {
        if (parsed->has("--json"))
            return report_error(make_error(Errc::usage, "device init takes no --json"));
        return run_init(state);
    }
    if (action == "show") return run_show(state, parsed->has("--json"));
    return report_error(make_error(Errc::usage, "unknown device action '" + action + "' (init or show)"));
}

}  // namespace edgeverify::cli
