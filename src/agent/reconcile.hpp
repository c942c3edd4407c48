// Reconciliation (docs/agent.md "Reconciliation"): what containerd holds against what the agent
// admitted (the verdict store) under the current trust store. An image without a verdict was
// imported behind the agent's back; a verdict made under another trust-store digest is
// unverified (the verifier mode already denies it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent_config.hpp"
#include "edgeverify/containerd.hpp"
#include "edgeverify/report.hpp"
#include "edgeverify/verdict_store.hpp"

namespace edgeverify::agent {

inline constexpr std::string_view kAlarmNotAdmitted = "image-not-admitted";
inline constexpr std::string_view kAlarmUnverified = "image-unverified";
inline constexpr std::string_view kAlarmTrustStore = "trust-store-invalid";
inline constexpr std::string_view kAlarmContainerd = "containerd-unreachable";
inline constexpr std::string_view kAlarmVerdicts = "verdict-store-unreadable";

struct Reconciliation {
    std::string trust_store_digest;  // "sha256:<hex>"; empty when the trust store does not load
    std::vector<DeviceReport::Image> images;
    std::vector<DeviceReport::Alarm> alarms;
};

// Pure: every containerd image classified against the verdicts ("admitted", "unverified",
// "not-admitted"), one alarm per image that is not "admitted".
Reconciliation classify_holdings(const std::vector<ContainerdImage>& held, const std::vector<StoredVerdict>& verdicts,
                                 const std::string& trust_store_digest);

// Blocking (ctr runs): loads the trust store for its digest, lists verdicts and containerd's
// images, classifies. A part that cannot be read becomes an alarm, never a crash.
Reconciliation reconcile(const AgentConfig& config);

// Alarms keyed by kind and digest, so a pending alarm is reported once however often it is seen.
void merge_alarms(std::vector<DeviceReport::Alarm>& into, const std::vector<DeviceReport::Alarm>& more);

}  // namespace edgeverify::agent
