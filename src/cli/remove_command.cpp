// `edgeverify remove DIGEST`: takes an admitted image off the device: the containerd image(s)
// its verdicts name (with the index/manifest siblings of the same admission), then the verdicts.
#include <cstdio>
#include <set>

#include "commands.hpp"
#include "edgeverify/containerd.hpp"
#include "edgeverify/verdict_store.hpp"
#include "options.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kRemoveHelp =
    "usage: edgeverify remove DIGEST [--containerd-address A] [--namespace N] [--ctr PATH]\n"
    "\n"
    "Removes an admitted image: every containerd image named by the verdicts of DIGEST's admission\n"
    "(the index and its platform manifests together), then those verdicts, so the digest no longer\n"
    "passes the containerd verifier. The state directory is EDGEVERIFY_STATE_DIR (default\n"
    "/var/lib/edgeverify). Exit 0 removed, 1 DIGEST was never admitted, 2 usage, 3 containerd or\n"
    "the state directory failed (the verdicts are then kept). A name containerd now resolves to\n"
    "another digest (re-used by a later install) is left alone.\n";

// The verdicts written by the admission that produced `digest`: an index and its manifests.
std::vector<StoredVerdict> admission_of(const StoredVerdict& verdict, const std::vector<StoredVerdict>& all) {
    std::optional<Digest> index;
    if (verdict.role == "index") index = verdict.digest;
    if (verdict.index_digest) index = verdict.index_digest;
    if (!index) return {verdict};
    std::vector<StoredVerdict> family;
    for (const StoredVerdict& v : all) {
        if (v.digest == *index || (v.index_digest && *v.index_digest == *index) || v.digest == verdict.digest) {
            family.push_back(v);
        }
    }
    return family;
}

}  // namespace

int run_remove(const std::vector<std::string>& args) {
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
        std::fputs(kRemoveHelp, stdout);
        return 0;
    }
    auto parsed =
        parse_options(args, OptionSpec{{}, {"--containerd-address", "--namespace", "--ctr"}}, "remove");
    if (!parsed) return report_error(parsed.error());
    if (parsed->positional.size() != 1) {
        return report_error(make_error(Errc::usage, "remove takes exactly one DIGEST (see 'edgeverify remove --help')"));
    }
    auto digest = Digest::parse(parsed->positional.front());
    if (!digest) return report_error(make_error(Errc::usage, "remove: " + digest.error().message));
    const StateDirectory state = state_directory_from_env();
    auto verdict = read_verdict(state, *digest);
    if (!verdict) return report_error(verdict.error());
    if (!*verdict) {
        return report_error(make_error(Errc::untrusted, digest->str() + " was never admitted on this device (no verdict in " +
                                                            state.verdicts() + ")"));
    }
    auto all = list_verdicts(state);
    if (!all) return report_error(all.error());
    const std::vector<StoredVerdict> family = admission_of(**verdict, *all);

    ContainerdTarget target;
    if (auto v = parsed->value("--containerd-address")) target.address = *v;
    if (auto v = parsed->value("--namespace")) target.name_space = *v;
    if (auto v = parsed->value("--ctr")) target.ctr = *v;
    Containerd containerd(target);
    std::set<std::string> names;
    std::set<Digest> digests;
    for (const StoredVerdict& v : family) {
        digests.insert(v.digest);
        if (!v.containerd_name.empty()) names.insert(v.containerd_name);
    }
    auto held = containerd.list_images();
    if (!held) {
        return report_error(make_error(held.error().code, "cannot list containerd images (verdicts kept): " +
                                                              held.error().message));
    }
    for (const std::string& name : names) {
        const ContainerdImage* image = nullptr;
        for (const ContainerdImage& i : *held) {
            if (i.name == name) image = &i;
        }
        // A name re-used by a later admission now holds another image: that one stays.
        if (image == nullptr || !digests.count(image->target)) {
            std::printf("containerd image %s %s: left alone\n", name.c_str(),
                        image == nullptr ? "is absent" : ("now holds " + image->target.str()).c_str());
            continue;
        }
        if (auto removed = containerd.remove_image(name); !removed) {
            return report_error(make_error(removed.error().code, "cannot remove containerd image " + name +
                                                                     " (verdicts kept): " + removed.error().message));
        }
        std::printf("removed containerd image %s\n", name.c_str());
    }
    // Manifests first, the index last: an interrupted remove never leaves a manifest allowed
    // whose index verdict is gone.
    std::vector<const StoredVerdict*> order;
    for (const StoredVerdict& v : family) {
        if (v.role != "index") order.push_back(&v);
    }
    for (const StoredVerdict& v : family) {
        if (v.role == "index") order.push_back(&v);
    }
    for (const StoredVerdict* v : order) {
        if (auto removed = remove_verdict(state, v->digest); !removed) return report_error(removed.error());
        std::printf("removed verdict %s (%s %s)\n", v->digest.str().c_str(), v->role.c_str(), v->reference.c_str());
    }
    return 0;
}

}  // namespace edgeverify::cli
