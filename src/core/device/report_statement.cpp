// The per-verification report: an in-toto Statement v1 carrying the SLSA Verification Summary
// predicate (https://slsa.dev/spec/v1.0/verification_summary) and edgeverify's check detail.
#include <string>

#include "edgeverify/report.hpp"

namespace edgeverify {
namespace {

// The SLSA spec version the predicate follows (VSA slsaVersion).
constexpr std::string_view kSlsaVersion = "1.0";
// edgeverify verifies integrity and signatures, not build provenance: a passing image is claimed
// at no build level above 0. VSA: "FAILED" when verification failed.
constexpr std::string_view kPassedLevel = "SLSA_BUILD_LEVEL_0";
constexpr std::string_view kFailedLevel = "FAILED";

// {"sha256": hex} (or the digest's own algorithm), the in-toto DigestSet.
Json digest_set(const Digest& digest) {
    Json set = Json::object();
    set[std::string(digest_algorithm_name(digest.algorithm()))] = digest.hex();
    return set;
}

}  // namespace

std::string make_verification_statement(const DeviceIdentity& device, std::uint64_t sequence,
                                        const VerificationRecord& record) {
    Json policy = {{"uri", record.policy_uri}};
    if (auto trust_digest = Digest::parse(record.trust_store_digest))
        policy["digest"] = digest_set(*trust_digest);

    Json context = {{"deviceId", device.device_id},
                    {"sequence", sequence},
                    {"admitted", record.admitted},
                    {"trustStoreDigest", record.trust_store_digest}};
    if (record.index_digest) context["indexDigest"] = record.index_digest->str();

    Json predicate = {
        {"verifier",
         {{"id", std::string(kVerifierIdPrefix) + device.device_id},
          {"version", {{"edgeverify", EDGEVERIFY_VERSION}}}}},
        {"timeVerified", record.time_verified},
        {"resourceUri", record.reference},
        {"policy", policy},
        {"verificationResult", record.passed ? "PASSED" : "FAILED"},
        {"verifiedLevels", Json::array({std::string(record.passed ? kPassedLevel : kFailedLevel)})},
        {"slsaVersion", std::string(kSlsaVersion)},
        {std::string(kCheckDetailExtension), record.checks},
        {std::string(kReportContextExtension), context},
    };
    if (!record.input_attestations.empty()) {
        Json inputs = Json::array();
        for (const auto& input : record.input_attestations) {
            inputs.push_back({{"uri", input.uri}, {"digest", digest_set(input.digest)}});
        }
        predicate["inputAttestations"] = inputs;
    }
    const Json statement = {
        {"_type", std::string(kInTotoStatementType)},
        {"subject",
         Json::array({{{"name", record.reference}, {"digest", digest_set(record.manifest_digest)}}})},
        {"predicateType", std::string(kVerificationSummaryPredicate)},
        {"predicate", predicate},
    };
    // Check detail may quote hostile bytes (archive paths): never throw on invalid UTF-8.
    return statement.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace edgeverify
