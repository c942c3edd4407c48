// Writing cosign legacy signatures into an OCI layout or oci-archive (FORMATS.md A.2-A.4): the
// payload blob, the config, the signature manifest and the index.json entry tagged
// sha256-<hex>.sig, staged on a LayoutWriter (the caller commits).
#include <nlohmann/json.hpp>
#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/signatures.hpp"
#include "signatures/layout_index.hpp"

namespace edgeverify {
namespace {

using Ordered = nlohmann::ordered_json;

constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";

std::string dump(const Ordered& doc) {
    return doc.dump();  // compact, as umoci, skopeo and cosign write them
}

}  // namespace

std::string make_simple_signing_payload(std::string_view docker_reference, const Digest& manifest_digest) {
    Ordered payload;
    payload["critical"]["identity"]["docker-reference"] = std::string(docker_reference);
    payload["critical"]["image"]["docker-manifest-digest"] = manifest_digest.str();
    payload["critical"]["type"] = std::string(cosign::kSignatureType);
    payload["optional"] = nullptr;
    return payload.dump();
}

Expected<CosignSignatureWritten> write_cosign_signature(LayoutWriter& layout, const Digest& signed_digest,
                                                        std::string_view payload, std::string_view signature) {
    CosignSignatureWritten written;
    written.tag = std::string(signed_digest.str());
    written.tag.replace(written.tag.find(':'), 1, "-");
    written.tag += ".sig";

    auto read_index = signatures_detail::read_index_for_editing(layout);
    if (!read_index) return read_index.take_error();
    Ordered index = std::move(*read_index);

    // The existing signature manifest for this digest, if any: cosign appends a layer to it.
    Ordered* entry = nullptr;
    for (auto& m : index["manifests"]) {
        if (!m.is_object() || !m.contains("annotations") || !m["annotations"].is_object()) continue;
        const auto& annotations = m["annotations"];
        auto ref = annotations.find(std::string(annotation::kRefName));
        if (ref != annotations.end() && ref->is_string() && ref->get<std::string>() == written.tag) {
            entry = &m;
            break;
        }
    }

    auto put_blob = [&](std::string_view bytes) -> Expected<Digest> {
        const Digest digest = digest_of(DigestAlgorithm::sha256, bytes);
        if (auto status = layout.put_file("blobs/sha256/" + digest.hex(), bytes); !status) {
            return status.take_error();
        }
        return digest;
    };
    auto read_blob = [&](const Ordered& descriptor, const std::string& what) -> Expected<Ordered> {
        if (!descriptor.is_object() || !descriptor.contains("digest") || !descriptor["digest"].is_string()) {
            return make_error(Errc::schema_violation, written.tag + ": " + what + ": no digest");
        }
        auto digest = Digest::parse(descriptor["digest"].get<std::string>());
        if (!digest) return digest.error();
        if (digest->algorithm() != DigestAlgorithm::sha256) {
            return make_error(Errc::digest_unsupported,
                              written.tag + ": " + what + ": only sha256 blobs are edited");
        }
        const std::string shown = "blobs/sha256/" + digest->hex();
        auto found = layout.read_file(shown, limits::kMaxJsonDocumentBytes);
        if (!found) return found.take_error();
        if (!*found) {
            return make_error(Errc::blob_missing, shown + " (" + what + " of " + written.tag + "): not in the source");
        }
        const std::string* bytes = &**found;
        if (digest_of(DigestAlgorithm::sha256, *bytes) != *digest) {
            return make_error(Errc::digest_mismatch, shown + " (" + what + " of " + written.tag +
                                                         "): content does not hash to its name");
        }
        if (auto strict = parse_json_strict(*bytes, shown); !strict) return strict.error();
        return Ordered::parse(*bytes);
    };

    Ordered manifest;
    Ordered config;
    if (entry != nullptr) {
        auto existing = read_blob(*entry, "signature manifest");
        if (!existing) return existing.error();
        manifest = std::move(*existing);
        if (!manifest.is_object() || !manifest.contains("layers") || !manifest["layers"].is_array() ||
            !manifest.contains("config")) {
            return make_error(Errc::schema_violation,
                              written.tag + ": the existing signature manifest has no layers array");
        }
        auto existing_config = read_blob(manifest["config"], "config");
        if (!existing_config) return existing_config.error();
        config = std::move(*existing_config);
        if (!config.is_object()) {
            return make_error(Errc::schema_violation, written.tag + ": the existing config is not an object");
        }
        if (manifest["layers"].size() >= limits::kMaxSignaturesPerImage) {
            return make_error(
                Errc::limit_exceeded,
                written.tag + ": already holds " + std::to_string(manifest["layers"].size()) + " signatures");
        }
        written.appended = true;
    } else {
        config["architecture"] = "";
        config["os"] = "";
        config["config"] = Ordered::object();
        config["rootfs"]["type"] = "layers";
        config["rootfs"]["diff_ids"] = Ordered::array();
        manifest["schemaVersion"] = 2;
        manifest["mediaType"] = std::string(kOciManifest);
        manifest["config"] = Ordered::object();
        manifest["layers"] = Ordered::array();
    }

    auto payload_digest = put_blob(payload);
    if (!payload_digest) return payload_digest.error();

    if (!config.contains("rootfs") || !config["rootfs"].is_object()) config["rootfs"] = {{"type", "layers"}};
    if (!config["rootfs"].contains("diff_ids") || !config["rootfs"]["diff_ids"].is_array()) {
        config["rootfs"]["diff_ids"] = Ordered::array();
    }
    config["rootfs"]["diff_ids"].push_back(payload_digest->str());
    const std::string config_bytes = dump(config);
    auto config_digest = put_blob(config_bytes);
    if (!config_digest) return config_digest.error();

    Ordered layer;
    layer["mediaType"] = std::string(cosign::kSimpleSigningMediaType);
    layer["digest"] = payload_digest->str();
    layer["size"] = payload.size();
    layer["annotations"][std::string(cosign::kSignatureAnnotation)] = base64_encode(signature);
    manifest["layers"].push_back(layer);
    Ordered config_descriptor;
    config_descriptor["mediaType"] =
        manifest["config"].is_object() && manifest["config"].contains("mediaType")
            ? manifest["config"]["mediaType"]
            : Ordered(std::string(kOciConfig));
    config_descriptor["digest"] = config_digest->str();
    config_descriptor["size"] = config_bytes.size();
    manifest["config"] = config_descriptor;
    const std::string manifest_bytes = dump(manifest);
    auto manifest_digest = put_blob(manifest_bytes);
    if (!manifest_digest) return manifest_digest.error();

    if (entry != nullptr) {
        (*entry)["digest"] = manifest_digest->str();
        (*entry)["size"] = manifest_bytes.size();
        if (manifest.contains("mediaType") && manifest["mediaType"].is_string()) {
            (*entry)["mediaType"] = manifest["mediaType"];
        }
    } else {
        Ordered descriptor;
        descriptor["mediaType"] = std::string(kOciManifest);
        descriptor["digest"] = manifest_digest->str();
        descriptor["size"] = manifest_bytes.size();
        descriptor["annotations"][std::string(annotation::kRefName)] = written.tag;
        index["manifests"].push_back(descriptor);
    }
    if (auto status = layout.put_file("index.json", dump(index)); !status) return status.take_error();
    written.signature_manifest = *manifest_digest;
    written.layers = manifest["layers"].size();
    return written;
}

}  // namespace edgeverify
