// `edgeverify sign SOURCE --key KEY.pem --reference REF [--json]`: cosign-compatible legacy
// signatures (sha256-<hex>.sig manifests) written into an OCI layout directory.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "commands.hpp"
#include "edgeverify/crypto.hpp"
#include "edgeverify/integrity.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/signatures.hpp"
#include "edgeverify/trust_policy.hpp"
#include "options.hpp"
#include "render.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kSignHelp =
    "usage: edgeverify sign SOURCE --key KEY.pem --reference REF [--json]\n"
    "\n"
    "Verifies SOURCE's integrity (refusing to sign content that fails), then signs each image's\n"
    "manifest digest with cosign's simple-signing payload for REF's repository and writes a\n"
    "cosign legacy signature manifest (tag sha256-<hex>.sig) into the layout, as 'cosign sign'\n"
    "and 'cosign save' would. An existing .sig manifest for that digest gets one more signature.\n"
    "\n"
    "SOURCE  an OCI layout directory (oci:DIR[:REF] to name one image); writing into an\n"
    "        oci-archive is not supported yet.\n"
    "\n"
    "options:\n"
    "  --key KEY.pem      signing key: PKCS#8 'PRIVATE KEY' or SEC1 'EC PRIVATE KEY' PEM, unencrypted\n"
    "                     (ECDSA P-256 from 'edgeverify keygen'; P-384 and RSA accepted)\n"
    "  --reference REF    the image's name, e.g. registry.example.com/fleet/app:1.0; the payload\n"
    "                     names its repository (no tag), as cosign does\n"
    "  --json             print the result as JSON\n"
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 signed, 1 the source fails integrity, 2 usage or key error, 3 cannot read or write\n";

// A signing key is no bigger than a trust-store key file.
constexpr std::size_t kMaxKeyFileBytes = limits::kMaxTrustKeyFileBytes;

Expected<std::string> read_key_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::not_found, path + ": cannot open the signing key");
    std::string bytes(kMaxKeyFileBytes + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxKeyFileBytes) {
        return make_error(Errc::config, path + ": larger than " + std::to_string(kMaxKeyFileBytes) +
                                            " bytes: not a PEM key");
    }
    return bytes;
}

}  // namespace

int run_sign(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--json", "--help", "-h"}, {"--key", "--reference"}};
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    RenderContext context;
    const auto fail = [&](const Error& error) {
        if (json) std::cout << failure_to_json(error, context).dump(2) << std::endl;
        return report_error(error);
    };
    auto parsed = parse_options(args, spec, "sign");
    if (!parsed) return fail(parsed.error());
    if (parsed->has("--help") || parsed->has("-h")) {
        std::fputs(kSignHelp, stdout);
        return 0;
    }
    context.source_argument = parsed->positional.empty() ? "" : parsed->positional.front();
    if (parsed->positional.size() != 1) {
        return fail(make_error(
            Errc::usage, parsed->positional.empty()
                             ? "sign needs a SOURCE (see 'edgeverify sign --help')"
                             : "sign takes one SOURCE, got " + std::to_string(parsed->positional.size())));
    }
    const auto key_path = parsed->value("--key");
    if (!key_path) return fail(make_error(Errc::usage, "sign needs --key KEY.pem"));
    const auto reference_text = parsed->value("--reference");
    if (!reference_text) {
        return fail(
            make_error(Errc::usage, "sign needs --reference REF: the payload names the image's repository"));
    }
    auto reference = parse_image_reference(*reference_text);
    if (!reference) return fail(reference.error());

    auto source = parse_source_argument(context.source_argument);
    if (!source) return fail(source.error());
    struct stat st {};
    const bool is_directory = ::stat(source->path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    if ((source->forced_kind && *source->forced_kind != SourceKind::oci_layout) ||
        (!source->forced_kind && !is_directory && ::stat(source->path.c_str(), &st) == 0)) {
        return fail(make_error(Errc::usage, source->path +
                                                ": sign writes into an OCI layout directory; writing "
                                                "signatures into an oci-archive or docker-archive is not "
                                                "supported yet (unpack it into a layout first)"));
    }

    auto key_pem = read_key_file(*key_path);
    if (!key_pem) return fail(key_pem.error());
    auto key = parse_private_key_pem(*key_pem, *key_path);
    // A signing key that cannot be used is the operator's configuration problem (exit 2).
    if (!key) return fail(make_error(Errc::config, key.error().message));

    // Never sign bytes that do not verify.
    IntegrityOptions options;
    options.all_platforms = true;
    auto pass = run_integrity_pass(*source, options);
    if (!pass) return fail(pass.error());
    const IntegrityReport& report = pass->report;
    if (report.kind != SourceKind::oci_layout) {
        return fail(make_error(Errc::usage,
                               source->path + ": not an OCI layout directory; sign writes only into one"));
    }
    if (!report.passed()) {
        Error first = report.errors.empty() ? make_error(Errc::no_image, "the source holds no image to sign")
                                            : report.errors.front();
        first.message = "refusing to sign content that fails integrity: " + first.message;
        return fail(first);
    }

    const std::string repository = reference->name();
    Json signed_list = Json::array();
    std::set<Digest> done;
    for (const auto& image : report.images) {
        if (image.manifest_digest.empty() || !done.insert(image.manifest_digest).second) continue;
        const std::string payload = make_simple_signing_payload(repository, image.manifest_digest);
        auto signature = key->sign(payload);
        if (!signature) return fail(signature.error());
        auto written = write_cosign_signature(source->path, image.manifest_digest, payload, *signature);
        if (!written) return fail(written.error());
        signed_list.push_back({{"image", image.name},
                               {"manifestDigest", image.manifest_digest.str()},
                               {"tag", written->tag},
                               {"signatureManifest", written->signature_manifest.str()},
                               {"signatures", written->layers},
                               {"appended", written->appended}});
        if (!json) {
            std::printf("signed %s%s%s as %s: %s (manifest %s, %zu signature%s)\n",
                        image.manifest_digest.str().c_str(), image.name.empty() ? "" : " (",
                        image.name.empty() ? "" : (image.name + ")").c_str(), repository.c_str(),
                        written->tag.c_str(), written->signature_manifest.str().c_str(), written->layers,
                        written->layers == 1 ? "" : "s");
        }
    }
    if (signed_list.empty())
        return fail(make_error(Errc::no_image, "the source holds no image manifest to sign"));
    if (json) {
        Json out{{"result", "signed"},
                 {"source", context.source_argument},
                 {"reference", repository},
                 {"keyType", std::string(key_type_name(key->type()))},
                 {"signed", signed_list}};
        std::cout << out.dump(2) << std::endl;
    }
    return 0;
}

}  // namespace edgeverify::cli
