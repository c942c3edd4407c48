// Verdicts and signed reports of `edgeverify install` (install_record.hpp).
#include "install_record.hpp"

#include "edgeverify/report.hpp"
#include "edgeverify/verdict_store.hpp"

namespace edgeverify::cli {
namespace {

std::string mode_name(PolicyMode mode) { return mode == PolicyMode::audit ? "audit" : "enforce"; }

Json checks_for(const ImageResult* image, const TrustDecision* decision, const InstallOutcome& outcome) {
    Json checks = Json::object();
    Json integrity = Json::object();
    const Error* integrity_error = image && image->error ? &*image->error : nullptr;
    if (!integrity_error && outcome.report && !outcome.report->errors.empty()) {
        integrity_error = &outcome.report->errors.front();
    }
    integrity["passed"] = outcome.report != nullptr && integrity_error == nullptr;
    if (integrity_error) {
        integrity["error"] = std::string(errc_name(integrity_error->code));
        integrity["message"] = integrity_error->message;
    }
    checks["integrity"] = std::move(integrity);
    if (decision) {
        Json trust = Json::object();
        trust["scope"] = decision->scope;
        trust["mode"] = mode_name(decision->mode);
        trust["threshold"] = decision->threshold;
        trust["satisfiedSigners"] = decision->satisfied_signers;
        trust["passed"] = !decision->failure.has_value();
        if (decision->failure) {
            trust["error"] = std::string(errc_name(decision->failure->code));
            trust["message"] = decision->failure->message;
        }
        checks["trust"] = std::move(trust);
        checks["rules"] = rules_to_json(decision->rules);
    }
    if (outcome.undone) {
        checks["install"] = Json{{"installed", false},
                                 {"undone", true},
                                 {"error", std::string(errc_name(outcome.undone->code))},
                                 {"message", outcome.undone->message}};
    } else if (outcome.refusal) {
        checks["install"] = Json{{"installed", false},
                                 {"error", std::string(errc_name(outcome.refusal->code))},
                                 {"message", outcome.refusal->message}};
    } else {
        checks["install"] = Json{{"installed", outcome.installed}};
    }
    return checks;
}

}  // namespace

Status record_verdicts(const StateDirectory& state, const TrustStore& store, const InstallOutcome& outcome) {
    if (!outcome.report || !outcome.decisions) return make_error(Errc::internal, "no decision to record");
    for (std::size_t i = 0; i < outcome.report->images.size(); ++i) {
        const ImageResult& image = outcome.report->images[i];
        const TrustDecision& decision = (*outcome.decisions)[i];
        StoredVerdict verdict;
        verdict.reference = decision.reference;
        verdict.containerd_name = i < outcome.containerd_names.size() ? outcome.containerd_names[i] : "";
        verdict.scope = decision.scope;
        verdict.mode = mode_name(decision.mode);
        verdict.passed = !decision.failure.has_value();
        verdict.trust_store_digest = store.digest.str();
        verdict.verified_at = outcome.verified_at;
        verdict.agent_version = EDGEVERIFY_VERSION;
        if (image.index_digest) {
            StoredVerdict index = verdict;
            index.digest = *image.index_digest;
            index.role = "index";
            if (auto s = write_verdict(state, index); !s) return s;
        }
        verdict.digest = image.manifest_digest;
        verdict.role = "manifest";
        verdict.index_digest = image.index_digest;
        if (auto s = write_verdict(state, verdict); !s) return s;
    }
    return {};
}

Expected<std::vector<std::uint64_t>> enqueue_reports(const StateDirectory& state, const TrustStore& store,
                                                     const InstallOutcome& outcome) {
    auto device = init_device_identity(state);
    if (!device) return device.take_error();
    Outbox outbox(state);
    std::vector<std::uint64_t> sequences;
    const std::size_t count = outcome.report && !outcome.report->images.empty() ? outcome.report->images.size() : 1;
    for (std::size_t i = 0; i < count; ++i) {
        const ImageResult* image =
            outcome.report && i < outcome.report->images.size() ? &outcome.report->images[i] : nullptr;
        const TrustDecision* decision =
            outcome.decisions && i < outcome.decisions->size() ? &(*outcome.decisions)[i] : nullptr;
        VerificationRecord record;
        record.reference = decision ? decision->reference : outcome.fallback_reference;
        if (image) {
            record.manifest_digest = image->manifest_digest;
            record.index_digest = image->index_digest;
        }
        record.admitted = outcome.installed;
        record.passed = outcome.installed && decision && !decision->failure;
        record.trust_store_digest = store.digest.str();
        record.policy_uri = "file://" + store.directory + "/policy.json";
        record.time_verified = outcome.verified_at;
        record.checks = checks_for(image, decision, outcome);
        auto sequence = outbox.next_sequence();
        if (!sequence) return sequence.take_error();
        const std::string statement = make_verification_statement(*device, *sequence, record);
        auto envelope = sign_dsse_envelope(*device, "application/vnd.in-toto+json", statement);
        if (!envelope) return envelope.take_error();
        if (auto s = outbox.enqueue(*sequence, *envelope); !s) return s.take_error();
        sequences.push_back(*sequence);
    }
    return sequences;
}

}  // namespace edgeverify::cli
