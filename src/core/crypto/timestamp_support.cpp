// Hash names, GeneralizedTime and the CMS SignerInfo signature check for RFC 3161 tokens (the
// mbedTLS calls of the timestamp code live here, behind src/core/crypto).
#include <mbedtls/rsa.h>

#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"
#include "crypto/timestamp_support.hpp"

namespace edgeverify::timestamp_detail {
namespace {

Error invalid(const std::string& why) {
    return make_error(Errc::signature_invalid, why);
}

mbedtls_md_type_t md_of(std::string_view name) {
    if (name == "sha1") return MBEDTLS_MD_SHA1;
    if (name == "sha256") return MBEDTLS_MD_SHA256;
    if (name == "sha384") return MBEDTLS_MD_SHA384;
    if (name == "sha512") return MBEDTLS_MD_SHA512;
    return MBEDTLS_MD_NONE;
}

// The hash named by an AlgorithmIdentifier element's OID (PSS parameters), or empty.
std::string hash_of_algorithm(std::string_view element) {
    auto contents = crypto::der_single(element, crypto::kDerSequence);
    if (!contents) return {};
    crypto::DerReader fields(*contents);
    auto oid = fields.read(crypto::kDerOid);
    return oid ? hash_name(crypto::oid_to_string(*oid)) : std::string();
}

struct PssParams {
    std::string hash = "sha1", mgf_hash = "sha1";
    int salt = 20;
};

std::optional<PssParams> parse_pss_params(std::string_view params) {
    PssParams out;
    auto contents = crypto::der_single(params, crypto::kDerSequence);
    if (!contents) return std::nullopt;
    crypto::DerReader fields(*contents);
    if (fields.peek_tag() == 0xA0)
        out.hash = hash_of_algorithm(fields.read(0xA0).value_or(std::string_view()));
    if (fields.peek_tag() == 0xA1) {
        auto mgf = crypto::der_single(fields.read(0xA1).value_or(std::string_view()), crypto::kDerSequence);
        if (!mgf) return std::nullopt;
        crypto::DerReader mgf_fields(*mgf);
        auto oid = mgf_fields.read(crypto::kDerOid);
        auto hash = mgf_fields.read_element(crypto::kDerSequence);
        if (!oid || crypto::oid_to_string(*oid) != "1.2.840.113549.1.1.8" || !hash) return std::nullopt;
        out.mgf_hash = hash_of_algorithm(*hash);
    }
    if (fields.peek_tag() == 0xA2) {
        auto salt = crypto::der_single(fields.read(0xA2).value_or(std::string_view()), crypto::kDerInteger);
        if (!salt || salt->empty() || salt->size() > 2) return std::nullopt;
        out.salt = 0;
        for (const char c : *salt) out.salt = (out.salt << 8) | static_cast<std::uint8_t>(c);
    }
    if (fields.peek_tag() == 0xA3) fields.read(0xA3);
    if (!fields.empty()) return std::nullopt;
    return out;
}

}  // namespace

std::string hash_name(std::string_view dotted_oid) {
    if (dotted_oid == "1.3.14.3.2.26") return "sha1";
    if (dotted_oid == "2.16.840.1.101.3.4.2.1") return "sha256";
    if (dotted_oid == "2.16.840.1.101.3.4.2.2") return "sha384";
    if (dotted_oid == "2.16.840.1.101.3.4.2.3") return "sha512";
    return {};
}

std::optional<std::string> hash_bytes(std::string_view name, std::string_view bytes) {
    const mbedtls_md_type_t md = md_of(name);
    if (md == MBEDTLS_MD_NONE) return std::nullopt;
    unsigned char out[64];
    const std::size_t length = crypto::hash_message(md, bytes, out);
    if (length == 0) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(out), length);
}

std::optional<std::int64_t> parse_generalized_time(std::string_view text) {
    if (text.size() < 15 || text.back() != 'Z') return std::nullopt;
    const std::string_view fraction = text.substr(14, text.size() - 15);
    if (!fraction.empty()) {
        if (fraction.size() < 2 || fraction[0] != '.' || fraction.back() == '0') return std::nullopt;
        for (const char c : fraction.substr(1))
            if (c < '0' || c > '9') return std::nullopt;
    }
    int parts[6];
    const int widths[6] = {4, 2, 2, 2, 2, 2};
    std::size_t pos = 0;
    for (int i = 0; i < 6; ++i) {
        int value = 0;
        for (int k = 0; k < widths[i]; ++k, ++pos) {
            if (text[pos] < '0' || text[pos] > '9') return std::nullopt;
            value = value * 10 + (text[pos] - '0');
        }
        parts[i] = value;
    }
    const int year = parts[0], month = parts[1], day = parts[2];
    static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap) ||
        parts[3] > 23 || parts[4] > 59 || parts[5] > 59) {
        return std::nullopt;
    }
    // Days from the civil date (proleptic Gregorian), 1970-01-01 = 0.
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = y / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    return days * 86400 + parts[3] * 3600 + parts[4] * 60 + parts[5];
}

Status verify_cms_signature(const PublicKey& key, std::string_view algorithm_oid, std::string_view params,
                            std::string_view digest, std::string_view message, std::string_view signature) {
    std::string hash = std::string(digest);
    enum class Kind { pkcs1, pss, ecdsa } kind;
    PssParams pss;
    if (algorithm_oid == "1.2.840.113549.1.1.1") {
        kind = Kind::pkcs1;
    } else if (algorithm_oid == "1.2.840.113549.1.1.11" || algorithm_oid == "1.2.840.113549.1.1.12" ||
               algorithm_oid == "1.2.840.113549.1.1.13") {
        kind = Kind::pkcs1;
        hash = algorithm_oid.back() == '1' ? "sha256" : algorithm_oid.back() == '2' ? "sha384" : "sha512";
    } else if (algorithm_oid == "1.2.840.113549.1.1.10") {
        kind = Kind::pss;
        auto parsed = parse_pss_params(params);
        if (!parsed || parsed->hash != parsed->mgf_hash) return invalid("malformed RSASSA-PSS parameters");
        pss = *parsed;
        hash = pss.hash;
    } else if (algorithm_oid == "1.2.840.10045.2.1") {
        kind = Kind::ecdsa;
    } else if (algorithm_oid == "1.2.840.10045.4.3.2" || algorithm_oid == "1.2.840.10045.4.3.3" ||
               algorithm_oid == "1.2.840.10045.4.3.4") {
        kind = Kind::ecdsa;
        hash = algorithm_oid.back() == '2' ? "sha256" : algorithm_oid.back() == '3' ? "sha384" : "sha512";
    } else {
        return invalid("signature algorithm " + std::string(algorithm_oid) + " is not supported");
    }
    const mbedtls_md_type_t md = hash == "sha1" ? MBEDTLS_MD_NONE : md_of(hash);
    if (md == MBEDTLS_MD_NONE)
        return invalid("signature hash " + hash + " is not accepted (SHA-256/384/512 are)");
    const bool rsa = key.type() == KeyType::rsa;
    if (key.type() == KeyType::ed25519 || rsa != (kind != Kind::ecdsa)) {
        return invalid("signature algorithm " + std::string(algorithm_oid) + " does not fit the TSA's " +
                       std::string(key_type_name(key.type())) + " key");
    }
    unsigned char hashed[64];
    const std::size_t length = crypto::hash_message(md, message, hashed);
    if (length == 0) return make_error(Errc::internal, "hash of the signed attributes failed");
    const PublicKey::Impl& impl = key.impl();
    std::lock_guard<std::mutex> guard(impl.lock);
    const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
    int ret = 0;
    if (kind == Kind::pss) {
        mbedtls_pk_rsassa_pss_options options{};
        options.mgf1_hash_id = md;
        options.expected_salt_len = pss.salt;
        ret = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &options, &impl.pk, md, hashed, length, sig,
                                    signature.size());
    } else {
        if (rsa && signature.size() != mbedtls_pk_get_len(&impl.pk))
            return invalid("RSA signature has the wrong length");
        ret = mbedtls_pk_verify(&impl.pk, md, hashed, length, sig, signature.size());
    }
    if (ret != 0)
        return invalid(
            "the signature over the signed attributes does not verify with the TSA certificate's key");
    return {};
}

}  // namespace edgeverify::timestamp_detail
