// The periodic device report (predicate kDeviceReportPredicate): what the device holds, with its
// verdicts and alarms, plus the boot id and time that let the server order reports across reboots.
#include <fstream>
#include <string>

#include "edgeverify/report.hpp"

namespace edgeverify {
namespace {

constexpr const char* kBootIdPath = "/proc/sys/kernel/random/boot_id";
constexpr std::size_t kMaxBootIdBytes = 64;  // a UUID is 36 characters

// The device as an in-toto subject: its id, and its public key's fingerprint as the digest.
Json device_subject(const DeviceIdentity& device) {
    const std::string fingerprint_hex = device.fingerprint.substr(device.fingerprint.find(':') + 1);
    return Json::array({{{"name", device.device_id}, {"digest", {{"sha256", fingerprint_hex}}}}});
}

}  // namespace

Expected<std::string> read_boot_id() {
    std::ifstream in(kBootIdPath);
    std::string line;
    if (!in || !std::getline(in, line) || line.empty() || line.size() > kMaxBootIdBytes) {
        return make_error(Errc::io_error, std::string("cannot read the boot id from ") + kBootIdPath);
    }
    return line;
}

std::string make_device_report_statement(const DeviceIdentity& device, std::uint64_t sequence,
                                         const DeviceReport& report) {
    Json images = Json::array();
    for (const auto& image : report.images) {
        Json entry = {
            {"reference", image.reference}, {"digest", image.digest.str()}, {"verdict", image.verdict}};
        if (!image.verified_at.empty()) entry["verifiedAt"] = image.verified_at;
        if (!image.trust_store_digest.empty()) entry["trustStoreDigest"] = image.trust_store_digest;
        images.push_back(std::move(entry));
    }
    Json alarms = Json::array();
    for (const auto& alarm : report.alarms) {
        Json entry = {{"kind", alarm.kind}, {"message", alarm.message}};
        if (alarm.digest) entry["digest"] = alarm.digest->str();
        alarms.push_back(std::move(entry));
    }
    const Json statement = {
        {"_type", std::string(kInTotoStatementType)},
        {"subject", device_subject(device)},
        {"predicateType", std::string(kDeviceReportPredicate)},
        {"predicate",
         {{"deviceId", device.device_id},
          {"sequence", sequence},
          {"agentVersion", report.agent_version},
          {"trustStoreDigest", report.trust_store_digest},
          {"bootId", report.boot_id},
          {"time", report.time},
          {"images", images},
          {"alarms", alarms}}},
    };
    // Image references come from containerd and may hold any bytes: never throw on bad UTF-8.
    return statement.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string make_enrollment_statement(const DeviceIdentity& device, std::string_view time) {
    const Json statement = {
        {"_type", std::string(kInTotoStatementType)},
        {"subject", device_subject(device)},
        {"predicateType", std::string(kDeviceEnrollmentPredicate)},
        {"predicate",
         {{"deviceId", device.device_id},
          {"fingerprint", device.fingerprint},
          {"publicKey", device.public_key_pem},
          {"time", std::string(time)}}},
    };
    return statement.dump();
}

}  // namespace edgeverify
