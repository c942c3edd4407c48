// `edgeverify sign SOURCE --key KEY.pem [--reference REF] [--bundle] [--json]`: cosign-compatible
// legacy signatures (sha256-<hex>.sig manifests) or, with --bundle, key-based Sigstore bundle
// referrers (cosign v3), written into an OCI layout directory or an uncompressed oci-archive.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "commands.hpp"
#include "edgeverify/crypto.hpp"
#include "edgeverify/integrity.hpp"
#include "edgeverify/layout_writer.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/signatures.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/trust_policy.hpp"
#include "options.hpp"
#include "render.hpp"

namespace edgeverify::cli {
namespace {

constexpr const char* kSignHelp =
    "usage: edgeverify sign SOURCE --key KEY.pem [--reference REF] [--bundle] [--json]\n"
    "\n"
    "Verifies SOURCE's integrity (refusing to sign content that fails), then signs each image's\n"
    "manifest digest for REF's repository and writes the signature into SOURCE:\n"
    "  default   a cosign legacy signature manifest (tag sha256-<hex>.sig) with cosign's\n"
    "            simple-signing payload, as 'cosign sign' and 'cosign save' would; an existing\n"
    "            .sig manifest for that digest gets one more signature;\n"
    "  --bundle  a key-based Sigstore bundle v0.3 (DSSE over cosign's in-toto statement) attached\n"
    "            as an OCI 1.1 referrer of the image manifest, as 'cosign sign' v3 would; it is\n"
    "            listed in index.json without a tag.\n"
    "Files are written to temporary names and renamed into place: index.json last in a layout,\n"
    "a whole new archive renamed over the old one for an oci-archive.\n"
    "\n"
    "SOURCE  an OCI layout directory or an uncompressed oci-archive (oci:DIR[:REF],\n"
    "        oci-archive:FILE[:REF] to name one image); a compressed oci-archive or a\n"
    "        docker-archive cannot be signed in place.\n"
    "\n"
    "options:\n"
    "  --key KEY.pem      signing key: PKCS#8 'PRIVATE KEY' or SEC1 'EC PRIVATE KEY' PEM, unencrypted\n"
    "                     (ECDSA P-256 from 'edgeverify keygen'; P-384 and RSA accepted)\n"
    "  --reference REF    the image's name, e.g. registry.example.com/fleet/app:1.0; the signature\n"
    "                     names its repository (no tag), as cosign does. May be omitted when the\n"
    "                     source names each image by a full reference (a ref name with a\n"
    "                     repository path, as for verify)\n"
    "  --bundle           write a Sigstore bundle referrer instead of a .sig manifest\n"
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

// The repository an image is signed for: --reference, else the source's own name when it is a
// full reference with a repository path (DESIGN.md; a bare tag such as "1.0" is no reference).
Expected<ImageReference> signing_reference(const ImageResult& image,
                                           const std::optional<std::string>& given) {
    if (given) return parse_image_reference(*given);
    if (auto reference = reference_from_source_name(image.name)) return std::move(*reference);
    return make_error(Errc::usage,
                      "sign needs --reference REF: the signature names the image's repository, and the "
                      "source names " +
                          (image.name.empty() ? std::string("none")
                                              : "only '" + image.name + "', which is not a full reference"));
}

}  // namespace

int run_sign(const std::vector<std::string>& args) {
    const OptionSpec spec{{"--json", "--bundle", "--help", "-h"}, {"--key", "--reference"}};
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
    const bool bundle = parsed->has("--bundle");
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
    if (reference_text) {
        if (auto reference = parse_image_reference(*reference_text); !reference)
            return fail(reference.error());
    }

    auto source = parse_source_argument(context.source_argument);
    if (!source) return fail(source.error());
    // Opened first: a compressed oci-archive or a docker-archive is refused before any work.
    auto writer = open_layout_writer(*source);
    if (!writer) return fail(writer.error());

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
    if (report.kind != (*writer)->kind()) {
        return fail(make_error(Errc::usage, source->path + ": read as " +
                                                std::string(source_kind_name(report.kind)) +
                                                ", which sign cannot write into"));
    }
    if (!report.passed()) {
        Error first = report.errors.empty() ? make_error(Errc::no_image, "the source holds no image to sign")
                                            : report.errors.front();
        first.message = "refusing to sign content that fails integrity: " + first.message;
        return fail(first);
    }

    Json signed_list = Json::array();
    std::set<Digest> done;
    std::set<std::string> repositories;
    for (const auto& image : report.images) {
        if (image.manifest_digest.empty() || !done.insert(image.manifest_digest).second) continue;
        auto reference = signing_reference(image, reference_text);
        if (!reference) return fail(reference.error());
        const std::string repository = reference->name();
        repositories.insert(repository);
        Json item{{"image", image.name},
                  {"manifestDigest", image.manifest_digest.str()},
                  {"reference", repository}};
        std::string what;
        if (bundle) {
            auto manifest = (*writer)->read_file(
                "blobs/" + std::string(digest_algorithm_name(image.manifest_digest.algorithm())) + "/" +
                    image.manifest_digest.hex(),
                limits::kMaxJsonDocumentBytes);
            if (!manifest) return fail(manifest.error());
            if (!*manifest)
                return fail(
                    make_error(Errc::blob_missing, image.manifest_digest.str() + ": manifest not found"));
            Descriptor subject;
            subject.media_type = image.manifest_media_type;
            subject.digest = image.manifest_digest;
            subject.size = static_cast<std::int64_t>((*manifest)->size());
            const std::string statement = make_cosign_sign_statement(repository, image.manifest_digest);
            auto bundle_json = make_key_dsse_bundle(*key, sigstore::kInTotoPayloadType, statement);
            if (!bundle_json) return fail(bundle_json.error());
            auto written =
                write_bundle_referrer(**writer, subject, *bundle_json, sigstore::kCosignSignPredicate);
            if (!written) return fail(written.error());
            item["referrerManifest"] = written->referrer_manifest.str();
            item["bundle"] = written->bundle_blob.str();
            what = "bundle referrer " + written->referrer_manifest.str();
        } else {
            const std::string payload = make_simple_signing_payload(repository, image.manifest_digest);
            auto signature = key->sign(payload);
            if (!signature) return fail(signature.error());
            auto written = write_cosign_signature(**writer, image.manifest_digest, payload, *signature);
            if (!written) return fail(written.error());
            item["tag"] = written->tag;
            item["signatureManifest"] = written->signature_manifest.str();
            item["signatures"] = written->layers;
            item["appended"] = written->appended;
            what = written->tag + " (manifest " + written->signature_manifest.str() + ", " +
                   std::to_string(written->layers) + " signature" + (written->layers == 1 ? "" : "s") + ")";
        }
        signed_list.push_back(item);
        if (!json) {
            std::printf("signed %s%s%s as %s: %s\n", image.manifest_digest.str().c_str(),
                        image.name.empty() ? "" : " (", image.name.empty() ? "" : (image.name + ")").c_str(),
                        repository.c_str(), what.c_str());
        }
    }
    if (signed_list.empty())
        return fail(make_error(Errc::no_image, "the source holds no image manifest to sign"));
    // One commit for every image: blobs first, index.json last (layout) or one new archive.
    if (auto committed = (*writer)->commit(); !committed) return fail(committed.error());
    if (json) {
        Json out{{"result", "signed"},
                 {"source", context.source_argument},
                 {"format", bundle ? "sigstore-bundle" : "cosign-legacy"},
                 {"reference", repositories.size() == 1 ? Json(*repositories.begin()) : Json(nullptr)},
                 {"keyType", std::string(key_type_name(key->type()))},
                 {"signed", signed_list}};
        std::cout << out.dump(2) << std::endl;
    }
    return 0;
}

}  // namespace edgeverify::cli
