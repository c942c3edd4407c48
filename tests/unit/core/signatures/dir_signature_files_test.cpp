// signature-N files of containers-image dir: copies: the real containers/image test images read in
// place, and the bad inputs (gaps, symlinks, too many, a missing directory, OpenPGP).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "edgeverify/signatures.hpp"
#include "unit/core/integrity/referrer_layouts.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

std::string cosign_image(const std::string& name) {
    return (shared_vectors() / "containers-image-cosign" / "images" / name).string();
}

}  // namespace

TEST_CASE("dir signatures: one sigstore signature file") {
    auto found = find_dir_signature_files(cosign_image("dir-img-cosign-valid"));
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 1);
    CHECK(found->front().origin == "signature-1");
    CHECK(found->front().kind == CandidateKind::simple_signing);
    CHECK(found->front().media_type == "application/vnd.dev.cosign.simplesigning.v1+json");
    CHECK_FALSE(found->front().payload.empty());
}

TEST_CASE("dir signatures: signature-1 and signature-2 in order") {
    auto found = find_dir_signature_files(cosign_image("dir-img-cosign-valid-2"));
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 2);
    CHECK((*found)[0].origin == "signature-1");
    CHECK((*found)[1].origin == "signature-2");
}

TEST_CASE("dir signatures: a directory without signature files has none") {
    TempDir dir;
    write_file(dir / "manifest.json", "{}");
    auto found = find_dir_signature_files(dir.path());
    REQUIRE(found.has_value());
    CHECK(found->empty());
}

TEST_CASE("dir signatures: reading stops at the first gap") {
    TempDir dir;
    const std::string sig = read_bytes(cosign_image("dir-img-cosign-valid") + "/signature-1");
    write_file(dir / "signature-1", sig);
    write_file(dir / "signature-3", sig);
    auto found = find_dir_signature_files(dir.path());
    REQUIRE(found.has_value());
    CHECK(found->size() == 1);
}

TEST_CASE("dir signatures: a missing directory is not_found") {
    auto found = find_dir_signature_files("/nonexistent/edgeverify-dir-copy");
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::not_found);
}

TEST_CASE("dir signatures: a symlinked signature file is unsafe_path") {
    TempDir dir;
    write_file(dir / "elsewhere", read_bytes(cosign_image("dir-img-cosign-valid") + "/signature-1"));
    std::filesystem::create_symlink("elsewhere", dir / "signature-1");
    auto found = find_dir_signature_files(dir.path());
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::unsafe_path);
    CHECK(found.error().message.find("signature-1: a symbolic link") != std::string::npos);
}

TEST_CASE("dir signatures: an OpenPGP signature file is a candidate refused by name, not an error") {
    TempDir dir;
    write_file(dir / "signature-1", std::string("\xa3\x01\x02\x03", 4));
    write_file(dir / "signature-2", read_bytes(cosign_image("dir-img-cosign-valid") + "/signature-1"));
    auto found = find_dir_signature_files(dir.path());
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 2);
    CHECK((*found)[0].origin == "signature-1");
    CHECK((*found)[0].unreadable.find("schema-violation: ") == 0);
    CHECK((*found)[0].unreadable.find("OpenPGP") != std::string::npos);
    CHECK((*found)[1].unreadable.empty());
    CHECK((*found)[1].media_type == cosign::kSimpleSigningMediaType);
}

TEST_CASE("dir signatures: more than kMaxSignaturesPerImage files is limit_exceeded") {
    TempDir dir;
    const std::string sig = read_bytes(cosign_image("dir-img-cosign-valid") + "/signature-1");
    for (std::size_t n = 1; n <= limits::kMaxSignaturesPerImage + 1; ++n) {
        write_file(dir / ("signature-" + std::to_string(n)), sig);
    }
    auto found = find_dir_signature_files(dir.path());
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().code == Errc::limit_exceeded);
    CHECK(found.error().message == dir.path() + ": more than kMaxSignaturesPerImage (1000) signature files");
}
