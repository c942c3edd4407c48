// Reconciliation of containerd with the verdict store (reconcile.hpp).
#include "reconcile.hpp"

#include <chrono>
#include <map>

#include "edgeverify/trust_policy.hpp"

namespace edgeverify::agent {
namespace {

// Reconciliation only lists: a stuck containerd must not hold the agent's jobs for long.
constexpr std::chrono::seconds kReconcileCtrTimeout{60};

}  // namespace

Reconciliation classify_holdings(const std::vector<ContainerdImage>& held, const std::vector<StoredVerdict>& verdicts,
                                 const std::string& trust_store_digest) {
    std::map<std::string, const StoredVerdict*> by_digest;
    for (const auto& v : verdicts) by_digest[v.digest.str()] = &v;
    Reconciliation r;
    r.trust_store_digest = trust_store_digest;
    for (const auto& image : held) {
        DeviceReport::Image out;
        out.reference = image.name;
        out.digest = image.target;
        auto it = by_digest.find(image.target.str());
        if (it == by_digest.end()) {
            out.verdict = "not-admitted";
            r.alarms.push_back({std::string(kAlarmNotAdmitted),
                                "containerd holds " + image.name + " (" + image.target.str() +
                                    ") that the agent never admitted",
                                image.target});
        } else {
            const StoredVerdict& v = *it->second;
            out.verified_at = v.verified_at;
            out.trust_store_digest = v.trust_store_digest;
            if (!trust_store_digest.empty() && v.trust_store_digest == trust_store_digest) {
                out.verdict = "admitted";
            } else {
                out.verdict = "unverified";
                r.alarms.push_back({std::string(kAlarmUnverified),
                                    image.name + " (" + image.target.str() + ") was admitted under trust store " +
                                        v.trust_store_digest + ", not the current " +
                                        (trust_store_digest.empty() ? std::string("(unloadable)") : trust_store_digest) +
                                        ": unverified, pulls are denied until it is installed again",
                                    image.target});
            }
        }
        r.images.push_back(std::move(out));
    }
    return r;
}

Reconciliation reconcile(const AgentConfig& config) {
    std::vector<DeviceReport::Alarm> alarms;
    std::string digest;
    if (auto store = load_trust_store(config.trust_dir)) {
        digest = store->digest.str();
    } else {
        alarms.push_back({std::string(kAlarmTrustStore),
                          "trust store " + config.trust_dir + " does not load: " + store.error().message, std::nullopt});
    }
    std::vector<StoredVerdict> verdicts;
    if (auto listed = list_verdicts(StateDirectory{config.state_dir})) {
        verdicts = std::move(*listed);
    } else {
        alarms.push_back({std::string(kAlarmVerdicts), listed.error().message, std::nullopt});
    }
    ContainerdTarget target;
    target.ctr = config.ctr;
    target.address = config.containerd_address;
    target.name_space = config.containerd_namespace;
    target.timeout = kReconcileCtrTimeout;
    std::vector<ContainerdImage> held;
    if (auto listed = Containerd(target).list_images()) {
        held = std::move(*listed);
    } else {
        alarms.push_back({std::string(kAlarmContainerd),
                          "cannot list containerd's images: " + listed.error().message, std::nullopt});
    }
    Reconciliation r = classify_holdings(held, verdicts, digest);
    merge_alarms(r.alarms, alarms);
    return r;
}

void merge_alarms(std::vector<DeviceReport::Alarm>& into, const std::vector<DeviceReport::Alarm>& more) {
    for (const auto& alarm : more) {
        bool seen = false;
        for (const auto& have : into) {
            seen = seen || (have.kind == alarm.kind && have.digest == alarm.digest &&
                            (alarm.digest || have.message == alarm.message));
        }
        if (!seen) into.push_back(alarm);
    }
}

}  // namespace edgeverify::agent
