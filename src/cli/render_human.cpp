// Human output: what was checked, each layer's result, bytes, time and throughput.
#include "render.hpp"

#include <cinttypes>

namespace edgeverify::cli {
namespace {

std::string short_hash(const Digest& d) {
    if (d.empty()) return "-";
    return d.str().substr(0, std::string(digest_algorithm_name(d.algorithm())).size() + 1 + 12);
}

std::string image_title(const ImageResult& image) {
    std::string title = image.name.empty() ? "(unnamed)" : image.name;
    if (image.platform && !image.platform->os.empty()) title += "  " + image.platform->str();
    return title;
}

std::string mb_per_second(std::uint64_t bytes, double seconds) {
    if (seconds <= 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB/s", static_cast<double>(bytes) / 1e6 / seconds);
    return buf;
}

}  // namespace

std::string human_bytes(std::uint64_t bytes) {
    char buf[32];
    if (bytes < 1000) {
        std::snprintf(buf, sizeof buf, "%" PRIu64 " B", bytes);
    } else if (bytes < 1000 * 1000) {
        std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
    } else if (bytes < 1000ULL * 1000 * 1000) {
        std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    } else {
        std::snprintf(buf, sizeof buf, "%.2f GB", static_cast<double>(bytes) / 1e9);
    }
    return buf;
}

bool all_admitted(const IntegrityReport& report, const std::vector<TrustDecision>* decisions) {
    if (!report.passed()) return false;
    if (decisions == nullptr) return true;
    for (const auto& d : *decisions) {
        if (!d.admits()) return false;
    }
    return decisions->size() == report.images.size();
}

namespace {
// One line per signature: origin and kind, the verdict and its reason, then what it signed (and
// the transparency log, unless the reason names it) on a second line.
void print_signature(std::FILE* out, const SignatureCheck& c) {
    const std::string kind = c.kind.empty() ? "" : " (" + c.kind + ")";
    if (c.accepted) {
        std::fprintf(out, "    signature %s%s: accepted, signer %s%s%s\n", c.origin.c_str(), kind.c_str(),
                     c.signer.c_str(), c.reason.empty() ? "" : ", ", c.reason.c_str());
    } else {
        std::fprintf(out, "    signature %s%s: refused: %s\n", c.origin.c_str(), kind.c_str(),
                     c.reason.c_str());
    }
    std::string detail;
    if (!c.signed_digest.empty()) detail += "signed " + c.signed_digest;
    if (!c.signed_reference.empty()) detail += (detail.empty() ? "as " : " as ") + c.signed_reference;
    // The check's reason usually names the log already; say it once.
    if (c.transparency_log_verified &&
        (c.transparency_log.empty() || c.reason.find(c.transparency_log) == std::string::npos)) {
        detail += (detail.empty() ? "" : "; ") + std::string("transparency log ") +
                  (c.transparency_log.empty() ? "verified" : c.transparency_log);
        if (c.integrated_time) detail += ", integrated at " + std::to_string(*c.integrated_time);
    }
    if (!detail.empty()) std::fprintf(out, "              %s\n", detail.c_str());
}

void print_trust(std::FILE* out, const TrustDecision& d) {
    if (d.scope.empty()) {  // refused before a scope was chosen (a corrupt signature artifact)
        std::fprintf(out, "  trust     %s: FAIL\n", d.reference.c_str());
        if (d.failure) {
            std::fprintf(out, "    %s: %s\n", std::string(errc_name(d.failure->code)).c_str(),
                         d.failure->message.c_str());
        }
        return;
    }
    std::fprintf(out, "  trust     %s: scope %s (%s), %zu of %d signer(s): %s\n", d.reference.c_str(),
                 d.scope.c_str(), d.mode == PolicyMode::audit ? "audit" : "enforce",
                 d.satisfied_signers.size(), d.threshold,
                 !d.failure   ? "ok"
                 : d.admits() ? "FAIL (audit: admitted)"
                              : "FAIL");
    for (const auto& c : d.signatures) print_signature(out, c);
    for (const auto& r : d.rules) {  // image rules (docs/rules.md)
        std::fprintf(out, "    rule      %s: %s: %s\n", r.rule.c_str(), std::string(rule_outcome_name(r.outcome)).c_str(),
                     r.evidence.c_str());
    }
    if (d.failure) {
        std::fprintf(out, "    %s: %s\n", std::string(errc_name(d.failure->code)).c_str(),
                     d.failure->message.c_str());
    }
}
}  // namespace

void print_human_report(std::FILE* out, const IntegrityReport& report, const RenderContext& context,
                        const std::vector<TrustDecision>* decisions) {
    std::fprintf(out, "edgeverify %s: %s of %s (%s)\n", EDGEVERIFY_VERSION,
                 context.integrity_only ? "integrity check" : "verification", context.source_argument.c_str(),
                 std::string(source_kind_name(report.kind)).c_str());
    std::uint64_t uncompressed = 0;
    std::size_t layer_count = 0;
    for (const auto& image : report.images) {
        std::fprintf(out, "image %s\n", image_title(image).c_str());
        if (image.index_digest)
            std::fprintf(out, "  index     %s\n", short_hash(*image.index_digest).c_str());
        if (!image.manifest_digest.empty()) {
            std::fprintf(out, "  manifest  %s  %s\n", short_hash(image.manifest_digest).c_str(),
                         image.manifest_media_type.c_str());
        }
        if (!image.config_digest.empty()) {
            std::fprintf(out, "  config    %s%s\n", short_hash(image.config_digest).c_str(),
                         image.container_image ? "" : "  (not a container image config: artifact)");
        }
        for (const auto& layer : image.layers) {
            ++layer_count;
            uncompressed += layer.uncompressed_size;
            std::fprintf(out, "  layer %zu/%zu %s  %-5s %9s -> %9s  %s\n", layer.index + 1,
                         image.layers.size(), short_hash(layer.descriptor.digest).c_str(),
                         std::string(compression_name(layer.compression)).c_str(),
                         human_bytes(static_cast<std::uint64_t>(layer.descriptor.size)).c_str(),
                         human_bytes(layer.uncompressed_size).c_str(),
                         layer.error ? ("FAIL " + std::string(errc_name(layer.error->code))).c_str()
                                     : "ok (digest, size, diff_id)");
        }
        const std::size_t image_index = static_cast<std::size_t>(&image - report.images.data());
        if (decisions != nullptr && image_index < decisions->size())
            print_trust(out, (*decisions)[image_index]);
        const TrustDecision* decision =
            decisions != nullptr && image_index < decisions->size() ? &(*decisions)[image_index] : nullptr;
        if (image.error) {
            std::fprintf(out, "  result    FAIL %s\n", std::string(errc_name(image.error->code)).c_str());
        } else if (decision != nullptr && decision->failure && !decision->admits()) {
            std::fprintf(out, "  result    FAIL %s\n", std::string(errc_name(decision->failure->code)).c_str());
        } else if (decision != nullptr && decision->failure) {
            std::fprintf(out, "  result    ok (audit: the trust failure above is recorded)\n");
        } else {
            std::fprintf(out, "  result    ok\n");
        }
    }
    const std::string stats = human_bytes(report.bytes_read) + " read, " + human_bytes(uncompressed) +
                              " uncompressed, in " + std::to_string(report.seconds).substr(0, 5) + " s (" +
                              mb_per_second(report.bytes_read, report.seconds) + " read, " +
                              mb_per_second(uncompressed, report.seconds) + " uncompressed)";
    if (all_admitted(report, decisions)) {
        std::fprintf(out, "verified: %zu image%s, %zu layer%s; %s\n", report.images.size(),
                     report.images.size() == 1 ? "" : "s", layer_count, layer_count == 1 ? "" : "s",
                     stats.c_str());
    } else {
        std::size_t failures = report.errors.size();
        if (decisions != nullptr) {
            for (const auto& d : *decisions) failures += d.admits() ? 0 : 1;
        }
        std::fprintf(out, "REJECTED: %zu error%s; %s\n", failures, failures == 1 ? "" : "s", stats.c_str());
    }
}

}  // namespace edgeverify::cli
