// containers-image-cosign "x509-at-time" cases (containers/image verifyFulcioCertificateAtTime):
// a Fulcio leaf, the chain its signature carried and the trusted roots, validated at one time with
// x509.hpp verify_path_at. "time" is unix seconds, or "now" for the wall clock (the case that shows
// a 10-minute Fulcio certificate must be judged at a verified time, never now).
#include <ctime>
#include <fstream>
#include <sstream>

#include "case_kinds.hpp"
#include "edgeverify/x509.hpp"

namespace fs = std::filesystem;

namespace edgeverify::conformance {
namespace {

Expected<std::vector<Certificate>> certificates_in(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, path.string() + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_certificates_file(text.str(), path.filename().string());
}

}  // namespace

CaseOutcome run_x509_at_time_case(const Json& c, const fs::path& base, bool expect_valid) {
    for (const char* member : {"leaf", "chain", "roots"})
        if (!c.contains(member) || !c[member].is_string())
            return {false, std::string("x509-at-time case needs a string '") + member + "'"};
    std::int64_t time = 0;
    if (c.contains("time") && c["time"].is_number_integer()) {
        time = c["time"].get<std::int64_t>();
    } else if (c.contains("time") && c["time"] == "now") {
        time = static_cast<std::int64_t>(std::time(nullptr));
    } else {
        return {false, "x509-at-time case needs 'time': unix seconds or \"now\""};
    }
    auto leaf = certificates_in(base / c["leaf"].get<std::string>());
    auto carried = certificates_in(base / c["chain"].get<std::string>());
    auto roots = certificates_in(base / c["roots"].get<std::string>());
    for (const auto* read : {&leaf, &carried, &roots})
        if (!*read) return {false, read->error().message};
    if (leaf->size() != 1 || roots->size() != 1) return {false, "x509-at-time: one leaf and one root expected"};

    // The carried chain gives the intermediates only; the anchor is always the trusted root's.
    std::vector<Certificate> path;
    for (const Certificate& cert : *carried)
        if (!cert.self_issued()) path.push_back(cert);
    path.push_back(roots->front());
    const Status verified = verify_path_at(leaf->front(), path, time);
    if (verified.has_value() == expect_valid) return {true, {}};
    return {false, expect_valid ? "expected valid, got invalid: " + verified.error().message
                                : "expected invalid, but the path verified at " + std::to_string(time)};
}

}  // namespace edgeverify::conformance
