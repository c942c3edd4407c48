// Embedded SCTs of a keyless (Fulcio) certificate, RFC 6962 3.2-3.3 (FORMATS.md B.4 step 5):
// the TLS-encoded SCT list read with every length bounded by what remains, the precertificate
// TBS rebuilt without the SCT extension, and each SCT's signature checked with a trusted CT log key.
#include "edgeverify/sct.hpp"

#include <optional>
#include <string>

#include "crypto/der.hpp"
#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify {
namespace {

constexpr std::uint8_t kDerExtensionsTag = 0xA3;  // [3] EXPLICIT Extensions in a TBSCertificate
constexpr std::uint8_t kTlsHashSha256 = 4;
constexpr std::uint8_t kTlsSignatureRsa = 1;
constexpr std::uint8_t kTlsSignatureEcdsa = 3;
constexpr std::size_t kLogIdBytes = 32;

// Big-endian TLS fields (RFC 5246 4), front to back; nullopt when fewer bytes remain.
class TlsReader {
public:
    explicit TlsReader(std::string_view bytes) : rest_(bytes) {}
    std::optional<std::string_view> bytes(std::size_t count) {
        if (rest_.size() < count) return std::nullopt;
        const std::string_view out = rest_.substr(0, count);
        rest_.remove_prefix(count);
        return out;
    }
    std::optional<std::uint64_t> number(std::size_t width) {
        const auto raw = bytes(width);
        if (!raw) return std::nullopt;
        std::uint64_t value = 0;
        for (const char c : *raw) value = (value << 8) | static_cast<std::uint8_t>(c);
        return value;
    }
    // opaque<0..2^(8*width)-1>: a length of `width` bytes, then that many bytes.
    std::optional<std::string_view> vector(std::size_t width) {
        const auto length = number(width);
        if (!length) return std::nullopt;
        return bytes(static_cast<std::size_t>(*length));
    }
    bool empty() const { return rest_.empty(); }
    std::size_t size() const { return rest_.size(); }

private:
    std::string_view rest_;
};

void put_number(std::string& out, std::uint64_t value, std::size_t width) {
    for (std::size_t i = width; i-- > 0;) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

Expected<SignedCertificateTimestamp> parse_sct(std::string_view bytes, const std::string& what) {
    const auto bad = [&](const std::string& why) {
        return make_error(Errc::key_malformed, what + ": " + why);
    };
    TlsReader in(bytes);
    SignedCertificateTimestamp sct;
    const auto version = in.number(1);
    if (!version) return bad("empty");
    if (*version != 0) return bad("version " + std::to_string(*version) + " is not v1 (0)");
    sct.version = 0;
    const auto log_id = in.bytes(kLogIdBytes);
    if (!log_id) return bad("log id shorter than 32 bytes");
    sct.log_id = std::string(*log_id);
    const auto timestamp = in.number(8);
    if (!timestamp) return bad("truncated timestamp");
    sct.timestamp_ms = *timestamp;
    const auto extensions = in.vector(2);
    if (!extensions) return bad("extensions length overflows the SCT");
    sct.extensions = std::string(*extensions);
    const auto hash = in.number(1);
    const auto signature_algorithm = in.number(1);
    if (!hash || !signature_algorithm) return bad("truncated signature algorithm");
    sct.hash_algorithm = static_cast<std::uint8_t>(*hash);
    sct.signature_algorithm = static_cast<std::uint8_t>(*signature_algorithm);
    const auto signature = in.vector(2);
    if (!signature) return bad("signature length overflows the SCT");
    if (signature->empty()) return bad("empty signature");
    sct.signature = std::string(*signature);
    if (!in.empty()) return bad(std::to_string(in.size()) + " bytes after the signature");
    return sct;
}

// Why SCT `sct` does not verify with any key of `ct_logs`; nullopt and `used` set when one does.
std::optional<std::string> sct_refusal(const SignedCertificateTimestamp& sct, const std::string& signed_data,
                                       const std::vector<CtLogKey>& ct_logs, const CtLogKey*& used) {
    std::optional<std::string> why;
    for (const CtLogKey& log : ct_logs) {
        if (log.log_id != sct.log_id) continue;
        const auto seconds = static_cast<std::int64_t>(sct.timestamp_ms / 1000);
        if ((log.valid_from && seconds < *log.valid_from) ||
            (log.valid_until && seconds > *log.valid_until)) {
            why = "timestamp " + std::to_string(sct.timestamp_ms) + " ms is outside the validFor of " +
                  log.origin;
            continue;
        }
        const bool ecdsa = log.key.type() != KeyType::rsa && log.key.type() != KeyType::ed25519;
        if (sct.hash_algorithm != kTlsHashSha256 ||
            sct.signature_algorithm != (ecdsa ? kTlsSignatureEcdsa : kTlsSignatureRsa) ||
            log.key.type() == KeyType::ed25519) {
            why = "signature algorithm (hash " + std::to_string(sct.hash_algorithm) + ", signature " +
                  std::to_string(sct.signature_algorithm) + ") does not fit the " +
                  std::string(key_type_name(log.key.type())) + " key of " + log.origin;
            continue;
        }
        const SignatureScheme scheme =
            ecdsa ? SignatureScheme::ecdsa_sha256 : SignatureScheme::rsa_pkcs1_sha256;
        if (verify_signature(log.key, signed_data, sct.signature, scheme)) {
            used = &log;
            return std::nullopt;
        }
        why = "signature does not verify with " + log.origin;
    }
    if (!why) why = "log " + hex_encode(sct.log_id) + " is not a trusted CT log";
    return why;
}

}  // namespace

Expected<std::vector<SignedCertificateTimestamp>> parse_sct_list(std::string_view extension_value,
                                                                 std::string_view where) {
    const std::string what = std::string(where) + ": SCT list";
    const auto bad = [&](const std::string& why) {
        return make_error(Errc::key_malformed, what + ": " + why);
    };
    const auto octets = crypto::der_single(extension_value, crypto::kDerOctetString);
    if (!octets) return bad("not one DER OCTET STRING");
    TlsReader outer(*octets);
    const auto list_bytes = outer.vector(2);
    if (!list_bytes) return bad("list length overflows the extension");
    if (!outer.empty()) return bad(std::to_string(outer.size()) + " bytes after the list");
    if (list_bytes->empty()) return bad("the list is empty (RFC 6962 requires at least one SCT)");
    TlsReader list(*list_bytes);
    std::vector<SignedCertificateTimestamp> out;
    while (!list.empty()) {
        if (out.size() == limits::kMaxEmbeddedScts) {
            return make_error(Errc::limit_exceeded, what + ": more than kMaxEmbeddedScts (" +
                                                        std::to_string(limits::kMaxEmbeddedScts) + ") SCTs");
        }
        const std::string item = what + ": SCT " + std::to_string(out.size());
        const auto sct_bytes = list.vector(2);
        if (!sct_bytes) return make_error(Errc::key_malformed, item + ": length overflows the list");
        auto sct = parse_sct(*sct_bytes, item);
        if (!sct) return sct.take_error();
        out.push_back(std::move(*sct));
    }
    return out;
}

Expected<std::string> precert_tbs_certificate(const Certificate& leaf, std::string_view where) {
    const auto bad = [&](const std::string& why) {
        return make_error(Errc::key_malformed, std::string(where) + ": TBSCertificate: " + why);
    };
    const auto tbs = crypto::der_single(leaf.tbs_der, crypto::kDerSequence);
    if (!tbs) return bad("not one DER SEQUENCE");
    crypto::DerReader fields(*tbs);
    std::string rebuilt;
    while (!fields.empty()) {
        const auto tag = fields.peek_tag();
        const auto element = tag ? fields.read_element(*tag) : std::nullopt;
        if (!element) return bad("a field is not DER");
        if (*tag != kDerExtensionsTag) {
            rebuilt += *element;
            continue;
        }
        const auto wrapped = crypto::der_single(*element, kDerExtensionsTag);
        const auto list = wrapped ? crypto::der_single(*wrapped, crypto::kDerSequence) : std::nullopt;
        if (!list) return bad("extensions are not one DER SEQUENCE");
        crypto::DerReader entries(*list);
        std::string kept;
        while (!entries.empty()) {
            const auto entry = entries.read_element(crypto::kDerSequence);
            if (!entry) return bad("an extension is not a SEQUENCE");
            crypto::DerReader entry_fields(*crypto::der_single(*entry, crypto::kDerSequence));
            const auto oid = entry_fields.read(crypto::kDerOid);
            if (!oid) return bad("an extension has no extnID");
            if (crypto::oid_to_string(*oid) != kSctListOid) kept += *entry;
        }
        // RFC 6962 3.2: the precertificate's extensions without the SCT list; with none left the
        // optional [3] field is absent.
        if (!kept.empty()) {
            rebuilt +=
                crypto::der_element(kDerExtensionsTag, crypto::der_element(crypto::kDerSequence, kept));
        }
    }
    return crypto::der_element(crypto::kDerSequence, rebuilt);
}

std::string sct_signed_data(const SignedCertificateTimestamp& sct, std::string_view issuer_key_hash,
                            std::string_view precert_tbs) {
    std::string out;
    put_number(out, sct.version, 1);
    put_number(out, 0, 1);  // signature_type certificate_timestamp
    put_number(out, sct.timestamp_ms, 8);
    put_number(out, 1, 2);  // entry_type precert_entry
    out += issuer_key_hash;
    put_number(out, precert_tbs.size(), 3);
    out += precert_tbs;
    put_number(out, sct.extensions.size(), 2);
    out += sct.extensions;
    return out;
}

Expected<const CtLogKey*> verify_embedded_scts(const Certificate& leaf, const Certificate& issuer,
                                               const std::vector<CtLogKey>& ct_logs, std::string_view where) {
    if (ct_logs.empty()) {
        return make_error(Errc::untrusted,
                          "the trust store has no CT log key (sigstore/trusted_root.json ctlogs)");
    }
    const CertificateExtension* extension = leaf.extension(kSctListOid);
    if (extension == nullptr)
        return make_error(Errc::untrusted, "the signing certificate has no embedded SCT");
    auto scts = parse_sct_list(extension->value, where);
    if (!scts) return scts.take_error();
    auto tbs = precert_tbs_certificate(leaf, where);
    if (!tbs) return tbs.take_error();
    if (tbs->size() > 0xFFFFFF) {
        return make_error(Errc::key_malformed, std::string(where) + ": TBSCertificate over 2^24-1 bytes");
    }
    const std::string issuer_key_hash = sha256_bytes(issuer.spki_der);
    std::string reasons;
    for (std::size_t i = 0; i < scts->size(); ++i) {
        const CtLogKey* used = nullptr;
        const auto refusal =
            sct_refusal((*scts)[i], sct_signed_data((*scts)[i], issuer_key_hash, *tbs), ct_logs, used);
        if (!refusal) return used;
        reasons += (reasons.empty() ? "SCT " : "; SCT ") + std::to_string(i) + ": " + *refusal;
    }
    return make_error(Errc::untrusted, "no SCT verifies with a trusted CT log key (" + reasons + ")");
}

}  // namespace edgeverify
