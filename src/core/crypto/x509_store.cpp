// Named X.509 trust stores (trust/ca/<name>, or Notation's truststore/x509/<type>/<name>): every
// certificate file of one directory, admitted by the rule of the store's kind (FORMATS.md C.6).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/small_file.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {
namespace {

namespace fs = std::filesystem;

bool has_certificate_extension(const fs::path& path) {
    const std::string ext = path.extension().string();
    return ext == ".pem" || ext == ".crt" || ext == ".cer" || ext == ".der";
}

Status admit(const Certificate& cert, X509StoreKind kind, const std::string& where) {
    const bool self_signed = cert.self_issued() && verify_certificate_signature(cert, cert).has_value();
    if (kind == X509StoreKind::tsa) {
        if (!self_signed || !cert.is_ca) {
            return make_error(Errc::config, where + ": \"" + cert.subject_text +
                                                "\" is not a self-signed root CA (required in a tsa store)");
        }
        return {};
    }
    if (!cert.is_ca && !self_signed) {
        return make_error(Errc::config, where + ": \"" + cert.subject_text +
                                            "\" is neither a CA certificate nor a self-signed signing certificate");
    }
    return {};
}

}  // namespace

namespace crypto {

Expected<std::string> read_small_file(const fs::path& path, std::size_t max_bytes, Errc code) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return make_error(code, path.string() + ": cannot read (" + ec.message() + ")");
    if (size > max_bytes) {
        return make_error(Errc::limit_exceeded, path.string() + ": " + std::to_string(size) + " bytes exceeds " +
                                                    std::to_string(max_bytes));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in && !in.eof()) return make_error(code, path.string() + ": read failed");
    return content.str();
}

}  // namespace crypto

Expected<X509Store> load_x509_store(const std::string& directory, X509StoreKind kind) {
    const fs::path root(directory);
    std::error_code ec;
    if (fs::is_symlink(root, ec)) return make_error(Errc::config, directory + ": a trust store must not be a symlink");
    if (!fs::is_directory(root, ec)) return make_error(Errc::not_found, directory + ": no such trust store directory");
    X509Store store;
    store.name = root.filename().string();
    store.kind = kind;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path path = it->path();
        if (it->is_symlink(ec)) return make_error(Errc::config, path.string() + ": symlinks are not allowed in a trust store");
        if (it->is_directory(ec)) return make_error(Errc::config, path.string() + ": sub-directories are not allowed in a trust store");
        if (!has_certificate_extension(path)) {
            return make_error(Errc::config, path.string() + ": not a certificate file (.pem, .crt, .cer, .der)");
        }
        files.push_back(path);
        if (files.size() > limits::kMaxTrustKeyFiles) {
            return make_error(Errc::limit_exceeded, directory + ": more than kMaxTrustKeyFiles files");
        }
    }
    if (ec) return make_error(Errc::io_error, directory + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
        auto content = crypto::read_small_file(path, limits::kMaxTrustKeyFileBytes, Errc::io_error);
        if (!content) return content.take_error();
        auto certs = parse_certificates_file(*content, path.string());
        if (!certs) return make_error(Errc::config, certs.error().message);
        for (Certificate& cert : *certs) {
            if (auto ok = admit(cert, kind, path.string()); !ok) return ok.take_error();
            store.certificates.push_back(std::move(cert));
        }
    }
    if (store.certificates.empty()) return make_error(Errc::config, directory + ": the trust store holds no certificate");
    return store;
}

}  // namespace edgeverify
