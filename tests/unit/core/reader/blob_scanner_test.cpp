// The per-blob engine: sniffing, stored digest, diff_id, layer scanning, kept documents, limits.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "core/reader/blob_scanner.hpp"
#include "edgeverify/source.hpp"
#include "reader_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

BlobRecord scan_bytes(const std::string& bytes, ScanOptions options = {},
                      DigestAlgorithm algorithm = DigestAlgorithm::sha256) {
    TempDir dir;
    write_file(dir / "blob", bytes);
    const int fd = ::open((dir / "blob").c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    auto record = scan_blob_fd(fd, "blobs/sha256/test", algorithm, options);
    ::close(fd);
    REQUIRE(record.has_value());
    return std::move(record).value();
}

// Feeds in awkward chunk sizes to exercise the sniffing buffer and the pipeline's chunking.
BlobRecord scan_in_chunks(const std::string& bytes, std::size_t chunk) {
    reader::BlobScanner scanner("blob", DigestAlgorithm::sha256, 0, ScanOptions{});
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const std::size_t n = std::min(chunk, bytes.size() - at);
        scanner.feed(reinterpret_cast<const std::uint8_t*>(bytes.data() + at), n);
    }
    return scanner.finish();
}

}  // namespace

TEST_CASE("a gzip layer is hashed as stored and as decompressed, and scanned") {
    const std::string tar = sample_layer_tar();
    const std::string gz = compress(tar, Filter::gzip);
    const BlobRecord record = scan_bytes(gz);
    CHECK(record.digest.hex() == sha256_hex(gz));
    CHECK(record.size == gz.size());
    CHECK_FALSE(record.content.has_value());
    REQUIRE(record.layer.has_value());
    CHECK_FALSE(record.layer->error.has_value());
    CHECK(record.layer->compression == Compression::gzip);
    CHECK(record.layer->diff_id.str() == "sha256:" + sha256_hex(tar));
    CHECK(record.layer->uncompressed_size == tar.size());
    CHECK(record.layer->facts.regular_files == 2);
    CHECK(record.layer->facts.directories == 1);
}

TEST_CASE("a zstd layer is hashed as stored and as decompressed") {
    const std::string tar = sample_layer_tar();
    const std::string zst = compress(tar, Filter::zstd);
    const BlobRecord record = scan_bytes(zst);
    CHECK(record.digest.hex() == sha256_hex(zst));
    REQUIRE(record.layer.has_value());
    CHECK_FALSE(record.layer->error.has_value());
    CHECK(record.layer->compression == Compression::zstd);
    CHECK(record.layer->diff_id.hex() == sha256_hex(tar));
    CHECK(record.layer->facts.regular_files == 2);
}

TEST_CASE("a multi-megabyte gzip layer streams through the pipeline in any chunking") {
    const std::string tar = make_tar(
        {{"big.bin", pseudo_random_bytes(9 * 1024 * 1024 + 123, 3)}, {"small", std::string(5000, 'a')}});
    const std::string gz = compress(tar, Filter::gzip);
    for (std::size_t chunk : {std::size_t{7}, std::size_t{513}, std::size_t{3 << 20}}) {
        CAPTURE(chunk);
        const BlobRecord record = scan_in_chunks(gz, chunk);
        CHECK(record.digest.hex() == sha256_hex(gz));
        REQUIRE(record.layer.has_value());
        CHECK_FALSE(record.layer->error.has_value());
        CHECK(record.layer->diff_id.hex() == sha256_hex(tar));
        CHECK(record.layer->uncompressed_size == tar.size());
    }
    // Byte by byte over the head: the sniffing buffer is where chunking matters most.
    reader::BlobScanner scanner("blob", DigestAlgorithm::sha256, 0, ScanOptions{});
    for (std::size_t i = 0; i < 600; ++i)
        scanner.feed(reinterpret_cast<const std::uint8_t*>(gz.data() + i), 1);
    scanner.feed(reinterpret_cast<const std::uint8_t*>(gz.data() + 600), gz.size() - 600);
    const BlobRecord record = scanner.finish();
    REQUIRE(record.layer.has_value());
    CHECK(record.layer->diff_id.hex() == sha256_hex(tar));
}

TEST_CASE("an uncompressed tar layer uses the stored digest as diff_id") {
    const std::string tar = sample_layer_tar();
    const BlobRecord record = scan_bytes(tar);
    REQUIRE(record.layer.has_value());
    CHECK(record.layer->compression == Compression::none);
    CHECK_FALSE(record.layer->error.has_value());
    CHECK(record.layer->diff_id == record.digest);
    CHECK(record.digest.hex() == sha256_hex(tar));
    CHECK(record.layer->uncompressed_size == tar.size());
    CHECK(record.layer->facts.regular_files == 2);
}

TEST_CASE("a small JSON document is kept") {
    const std::string json = R"({"schemaVersion":2,"manifests":[]})";
    const BlobRecord record = scan_bytes(json);
    CHECK_FALSE(record.layer.has_value());
    REQUIRE(record.content.has_value());
    CHECK(*record.content == json);
    CHECK(record.digest.hex() == sha256_hex(json));
}

TEST_CASE("an empty blob is an empty document") {
    const BlobRecord record = scan_bytes("");
    REQUIRE(record.content.has_value());
    CHECK(record.content->empty());
    CHECK(record.digest.hex() == sha256_hex(""));
}

TEST_CASE("a blob over kMaxJsonDocumentBytes that is no layer is hashed but not kept") {
    const std::string big(limits::kMaxJsonDocumentBytes + 1, 'x');
    const BlobRecord record = scan_bytes(big);
    CHECK_FALSE(record.content.has_value());
    CHECK_FALSE(record.layer.has_value());
    CHECK(record.size == big.size());
    CHECK(record.digest.hex() == sha256_hex(big));
    // Also when fed without a size hint, the buffer is dropped once it passes the limit.
    const BlobRecord streamed = scan_in_chunks(big, 1 << 20);
    CHECK_FALSE(streamed.content.has_value());
}

TEST_CASE("sha512 blobs are hashed with sha512") {
    const BlobRecord record = scan_bytes("{}", {}, DigestAlgorithm::sha512);
    CHECK(record.digest.algorithm() == DigestAlgorithm::sha512);
    CHECK(record.digest == digest_of(DigestAlgorithm::sha512, "{}"));
    CHECK(reader::algorithm_for_path("blobs/sha512/abc") == DigestAlgorithm::sha512);
    CHECK(reader::algorithm_for_path("blobs/sha256/abc") == DigestAlgorithm::sha256);
    CHECK(reader::algorithm_for_path("manifest.json") == DigestAlgorithm::sha256);
}

TEST_CASE("a gzip bomb stops at max_layer_uncompressed_bytes with limit_exceeded") {
    const std::string tar = make_tar({{"zeros", std::string(20 * 1024 * 1024, '\0')}});
    const std::string gz = compress(tar, Filter::gzip);
    ScanOptions options;
    options.max_layer_uncompressed_bytes = 2 * 1024 * 1024;
    const BlobRecord record = scan_bytes(gz, options);
    CHECK(record.digest.hex() == sha256_hex(gz));  // the stored bytes are still fully hashed
    REQUIRE(record.layer.has_value());
    REQUIRE(record.layer->error.has_value());
    CHECK(record.layer->error->code == Errc::limit_exceeded);
    CHECK(record.layer->error->message.find("--max-layer-size") != std::string::npos);
    CHECK(record.layer->error->message.find("2097152") != std::string::npos);
    CHECK(record.layer->diff_id.empty());
    CHECK(record.layer->uncompressed_size <= options.max_layer_uncompressed_bytes);
}

TEST_CASE("a truncated gzip layer reports a layer error, not a failed pass") {
    const std::string gz = compress(make_tar({{"data", pseudo_random_bytes(300000)}}), Filter::gzip);
    const std::string cut = gz.substr(0, gz.size() / 2);
    const BlobRecord record = scan_bytes(cut);
    CHECK(record.digest.hex() == sha256_hex(cut));
    REQUIRE(record.layer.has_value());
    REQUIRE(record.layer->error.has_value());
    CHECK(record.layer->error->code == Errc::layer_malformed);
    CHECK(record.layer->error->message.find("gzip") != std::string::npos);
    CHECK(record.layer->diff_id.empty());
}

TEST_CASE("corrupt gzip data reports a layer error") {
    std::string gz = compress(make_tar({{"data", pseudo_random_bytes(300000)}}), Filter::gzip);
    for (std::size_t i = 20; i < 2000; ++i) gz[i] = static_cast<char>(0xff);
    const BlobRecord record = scan_bytes(gz);
    REQUIRE(record.layer.has_value());
    REQUIRE(record.layer->error.has_value());
    CHECK(record.layer->error->code == Errc::layer_malformed);
    CHECK(record.layer->diff_id.empty());
}

TEST_CASE("gzip magic followed by an invalid header is a layer error") {
    const std::string bogus = std::string("\x1f\x8b\x63\x00", 4) + std::string(100, 'z');
    const BlobRecord record = scan_bytes(bogus);
    REQUIRE(record.layer.has_value());
    REQUIRE(record.layer->error.has_value());
    CHECK(record.layer->error->code == Errc::layer_malformed);
}

TEST_CASE("corrupt zstd data reports a layer error") {
    std::string zst = compress(make_tar({{"data", pseudo_random_bytes(300000)}}), Filter::zstd);
    for (std::size_t i = 12; i < 400; ++i) zst[i] = static_cast<char>(0x5a);
    const BlobRecord record = scan_bytes(zst);
    REQUIRE(record.layer.has_value());
    REQUIRE(record.layer->error.has_value());
    CHECK(record.layer->diff_id.empty());
}

TEST_CASE("a gzip stream that is not a tar inside reports the tar error") {
    const std::string gz = compress(std::string(4096, 'j'), Filter::gzip);
    const BlobRecord record = scan_bytes(gz);
    REQUIRE(record.layer.has_value());
    REQUIRE(record.layer->error.has_value());
    CHECK(record.layer->diff_id.empty());
    CHECK(record.layer->uncompressed_size == 4096);
}

TEST_CASE("a scanner abandoned mid-layer joins its thread") {
    const std::string gz = compress(make_tar({{"data", pseudo_random_bytes(8 << 20)}}), Filter::gzip);
    reader::BlobScanner scanner("blob", DigestAlgorithm::sha256, 0, ScanOptions{});
    scanner.feed(reinterpret_cast<const std::uint8_t*>(gz.data()), gz.size() / 2);
    // destroyed without finish(): must not hang or crash
}

TEST_CASE("ProgressReporter reports at most every 64 MiB or 100 ms, and at the end") {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
    reader::ProgressReporter progress(
        [&](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); }, 1000);
    progress.advance(10);
    progress.advance(20);
    CHECK(calls.empty());
    progress.advance(64ULL * 1024 * 1024);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].first == 64ULL * 1024 * 1024 + 30);
    CHECK(calls[0].second == 1000);
    progress.advance(5);
    progress.done();
    REQUIRE(calls.size() == 2);
    CHECK(calls[1].first == 64ULL * 1024 * 1024 + 35);
}
