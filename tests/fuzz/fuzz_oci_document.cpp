// Fuzz target: OCI and Docker documents (oci.hpp): manifest, index, image config, the kind
// sniffer, and docker-archive manifest.json, each given the same input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/oci.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)edgeverify::sniff_document_kind(bytes, "fuzz document");
    (void)edgeverify::parse_image_manifest(bytes, "fuzz manifest");
    if (auto index = edgeverify::parse_image_index(bytes, "fuzz index")) {
        (void)edgeverify::select_platform(*index, edgeverify::host_platform());
    }
    (void)edgeverify::parse_image_config(bytes, "fuzz config");
    (void)edgeverify::parse_docker_archive_manifest(bytes, "manifest.json");
    return 0;
}
