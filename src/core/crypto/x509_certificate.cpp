// X.509 certificate parsing through mbedTLS x509_crt: the fields the checks need are copied out;
// the extension list (criticality, unknown OIDs: mbedTLS 2.28 keeps neither) comes from
// x509_extensions.cpp. Signatures on certificates are verified by mbedTLS too.
#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"
#include "crypto/pem.hpp"
#include "crypto/x509_extensions.hpp"
#include "crypto/x509_time.hpp"
#include "edgeverify/civil_time.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {

std::int64_t crypto::x509_time_seconds(const mbedtls_x509_time& t) {
    return days_from_civil(t.year, static_cast<unsigned>(t.mon), static_cast<unsigned>(t.day)) * 86400 +
           t.hour * 3600 + t.min * 60 + t.sec;
}

namespace {

struct Crt {
    Crt() { mbedtls_x509_crt_init(&crt); }
    ~Crt() { mbedtls_x509_crt_free(&crt); }
    Crt(const Crt&) = delete;
    Crt& operator=(const Crt&) = delete;
    mbedtls_x509_crt crt;
};

std::string_view view(const mbedtls_x509_buf& buf) {
    return {reinterpret_cast<const char*>(buf.p), buf.len};
}

std::string short_name(const mbedtls_x509_buf& oid) {
    const char* name = nullptr;
    if (mbedtls_oid_get_attr_short_name(&oid, &name) == 0 && name != nullptr) {
        const std::string text = name;
        return text == "emailAddress" ? "E" : text;
    }
    return crypto::oid_to_string(view(oid));
}

std::string hash_name(mbedtls_md_type_t md) {
    const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md);
    if (info == nullptr) return "unknown";
    std::string name = mbedtls_md_get_name(info);
    for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return name;
}

}  // namespace

Expected<Certificate> parse_certificate_der(std::string_view der, std::string_view where) {
    Crt holder;
    mbedtls_x509_crt& crt = holder.crt;
    const int ret = mbedtls_x509_crt_parse_der(&crt, reinterpret_cast<const unsigned char*>(der.data()), der.size());
    if (ret != 0) {
        return make_error(Errc::key_malformed,
                          std::string(where) + ": not an X.509 certificate (" + crypto::mbedtls_error_text(ret) + ")");
    }
    if (crt.raw.len != der.size()) {
        return make_error(Errc::key_malformed, std::string(where) + ": bytes after the certificate");
    }
    Certificate out;
    out.der = std::string(der);
    out.tbs_der = std::string(view(crt.tbs));
    out.spki_der = std::string(view(crt.pk_raw));
    out.subject_der = std::string(view(crt.subject_raw));
    out.issuer_der = std::string(view(crt.issuer_raw));
    for (const mbedtls_x509_name* name = &crt.subject; name != nullptr; name = name->next) {
        if (name->oid.p == nullptr) continue;
        out.subject.emplace_back(short_name(name->oid), std::string(view(name->val)));
    }
    for (const auto& [key, value] : out.subject) {
        if (!out.subject_text.empty()) out.subject_text += ", ";
        out.subject_text += key + "=" + value;
    }
    out.not_before = crypto::x509_time_seconds(crt.valid_from);
    out.not_after = crypto::x509_time_seconds(crt.valid_to);
    out.serial_hex = hex_encode(view(crt.serial));
    out.version = crt.version;
    out.has_basic_constraints = (crt.ext_types & MBEDTLS_X509_EXT_BASIC_CONSTRAINTS) != 0;
    out.is_ca = out.has_basic_constraints && crt.ca_istrue != 0;
    // mbedTLS stores pathLenConstraint + 1, and 0 when absent.
    out.max_path_length = crt.max_pathlen > 0 ? crt.max_pathlen - 1 : -1;
    out.has_key_usage = (crt.ext_types & MBEDTLS_X509_EXT_KEY_USAGE) != 0;
    out.key_usage = crt.key_usage;
    out.has_extended_key_usage = (crt.ext_types & MBEDTLS_X509_EXT_EXTENDED_KEY_USAGE) != 0;
    for (const mbedtls_x509_sequence* usage = &crt.ext_key_usage; usage != nullptr && usage->buf.p != nullptr;
         usage = usage->next) {
        out.extended_key_usage.push_back(crypto::oid_to_string(view(usage->buf)));
    }
    out.signature_hash = hash_name(crt.sig_md);
    if (auto ok = crypto::read_certificate_extensions(view(crt.v3_ext), out, where); !ok) return ok.take_error();
    return out;
}

Expected<std::vector<Certificate>> parse_certificates_file(std::string_view content, std::string_view where) {
    std::vector<Certificate> out;
    if (content.find("-----BEGIN") == std::string_view::npos) {
        auto cert = parse_certificate_der(content, where);
        if (!cert) return cert.take_error();
        out.push_back(std::move(*cert));
        return out;
    }
    std::string_view rest = content;
    while (rest.find("-----BEGIN") != std::string_view::npos) {
        const std::size_t end_marker = rest.find("-----END");
        const std::size_t line_end = end_marker == std::string_view::npos ? end_marker : rest.find('\n', end_marker);
        const std::string_view block = rest.substr(0, line_end == std::string_view::npos ? rest.size() : line_end + 1);
        auto pem = crypto::pem_decode(block, where);
        if (!pem) return pem.take_error();
        if (pem->label != "CERTIFICATE") {
            return make_error(Errc::key_malformed,
                              std::string(where) + ": PEM block \"" + pem->label + "\" is not a CERTIFICATE");
        }
        auto cert = parse_certificate_der(pem->der, where);
        if (!cert) return cert.take_error();
        out.push_back(std::move(*cert));
        rest.remove_prefix(block.size());
    }
    if (rest.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        return make_error(Errc::key_malformed, std::string(where) + ": text after the last certificate");
    }
    return out;
}

Expected<PublicKey> certificate_public_key(const Certificate& cert, std::string_view where) {
    return parse_public_key_der(cert.spki_der, where);
}

Status verify_certificate_signature(const Certificate& subject, const Certificate& issuer) {
    Crt child, parent;
    if (mbedtls_x509_crt_parse_der(&child.crt, reinterpret_cast<const unsigned char*>(subject.der.data()),
                                   subject.der.size()) != 0 ||
        mbedtls_x509_crt_parse_der(&parent.crt, reinterpret_cast<const unsigned char*>(issuer.der.data()),
                                   issuer.der.size()) != 0) {
        return make_error(Errc::internal, "a parsed certificate no longer parses");
    }
    const mbedtls_x509_crt& c = child.crt;
    if (c.sig_md != MBEDTLS_MD_SHA256 && c.sig_md != MBEDTLS_MD_SHA384 && c.sig_md != MBEDTLS_MD_SHA512) {
        return make_error(Errc::signature_invalid, "certificate \"" + subject.subject_text + "\" is signed with " +
                                                       subject.signature_hash + " (only SHA-2 is accepted)");
    }
    unsigned char hash[64];
    const std::size_t length = crypto::hash_message(c.sig_md, view(c.tbs), hash);
    if (length == 0) return make_error(Errc::internal, "certificate hash failed");
    const int ret = mbedtls_pk_verify_ext(c.sig_pk, c.sig_opts, &parent.crt.pk, c.sig_md, hash, length, c.sig.p, c.sig.len);
    if (ret != 0) {
        return make_error(Errc::signature_invalid, "certificate \"" + subject.subject_text +
                                                       "\" is not signed by \"" + issuer.subject_text + "\"");
    }
    return {};
}

}  // namespace edgeverify
