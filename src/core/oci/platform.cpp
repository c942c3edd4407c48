// Platforms: parsing --platform, the build host's platform, and choosing an index entry.
#include <string>
#include <vector>

#include "edgeverify/oci.hpp"

namespace edgeverify {

namespace {

bool is_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Spellings of the same architecture and variant found in the wild (uname -m, Debian
// architecture names, Docker manifest lists) mapped to the OCI names, so that comparing two
// platforms compares what they mean.
void normalize(std::string& architecture, std::string& variant) {
    if (architecture == "x86_64" || architecture == "x86-64") {
        architecture = "amd64";
    } else if (architecture == "aarch64") {
        architecture = "arm64";
    } else if (architecture == "i386" || architecture == "i686") {
        architecture = "386";
    } else if (architecture == "armhf") {
        architecture = "arm";
        if (variant.empty()) variant = "v7";
    } else if (architecture == "armel") {
        architecture = "arm";
        if (variant.empty()) variant = "v6";
    }
    if (architecture != "arm" && architecture != "arm64") return;
    // "armv7" and "7" are how Docker lists and uname spell "v7".
    if (variant.starts_with("armv")) variant.erase(0, 3);
    if (is_digits(variant)) variant = "v" + variant;
    // ARMv8.0 is the baseline of arm64: the variant adds nothing.
    if (architecture == "arm64" && (variant == "v8" || variant == "v8.0")) variant.clear();
}

bool is_platform_part(std::string_view part) {
    return !part.empty() &&
           part.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") == std::string_view::npos;
}

Error platform_usage_error(std::string_view text, std::string_view problem) {
    return make_error(Errc::usage, "invalid platform \"" + std::string(text) + "\": " + std::string(problem) +
                                       " (expected os/arch[/variant], e.g. linux/arm64 or linux/arm/v7)");
}

}  // namespace

std::string Platform::str() const {
    std::string text = os + "/" + architecture;
    if (!variant.empty()) text += "/" + variant;
    return text;
}

Expected<Platform> parse_platform(std::string_view text) {
    if (text.empty()) return platform_usage_error(text, "empty");
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = text.find('/', start);
        parts.push_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (parts.size() < 2) return platform_usage_error(text, "missing the architecture");
    if (parts.size() > 3) return platform_usage_error(text, "too many parts");
    for (std::string_view part : parts) {
        if (part.empty()) return platform_usage_error(text, "empty part");
        if (part.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos) {
            return platform_usage_error(text, "platform names are lowercase");
        }
        if (!is_platform_part(part)) {
            return platform_usage_error(text, "only lowercase letters, digits, '.', '_' and '-' are allowed");
        }
    }
    Platform platform;
    platform.os = std::string(parts[0]);
    platform.architecture = std::string(parts[1]);
    if (parts.size() == 3) platform.variant = std::string(parts[2]);

    const bool implies_variant = platform.architecture == "armhf" || platform.architecture == "armel";
    const std::string implied = platform.architecture == "armhf" ? "v7" : "v6";
    normalize(platform.architecture, platform.variant);
    if (implies_variant && platform.variant != implied) {
        return platform_usage_error(
            text, std::string(parts[1]) + " means arm/" + implied + ", not arm/" + platform.variant);
    }
    return platform;
}

Platform host_platform() {
    Platform platform;
#if defined(__linux__)
    platform.os = "linux";
#elif defined(__APPLE__)
    platform.os = "darwin";
#elif defined(__FreeBSD__)
    platform.os = "freebsd";
#else
    platform.os = "unknown";
#endif

#if defined(__x86_64__)
    platform.architecture = "amd64";
#elif defined(__aarch64__)
    platform.architecture = "arm64";
#elif defined(__arm__)
    platform.architecture = "arm";
#if defined(__ARM_ARCH)
    platform.variant = "v" + std::to_string(__ARM_ARCH);
#endif
#elif defined(__i386__)
    platform.architecture = "386";
#elif defined(__riscv) && __riscv_xlen == 64
    platform.architecture = "riscv64";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    platform.architecture = "ppc64le";
#elif defined(__s390x__)
    platform.architecture = "s390x";
#else
    platform.architecture = "unknown";
#endif
    return platform;
}

std::optional<std::size_t> select_platform(const ImageIndex& index, const Platform& wanted) {
    std::string wanted_architecture = wanted.architecture;
    std::string wanted_variant = wanted.variant;
    normalize(wanted_architecture, wanted_variant);

    std::optional<std::size_t> without_variant;
    for (std::size_t i = 0; i < index.manifests.size(); ++i) {
        const std::optional<Platform>& candidate = index.manifests[i].platform;
        if (!candidate || candidate->os != wanted.os) continue;
        std::string architecture = candidate->architecture;
        std::string variant = candidate->variant;
        normalize(architecture, variant);
        if (architecture != wanted_architecture) continue;
        // The image spec: "the first matching entry SHOULD be used".
        if (variant == wanted_variant) return i;
        if (variant.empty() && !without_variant) without_variant = i;
    }
    return without_variant;
}

}  // namespace edgeverify
