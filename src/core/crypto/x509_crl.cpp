// Certificate revocation from CRL files on the device (trust/crl/): no network is ever used.
// Offline rule (docs/trust-policy.md): a certificate is "good" when a current CRL signed by its
// issuer does not list it, or when it names no revocation source at all (no CRL distribution
// point, no OCSP); "revoked" when a verified CRL lists it; "unknown" otherwise (it names a
// source but no current CRL from its issuer is on the device).
#include <mbedtls/x509_crl.h>

#include <algorithm>
#include <filesystem>

#include "crypto/key_impl.hpp"
#include "crypto/pem.hpp"
#include "crypto/small_file.hpp"
#include "crypto/x509_time.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {
namespace {

namespace fs = std::filesystem;

// A CRL file can list many serials; larger ones are refused by name.
constexpr std::size_t kMaxCrlFileBytes = 4 * 1024 * 1024;

struct Crl {
    Crl() { mbedtls_x509_crl_init(&crl); }
    ~Crl() { mbedtls_x509_crl_free(&crl); }
    Crl(const Crl&) = delete;
    Crl& operator=(const Crl&) = delete;
    mbedtls_x509_crl crl;
};

// Unix seconds of a CRL time; 0 when absent (a CRL without nextUpdate).
std::int64_t seconds(const mbedtls_x509_time& t) { return t.year == 0 ? 0 : crypto::x509_time_seconds(t); }

Expected<RevocationList> parse_crl(std::string_view der, const std::string& where) {
    Crl holder;
    const int ret = mbedtls_x509_crl_parse_der(&holder.crl, reinterpret_cast<const unsigned char*>(der.data()), der.size());
    if (ret != 0) return make_error(Errc::config, where + ": not an X.509 CRL (" + crypto::mbedtls_error_text(ret) + ")");
    const mbedtls_x509_crl& crl = holder.crl;
    RevocationList out;
    out.der = std::string(der);
    out.where = where;
    out.issuer_der.assign(reinterpret_cast<const char*>(crl.issuer_raw.p), crl.issuer_raw.len);
    out.this_update = seconds(crl.this_update);
    out.next_update = seconds(crl.next_update);
    for (const mbedtls_x509_crl_entry* entry = &crl.entry; entry != nullptr; entry = entry->next) {
        if (entry->serial.p == nullptr) continue;
        const std::string_view serial(reinterpret_cast<const char*>(entry->serial.p), entry->serial.len);
        out.revoked_serials_hex.push_back(hex_encode(serial));
    }
    return out;
}

// Whether `issuer`'s key signed the CRL (SHA-2 only, as for certificates).
bool crl_signed_by(const RevocationList& list, const Certificate& issuer) {
    Crl holder;
    if (mbedtls_x509_crl_parse_der(&holder.crl, reinterpret_cast<const unsigned char*>(list.der.data()), list.der.size()) != 0)
        return false;
    const mbedtls_x509_crl& crl = holder.crl;
    if (crl.sig_md != MBEDTLS_MD_SHA256 && crl.sig_md != MBEDTLS_MD_SHA384 && crl.sig_md != MBEDTLS_MD_SHA512) return false;
    auto key = certificate_public_key(issuer, "CRL issuer");
    if (!key) return false;
    unsigned char hash[64];
    const std::size_t length = crypto::hash_message(
        crl.sig_md, std::string_view(reinterpret_cast<const char*>(crl.tbs.p), crl.tbs.len), hash);
    if (length == 0) return false;
    const PublicKey::Impl& impl = key->impl();
    std::lock_guard<std::mutex> guard(impl.lock);
    return mbedtls_pk_verify_ext(crl.sig_pk, crl.sig_opts, &impl.pk, crl.sig_md, hash, length, crl.sig.p, crl.sig.len) == 0;
}

}  // namespace

Expected<std::vector<RevocationList>> load_revocation_lists(const std::string& directory) {
    std::vector<RevocationList> out;
    std::error_code ec;
    if (!fs::exists(directory, ec)) return out;  // no trust/crl/: nothing cached
    std::vector<fs::path> files;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec) || it->is_symlink(ec)) {
            return make_error(Errc::config, it->path().string() + ": only regular CRL files belong in trust/crl/");
        }
        files.push_back(it->path());
        if (files.size() > limits::kMaxTrustKeyFiles) return make_error(Errc::limit_exceeded, directory + ": too many CRL files");
    }
    if (ec) return make_error(Errc::io_error, directory + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
        auto content = crypto::read_small_file(path, kMaxCrlFileBytes, Errc::io_error);
        if (!content) return content.take_error();
        std::string der = *content;
        if (content->find("-----BEGIN") != std::string::npos) {
            auto pem = crypto::pem_decode(*content, path.string());
            if (!pem || pem->label != "X509 CRL") return make_error(Errc::config, path.string() + ": not a PEM \"X509 CRL\"");
            der = pem->der;
        }
        auto list = parse_crl(der, path.string());
        if (!list) return list.take_error();
        out.push_back(std::move(*list));
    }
    return out;
}

RevocationStatus crl_status(const Certificate& cert, const Certificate& issuer, const std::vector<RevocationList>& crls,
                            std::int64_t at, std::string& detail) {
    bool current_crl = false;
    for (const RevocationList& list : crls) {
        if (list.issuer_der != issuer.subject_der || !crl_signed_by(list, issuer)) continue;
        if (std::find(list.revoked_serials_hex.begin(), list.revoked_serials_hex.end(), cert.serial_hex) !=
            list.revoked_serials_hex.end()) {
            detail = "certificate \"" + cert.subject_text + "\" is revoked by " + list.where;
            return RevocationStatus::revoked;
        }
        if (list.this_update <= at && (list.next_update == 0 || at < list.next_update)) current_crl = true;
    }
    if (current_crl || !cert.has_revocation_pointers) return RevocationStatus::good;
    detail = "certificate \"" + cert.subject_text + "\" names a revocation source but no current CRL from \"" +
             issuer.subject_text + "\" is in trust/crl/";
    return RevocationStatus::unknown;
}

}  // namespace edgeverify
