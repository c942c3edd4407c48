// Fuzz target: in-toto statements as DSSE payloads carry them: subjects (sigstore_bundle.hpp)
// and Trivy vulnerability attestations (vuln_attestation.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/vuln_attestation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view statement(reinterpret_cast<const char*>(data), size);
    (void)edgeverify::intoto_subject_digests(statement, "fuzz statement");
    (void)edgeverify::intoto_predicate_type(statement);
    (void)edgeverify::parse_vulnerability_statement(statement, "fuzz statement");
    return 0;
}
