// `edgeverify verify SOURCE [--trust DIR] [--reference REF] [--signature FILE --payload FILE]
//  [--bundle FILE [--payload FILE]] [--notation-signature FILE] | --integrity-only [--platform P]
//  [--all-platforms] [--json] [--max-layer-size BYTES]`.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "detached_signatures.hpp"
#include "edgeverify/integrity.hpp"
#include "edgeverify/state.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "render.hpp"
#include "trust_stage.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kVerifyHelp =
    "usage: edgeverify verify SOURCE [--trust DIR] [--reference REF] [options]\n"
    "       edgeverify verify SOURCE --integrity-only [options]\n"
    "\n"
    "Verifies every byte of an image offline: each blob's size and digest, the index -> manifest\n"
    "-> config -> layers graph, and each decompressed layer against the config's diff_ids, in one\n"
    "streaming pass; then, unless --integrity-only, its signatures against the trust store's\n"
    "policy (docs/trust-policy.md). Signatures are looked for, in this order: cosign .sig images,\n"
    "Sigstore bundle and Notation referrers in the source, the files given with --signature,\n"
    "--bundle and --notation-signature,\n"
    "and the signature-N files of a dir: copy. Every one found is listed with why it was\n"
    "accepted or refused.\n"
    "\n"
    "SOURCE  an OCI layout directory, an oci-archive tar (optionally gzip-compressed), a\n"
    "        docker-archive tar or a containers-image dir: copy, detected from content; or\n"
    "        oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:NAME:TAG], dir:DIR to\n"
    "        force the kind and name one image.\n"
    "\n"
    "options:\n"
    "  --trust DIR            trust store: policy.json and keys/ (default /etc/edgeverify/trust)\n"
    "  --reference REF        the image reference the policy judges (default: the source's own full name)\n"
    "  --signature FILE       a detached cosign signature (base64 text) over --payload FILE\n"
    "  --payload FILE         the simple-signing payload --signature signs, or the artifact a\n"
    "                         --bundle message signature signs\n"
    "  --bundle FILE          a detached Sigstore bundle (.sigstore.json); without --payload a\n"
    "                         message signature must be over the image manifest itself\n"
    "  --notation-signature FILE  a detached Notation signature over the image manifest:\n"
    "                         FILE.jws.sig (JWS) or FILE.cose.sig (COSE)\n"
    "                         (detached files apply to every image of SOURCE)\n"
    "  --integrity-only       check content integrity only, no signatures or policy\n"
    "  --platform OS/ARCH[/VARIANT]  platform to select from an index (default: this host's)\n"
    "  --all-platforms        verify every platform of an index\n"
    "  --max-layer-size N     refuse a layer that decompresses beyond N bytes (K, M, G suffixes;\n"
    "                         default 16G)\n"
    "  --json                 print the result as JSON (docs/json-output.md)\n"
    "  -h, --help             this help\n"
    "\n"
    "exit status: 0 verified, 1 rejected, 2 usage or configuration error, 3 source unreadable\n";

constexpr std::string_view kDefaultTrustDirectory = kDefaultTrustDir;

void print_json(const Json& j) {
    std::cout << j.dump(2) << std::endl;
}

// Exit status and the stderr summary of a finished verification.
int finish_exit_code(const IntegrityReport& report, const std::vector<TrustDecision>* decisions) {
    std::vector<Error> failures = report.errors;
    if (report.passed() && report.images.empty()) {
        failures.push_back(make_error(Errc::no_image, "the source holds no image to verify"));
    }
    if (decisions != nullptr) {
        for (const auto& d : *decisions) {
            for (const auto& r : d.rules) {  // audit-mode rules: recorded, never rejecting
                if (r.outcome == RuleOutcome::audit_fail && (!d.failure || d.failure->message.find("rule " + r.rule + ":") != 0))
                    std::fprintf(stderr, "edgeverify: audit: rule %s: %s\n", r.rule.c_str(), r.evidence.c_str());
            }
            if (!d.failure) continue;
            if (d.admits()) {
                std::fprintf(stderr, "edgeverify: audit: %s: %s (admitted: audit mode)\n",
                             std::string(errc_name(d.failure->code)).c_str(), d.failure->message.c_str());
            } else {
                failures.push_back(*d.failure);
            }
        }
    }
    if (failures.empty()) return 0;
    int exit_code = 1;
    for (const auto& e : failures) {
        if (exit_code_for(e.code) == 3) exit_code = 3;
    }
    report_error(failures.front());
    for (std::size_t i = 1; i < failures.size(); ++i) {
        std::fprintf(stderr, "  also: %s: %s\n", std::string(errc_name(failures[i].code)).c_str(),
                     failures[i].message.c_str());
    }
    return exit_code;
}

}  // namespace

int report_error(const Error& error) {
    const int code = exit_code_for(error.code);
    const std::string name(errc_name(error.code));
    if (code == 2) {
        std::fprintf(stderr, "edgeverify: %s: %s\n", name.c_str(), error.message.c_str());
    } else {
        std::fprintf(stderr, "edgeverify: %s: %s: %s\n", code == 3 ? "cannot read" : "rejected", name.c_str(),
                     error.message.c_str());
    }
    return code;
}

int run_verify(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--integrity-only", "--all-platforms", "--json", "--help", "-h"},
                          {"--platform", "--max-layer-size", "--trust", "--reference", "--signature",
                           "--payload", "--bundle", "--notation-signature"}};
    auto parsed = parse_options(args, spec, "verify");
    if (!parsed) {
        // --json promises one JSON document whatever happens, a bad command line included.
        if (std::find(args.begin(), args.end(), "--json") != args.end()) {
            RenderContext context;
            print_json(failure_to_json(parsed.error(), context));
        }
        return report_error(parsed.error());
    }
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kVerifyHelp, stdout);
        return 0;
    }
    const bool json = parsed->has("--json");
    RenderContext context;
    context.source_argument = parsed->positional.empty() ? "" : parsed->positional.front();
    const auto fail = [&](const Error& error) {
        if (json) print_json(failure_to_json(error, context));
        return report_error(error);
    };

    if (parsed->positional.size() != 1) {
        return fail(make_error(
            Errc::usage, parsed->positional.empty()
                             ? "verify needs a SOURCE (see 'edgeverify verify --help')"
                             : "verify takes one SOURCE, got " + std::to_string(parsed->positional.size())));
    }
    const bool integrity_only = parsed->has("--integrity-only");
    context.integrity_only = integrity_only;
    const DetachedSignatureFiles detached_files{parsed->value("--signature"), parsed->value("--payload"),
                                                parsed->value("--bundle"),
                                                parsed->value("--notation-signature")};
    if (integrity_only &&
        (parsed->value("--trust") || parsed->value("--reference") || detached_files.any())) {
        return fail(make_error(Errc::usage,
                               "--integrity-only checks no signatures: --trust, --reference, "
                               "--signature, --payload, --bundle and --notation-signature do not apply"));
    }
    // Read before the (long) integrity pass: a bad command line or an unreadable file fails fast.
    auto detached = read_detached_signatures(detached_files);
    if (!detached) return fail(detached.error());
    std::optional<TrustStore> store;
    if (!integrity_only) {
        auto loaded = load_trust_store(parsed->value("--trust").value_or(std::string(kDefaultTrustDirectory)));
        if (!loaded) return fail(loaded.error());
        context.trust_directory = loaded->directory;
        context.trust_digest = loaded->digest.str();
        store = std::move(*loaded);
    }
    IntegrityOptions options;
    if (store) add_forbidden_paths(store->policy, options.watched_paths);
    options.all_platforms = parsed->has("--all-platforms");
    if (auto platform = parsed->value("--platform")) {
        if (options.all_platforms) {
            return fail(make_error(Errc::usage, "--platform and --all-platforms exclude each other"));
        }
        auto p = parse_platform(*platform);
        if (!p) return fail(p.error());
        options.platform = *p;
    }
    if (auto size = parsed->value("--max-layer-size")) {
        auto bytes = parse_byte_size(*size, "--max-layer-size");
        if (!bytes) return fail(bytes.error());
        options.max_layer_uncompressed_bytes = *bytes;
    }
    auto source = parse_source_argument(context.source_argument);
    if (!source) return fail(source.error());

    ProgressBar progress(!json);
    options.progress = progress.callback();
    auto pass = run_integrity_pass(*source, options);
    if (!pass) return fail(pass.error());
    const IntegrityReport& report = pass->report;

    // Signatures are judged only for content that passed integrity: never trust bad bytes.
    std::optional<std::vector<TrustDecision>> decisions;
    if (store && report.passed()) {
        const TrustStageInputs inputs{parsed->value("--reference"), source->path, std::move(*detached)};
        auto decided = decide_images(*pass, *store, inputs);
        if (!decided) return fail(decided.error());
        decisions = std::move(*decided);
        if (auto ruled = apply_image_rules(report, *decisions, *store, state_directory_from_env()); !ruled)
            return fail(ruled.error());
    }
    const std::vector<TrustDecision>* judged = decisions ? &*decisions : nullptr;
    if (json) {
        print_json(report_to_json(report, context, judged));
    } else {
        print_human_report(stdout, report, context, judged);
        std::fflush(stdout);
    }
    return finish_exit_code(report, judged);
}

}  // namespace edgeverify::cli
