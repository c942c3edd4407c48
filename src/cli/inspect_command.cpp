// `edgeverify inspect SOURCE [--platform P] [--all-platforms] [--json]`: the facts of each image
// (layers, sizes, user, base, created, version, findings, package inventory) from one integrity
// pass, without judging them against any policy (docs/cli.md "inspect").
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "edgeverify/image_facts.hpp"
#include "edgeverify/integrity.hpp"
#include "options.hpp"
#include "render.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kInspectHelp =
    "usage: edgeverify inspect SOURCE [--platform OS/ARCH[/VARIANT]] [--all-platforms] [--json]\n"
    "\n"
    "Prints what the single verification pass records about each image, without judging it:\n"
    "layers and sizes, config user and created time, labels and annotations (base image,\n"
    "version), setuid/setgid, world-writable, device-node, escaping-link and watched-path\n"
    "findings with their layer, and the package inventory (dpkg status, apk installed\n"
    "database, os-release). The content is integrity-checked first: a malformed or tampered\n"
    "source is refused like 'edgeverify verify --integrity-only'.\n"
    "\n"
    "exit status: 0 inspected, 1 rejected (bad content), 2 usage error, 3 source unreadable\n";

void print_json(const Json& j) { std::cout << j.dump(2) << std::endl; }

void print_facts(const ImageResult& image, const ImageFacts& f) {
    std::printf("image %s\n", image.name.empty() ? "(unnamed)" : image.name.c_str());
    std::printf("  manifest   %s\n", f.manifest_digest.empty() ? "(none)" : f.manifest_digest.c_str());
    if (image.platform) std::printf("  platform   %s\n", image.platform->str().c_str());
    std::printf("  layers     %zu, %s stored, %s uncompressed\n", f.layers.size(), human_bytes(f.compressed_bytes).c_str(),
                human_bytes(f.uncompressed_bytes).c_str());
    for (const LayerSummary& l : f.layers) {
        std::printf("    %zu %s %s / %s\n", l.index, l.digest.c_str(), human_bytes(l.compressed_bytes).c_str(),
                    human_bytes(l.uncompressed_bytes).c_str());
    }
    std::printf("  user       %s\n", f.user.empty() ? "(unset: root)" : f.user.c_str());
    std::printf("  created    %s\n", f.created.empty() ? "(unset)" : f.created.c_str());
    std::printf("  version    %s\n", f.version.empty() ? "(unset)" : f.version.c_str());
    std::printf("  base       %s %s\n", f.base_name.empty() ? "(no name)" : f.base_name.c_str(),
                f.base_digest.empty() ? "(no digest)" : f.base_digest.c_str());
    std::printf("  findings   %zu%s\n", f.findings.size(),
                f.findings_not_listed ? (" (+" + std::to_string(f.findings_not_listed) + " not listed)").c_str() : "");
    for (const ImageFinding& x : f.findings) {
        std::printf("    %s %s (%s) layer %zu %s\n", std::string(finding_kind_name(x.kind)).c_str(), x.path.c_str(),
                    x.detail.c_str(), x.layer_index, x.layer_digest.c_str());
    }
    const PackageInventory& p = f.packages;
    // packages_not_listed is 64-bit, size_t is 32-bit on armhf: print the sum as a string.
    std::printf("  packages   %s%s%s%s\n", std::to_string(p.packages.size() + p.packages_not_listed).c_str(),
                p.database.empty() ? " (no package database)" : (" from " + p.database).c_str(),
                p.database_truncated ? " (database truncated at limits::kMaxCapturedFileBytes)" : "",
                p.packages_not_listed ? " (not all listed)" : "");
    for (const Package& pkg : p.packages) {
        // The source package only where it is not the binary itself: "libssl3 3.0.11-1 (source openssl)".
        std::string source;
        if (pkg.source != pkg.name || pkg.source_version != pkg.version) {
            source = " (source " + pkg.source + (pkg.source_version == pkg.version ? "" : " " + pkg.source_version) + ")";
        }
        std::printf("    %s %s%s\n", pkg.name.c_str(), pkg.version.c_str(), source.c_str());
    }
    if (auto it = p.os_release.find("PRETTY_NAME"); it != p.os_release.end())
        std::printf("  os         %s\n", it->second.c_str());
}

}  // namespace

int run_inspect(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--json", "--all-platforms", "--help", "-h"}, {"--platform"}};
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    RenderContext context;
    const auto fail = [&](const Error& error) {
        if (json) {
            Json j = failure_to_json(error, context);
            j["check"] = "inspect";
            print_json(j);
        }
        return report_error(error);
    };
    auto parsed = parse_options(args, spec, "inspect");
    if (!parsed) return fail(parsed.error());
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kInspectHelp, stdout);
        return 0;
    }
    if (parsed->positional.size() != 1) {
        return fail(make_error(Errc::usage, "inspect takes one SOURCE (see 'edgeverify inspect --help')"));
    }
    context.source_argument = parsed->positional.front();
    IntegrityOptions options;
    options.all_platforms = parsed->has("--all-platforms");
    if (auto platform = parsed->value("--platform")) {
        if (options.all_platforms) return fail(make_error(Errc::usage, "--platform and --all-platforms exclude each other"));
        auto p = parse_platform(*platform);
        if (!p) return fail(p.error());
        options.platform = *p;
    }
    auto source = parse_source_argument(context.source_argument);
    if (!source) return fail(source.error());
    auto pass = run_integrity_pass(*source, options);
    if (!pass) return fail(pass.error());
    const IntegrityReport& report = pass->report;

    std::vector<Error> failures = report.errors;
    if (report.passed() && report.images.empty())
        failures.push_back(make_error(Errc::no_image, "the source holds no image to inspect"));
    if (json) {
        Json j = report_to_json(report, context);
        j["check"] = "inspect";
        if (failures.empty()) j["result"] = "inspected";
        for (std::size_t i = 0; i < report.images.size(); ++i) {
            j["images"][i]["facts"] = image_facts_to_json(collect_image_facts(report.images[i]));
        }
        print_json(j);
    } else {
        for (const ImageResult& image : report.images) print_facts(image, collect_image_facts(image));
        std::fflush(stdout);
    }
    if (failures.empty()) return 0;
    int exit_code = 1;
    for (const Error& e : failures) exit_code = exit_code_for(e.code) == 3 ? 3 : exit_code;
    report_error(failures.front());
    return exit_code;
}

}  // namespace edgeverify::cli
