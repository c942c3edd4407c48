// `edgeverify install SOURCE [--trust DIR] [--reference REF] [--platform P] [--containerd-address A]
//  [--namespace N] [--ctr PATH] [--no-unpack] [--json]`: stage a private copy, verify it (integrity,
// then trust), hand only the verified images to containerd, confirm what containerd holds, record
// verdicts and a signed report (docs/install.md).
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "edgeverify/containerd.hpp"
#include "edgeverify/verdict_store.hpp"
#include "edgeverify/integrity.hpp"
#include "edgeverify/rules.hpp"
#include "install_archive.hpp"
#include "install_record.hpp"
#include "install_staging.hpp"
#include "options.hpp"
#include "trust_stage.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kInstallHelp =
    "usage: edgeverify install SOURCE [--trust DIR] [--reference REF] [options]\n"
    "\n"
    "Copies SOURCE into a private staging directory, verifies the copy like 'edgeverify verify'\n"
    "(integrity, then signatures against the trust policy), imports only the verified image(s)\n"
    "into containerd (signature and referrer manifests dropped), confirms containerd holds them\n"
    "under the verified digest with all content present, then records verdicts and a signed\n"
    "report. A refused source is moved to quarantine/ with reason.txt. docs/install.md.\n"
    "\n"
    "SOURCE  an OCI layout directory or an oci-archive (oci:DIR[:REF], oci-archive:FILE[:REF]);\n"
    "        a docker-archive is refused: containerd re-synthesizes its manifest on import.\n"
    "\n"
    "options:\n"
    "  --trust DIR               trust store (default /etc/edgeverify/trust)\n"
    "  --reference REF           the reference judged and the containerd image name\n"
    "  --platform OS/ARCH[/VAR]  platform to select from an index (default: this host's)\n"
    "  --containerd-address A    containerd socket (default /run/containerd/containerd.sock)\n"
    "  --namespace N             containerd namespace (default k8s.io)\n"
    "  --ctr PATH                the ctr client (default: ctr on PATH)\n"
    "  --no-unpack               import without unpacking into a snapshotter\n"
    "  --json                    print the outcome as JSON\n"
    "\n"
    "environment: EDGEVERIFY_STATE_DIR (default /var/lib/edgeverify)\n"
    "exit status: 0 installed, 1 refused, 2 usage or configuration error, 3 I/O error\n";

constexpr const char* kDockerArchiveHint =
    "a docker-archive cannot be installed: it does not carry the registry manifest, and containerd "
    "re-synthesizes one on import, so the verified digest cannot be pinned or matched to a signature; "
    "ship an OCI layout or oci-archive instead (skopeo copy docker-archive:FILE oci:DIR)";

struct Run {
    bool json = false;
    Json out = Json::object();
};

int finish(Run& run, const std::optional<Error>& error) {
    run.out["installed"] = !error.has_value();
    if (error) {
        run.out["error"] = Json{{"code", std::string(errc_name(error->code))}, {"message", error->message}};
    }
    if (run.json) std::cout << run.out.dump(2) << std::endl;
    return error ? report_error(*error) : 0;
}

// The first reason the verified copy must not be installed, or nullopt.
std::optional<Error> refusal_of(const IntegrityReport& report, const std::vector<TrustDecision>* decisions) {
    if (report.kind == SourceKind::docker_archive) {
        std::string why = kDockerArchiveHint;
        if (decisions) {
            for (const auto& d : *decisions) {
                if (d.failure) why = d.failure->message + "; " + why;
            }
        }
        return make_error(Errc::untrusted, why);
    }
    if (!report.errors.empty()) return report.errors.front();
    if (report.images.empty()) return make_error(Errc::no_image, "the source holds no image to install");
    if (report.kind == SourceKind::containers_dir) {
        return make_error(Errc::usage, "a dir: copy cannot be imported into containerd; use an OCI layout");
    }
    for (const auto& d : *decisions) {
        if (!d.admits()) return *d.failure;
    }
    return std::nullopt;
}

// Imports, then confirms every image under its verified digest and complete; on any mismatch
// removes what was imported.
Status hand_over(Containerd& containerd, const std::string& archive, const std::vector<ImportEntry>& entries,
                 bool unpack) {
    const auto undo = [&] {
        for (const auto& e : entries) (void)containerd.remove_image(e.containerd_name);
    };
    if (auto s = containerd.import_archive(archive, unpack); !s) {
        undo();
        return s;
    }
    auto images = containerd.list_images();
    if (!images) {
        undo();
        return images.take_error();
    }
    for (const auto& e : entries) {
        const ContainerdImage* held = nullptr;
        for (const auto& image : *images) {
            if (image.name == e.containerd_name) held = &image;
        }
        std::optional<Error> mismatch;
        if (!held) {
            mismatch = make_error(Errc::blob_missing, "containerd does not list " + e.containerd_name + " after import");
        } else if (held->target != e.top_digest) {
            mismatch = make_error(Errc::digest_mismatch, "containerd holds " + e.containerd_name + " as " +
                                                             held->target.str() + ", not the verified " +
                                                             e.top_digest.str());
        } else if (auto complete = containerd.image_complete(e.containerd_name); !complete) {
            mismatch = complete.take_error();
        } else if (!*complete) {
            mismatch = make_error(Errc::blob_missing, "ctr images check: " + e.containerd_name + " is incomplete");
        }
        if (mismatch) {
            undo();
            return *mismatch;
        }
    }
    return {};
}

}  // namespace

int run_install(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--json", "--no-unpack", "--help", "-h"},
                          {"--trust", "--reference", "--platform", "--containerd-address", "--namespace", "--ctr"}};
    Run run;
    auto parsed = parse_options(args, spec, "install");
    if (!parsed) return finish(run, parsed.error());
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kInstallHelp, stdout);
        return 0;
    }
    run.json = parsed->has("--json");
    if (parsed->positional.size() != 1) {
        return finish(run, make_error(Errc::usage, "install takes one SOURCE (see 'edgeverify install --help')"));
    }
    auto store = load_trust_store(parsed->value("--trust").value_or(std::string(kDefaultTrustDir)));
    if (!store) return finish(run, store.error());
    IntegrityOptions options;
    add_forbidden_paths(store->policy, options.watched_paths);
    if (auto platform = parsed->value("--platform")) {
        auto p = parse_platform(*platform);
        if (!p) return finish(run, p.error());
        options.platform = *p;
    }
    ContainerdTarget target;
    if (auto v = parsed->value("--containerd-address")) target.address = *v;
    if (auto v = parsed->value("--namespace")) target.name_space = *v;
    if (auto v = parsed->value("--ctr")) target.ctr = *v;
    auto source = parse_source_argument(parsed->positional.front());
    if (!source) return finish(run, source.error());

    const StateDirectory state = state_directory_from_env();
    if (auto s = prepare_state_directory(state); !s) return finish(run, s.error());
    auto staged = stage_source(state, *source);
    if (!staged) return finish(run, staged.error());
    run.out["source"] = parsed->positional.front();

    InstallOutcome outcome;
    outcome.verified_at = rfc3339_utc_now();
    outcome.fallback_reference = parsed->value("--reference").value_or(parsed->positional.front());
    std::optional<Error> error;
    std::optional<IntegrityPass> pass;
    std::optional<std::vector<TrustDecision>> decisions;
    if (auto ran = run_integrity_pass(staged->spec, options); !ran) {
        error = ran.error();
    } else {
        pass = std::move(*ran);
        outcome.report = &pass->report;
        if (pass->report.passed()) {
            const TrustStageInputs inputs{parsed->value("--reference"), staged->spec.path, {}};
            auto decided = decide_images(*pass, *store, inputs);
            if (!decided) {
                error = decided.error();
            } else if (auto ruled = apply_image_rules(pass->report, *decided, *store, state); !ruled) {
                error = ruled.error();
            } else {
                decisions = std::move(*decided);
                outcome.decisions = &*decisions;
            }
        }
        if (!error) {
            outcome.refusal = refusal_of(pass->report, outcome.decisions);
            error = outcome.refusal;
        }
    }
    std::vector<ImportEntry> entries;
    Containerd containerd(target);
    // After a confirmed import, a verdict or a report that cannot be written undoes the install:
    // nothing is admitted that the verdict store or the outbox does not know about.
    const auto undo_install = [&] {
        for (const auto& e : entries) (void)containerd.remove_image(e.containerd_name);
        for (const ImageResult& image : pass->report.images) {
            (void)remove_verdict(state, image.manifest_digest);
            if (image.index_digest) (void)remove_verdict(state, *image.index_digest);
        }
        outcome.installed = false;
    };
    if (!error) {
        for (std::size_t i = 0; i < pass->report.images.size(); ++i) {
            const ImageResult& image = pass->report.images[i];
            const std::string& name = (*decisions)[i].reference;
            outcome.containerd_names.push_back(name);
            ImportEntry entry{image.index_digest.value_or(image.manifest_digest), name};
            bool seen = false;
            for (const auto& e : entries) seen = seen || (e.top_digest == entry.top_digest && e.containerd_name == name);
            if (!seen) entries.push_back(entry);
            run.out["images"].push_back(Json{{"reference", name}, {"digest", entry.top_digest.str()},
                                             {"manifestDigest", image.manifest_digest.str()}});
        }
        pass->source.reset();  // the staged copy is rewritten next
        auto archive = build_import_archive(*staged, entries);
        if (!archive) {
            error = archive.error();
        } else if (auto s = hand_over(containerd, *archive, entries, !parsed->has("--no-unpack")); !s) {
            error = s.error();
            if (exit_code_for(error->code) == 1) outcome.refusal = error;
        } else {
            outcome.installed = true;
            // The report is durable before a verdict lets containerd pull the image: a crash in
            // between leaves an image with no verdict (pulls denied, an image-not-admitted alarm
            // in the next device report), never an admission without its report.
            auto reported = enqueue_reports(state, *store, outcome);
            if (!reported) {
                error = reported.error();
                undo_install();
            } else {
                run.out["reports"] = *reported;
                std::optional<Error> failed;
                if (auto v = record_verdicts(state, *store, outcome); !v) {
                    failed = v.error();
                } else if (auto f = record_admission_floors(pass->report, *decisions, *store, state); !f) {
                    failed = f.error();  // a floor that cannot be raised would let a rollback in later
                }
                if (failed) {
                    error = failed;
                    undo_install();
                    outcome.undone = failed;  // a second report says the admission was undone
                    if (auto again = enqueue_reports(state, *store, outcome)) {
                        for (auto sequence : *again) run.out["reports"].push_back(sequence);
                    }
                }
            }
        }
    }
    if (outcome.refusal) {
        auto moved = quarantine_staged(state, *staged, std::string(errc_name(outcome.refusal->code)) + ": " +
                                                           outcome.refusal->message);
        if (moved) run.out["quarantine"] = *moved;
    }
    remove_tree(staged->directory);
    if (outcome.refusal) {  // an installed image's reports were queued before its verdicts
        auto reported = enqueue_reports(state, *store, outcome);
        if (!reported && !error) error = reported.error();
        if (reported) run.out["reports"] = *reported;
    }
    if (!run.json && outcome.installed) {
        for (const auto& image : run.out["images"]) {
            std::printf("installed %s %s\n", image["reference"].get<std::string>().c_str(),
                        image["digest"].get<std::string>().c_str());
        }
    }
    if (!run.json && run.out.contains("quarantine")) {
        std::fprintf(stderr, "edgeverify: quarantined in %s\n", run.out["quarantine"].get<std::string>().c_str());
    }
    return finish(run, error);
}

}  // namespace edgeverify::cli
