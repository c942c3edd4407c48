// Entry point of integrity verification: opens the source (one streaming pass for archives)
// and walks its image graph (OCI layout or archive, docker-archive, containers-image dir: copy).
#include "edgeverify/integrity.hpp"

#include <chrono>

#include "integrity/verify_containers_dir.hpp"
#include "integrity/verify_docker_archive.hpp"
#include "integrity/verify_oci.hpp"

namespace edgeverify {

Expected<IntegrityPass> run_integrity_pass(const SourceSpec& spec, const IntegrityOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    IntegrityPass pass;
    IntegrityReport& report = pass.report;
    report.kind = spec.forced_kind.value_or(SourceKind::oci_layout);

    ScanOptions scan;
    scan.max_layer_uncompressed_bytes = options.max_layer_uncompressed_bytes;
    scan.progress = options.progress;
    scan.layer_scan.watched_paths = options.watched_paths;
    scan.layer_scan.capture_budget =
        std::make_shared<std::atomic<std::uint64_t>>(limits::kMaxCapturedBytesPerPass);
    auto source = open_source(spec, scan);
    if (!source) {
        // Usage and I/O problems are not the content's fault: the caller reports them as such.
        if (exit_code_for(source.error().code) != 1) return source.take_error();
        report.errors.push_back(source.take_error());
    } else {
        BlobSource& blobs = **source;
        report.kind = blobs.kind();
        switch (report.kind) {
            case SourceKind::docker_archive:
                integrity::verify_docker_archive_source(blobs, spec.image_name, report);
                break;
            case SourceKind::containers_dir:
                integrity::verify_containers_dir_source(blobs, options, report);
                break;
            case SourceKind::oci_layout:
            case SourceKind::oci_archive:
                integrity::verify_oci_source(blobs, spec.image_name, options, report);
                break;
        }
        report.bytes_read = blobs.bytes_read();
        pass.source = std::move(*source);
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return pass;
}

Expected<IntegrityReport> verify_integrity(const SourceSpec& spec, const IntegrityOptions& options) {
    auto pass = run_integrity_pass(spec, options);
    if (!pass) return pass.take_error();
    return std::move(pass->report);
}

}  // namespace edgeverify
