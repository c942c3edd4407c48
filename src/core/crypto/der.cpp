// Minimal DER reader and writer for key and signature structures.
#include "crypto/der.hpp"

namespace edgeverify::crypto {

std::optional<std::uint8_t> DerReader::peek_tag() const {
    if (rest_.empty()) return std::nullopt;
    return static_cast<std::uint8_t>(rest_[0]);
}

std::optional<std::string_view> DerReader::read(std::uint8_t tag) {
    if (rest_.size() < 2 || static_cast<std::uint8_t>(rest_[0]) != tag) return std::nullopt;
    std::size_t pos = 1;
    std::size_t length = static_cast<std::uint8_t>(rest_[pos++]);
    if (length & 0x80) {
        const std::size_t count = length & 0x7F;
        // Lengths up to 2^32 - 1 are plenty for keys and signatures; 0x80 (indefinite) is not DER.
        if (count == 0 || count > 4 || rest_.size() < pos + count) return std::nullopt;
        length = 0;
        for (std::size_t i = 0; i < count; ++i)
            length = (length << 8) | static_cast<std::uint8_t>(rest_[pos++]);
        // DER: the shortest form, no leading zero bytes.
        if (length < 0x80 || (count > 1 && (length >> (8 * (count - 1))) == 0)) return std::nullopt;
    }
    if (rest_.size() - pos < length) return std::nullopt;
    const std::string_view contents = rest_.substr(pos, length);
    rest_.remove_prefix(pos + length);
    return contents;
}

std::optional<std::string_view> DerReader::read_element(std::uint8_t tag) {
    const char* start = rest_.data();
    auto contents = read(tag);
    if (!contents) return std::nullopt;
    return std::string_view(start, static_cast<std::size_t>(contents->data() + contents->size() - start));
}

std::optional<std::string_view> der_single(std::string_view bytes, std::uint8_t tag) {
    DerReader reader(bytes);
    auto contents = reader.read(tag);
    if (!contents || !reader.empty()) return std::nullopt;
    return contents;
}

std::string der_element(std::uint8_t tag, std::string_view contents) {
    std::string out(1, static_cast<char>(tag));
    const std::size_t length = contents.size();
    if (length < 0x80) {
        out.push_back(static_cast<char>(length));
    } else {
        std::string bytes;
        for (std::size_t rest = length; rest != 0; rest >>= 8)
            bytes.insert(bytes.begin(), static_cast<char>(rest & 0xFF));
        out.push_back(static_cast<char>(0x80 | bytes.size()));
        out += bytes;
    }
    out += contents;
    return out;
}

std::string oid_to_string(std::string_view encoded) {
    if (encoded.empty()) return {};
    std::string out;
    std::uint64_t value = 0;
    bool first = true;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const auto byte = static_cast<std::uint8_t>(encoded[i]);
        if (value == 0 && byte == 0x80) return {};  // non-minimal encoding
        if (value > (UINT64_MAX >> 7)) return {};
        value = (value << 7) | (byte & 0x7F);
        if (byte & 0x80) {
            if (i + 1 == encoded.size()) return {};  // truncated arc
            continue;
        }
        if (first) {
            const std::uint64_t top = value < 40 ? 0 : value < 80 ? 1 : 2;
            out = std::to_string(top) + "." + std::to_string(value - 40 * top);
            first = false;
        } else {
            out += "." + std::to_string(value);
        }
        value = 0;
    }
    return out;
}

std::optional<SpkiAlgorithm> read_spki_algorithm(std::string_view spki_der) {
    const auto spki = der_single(spki_der, kDerSequence);
    if (!spki) return std::nullopt;
    DerReader fields(*spki);
    const auto algorithm = fields.read(kDerSequence);
    const auto key_bits = fields.read(kDerBitString);
    if (!algorithm || !key_bits || !fields.empty()) return std::nullopt;
    DerReader alg(*algorithm);
    const auto oid = alg.read(kDerOid);
    if (!oid) return std::nullopt;
    SpkiAlgorithm out;
    out.oid = oid_to_string(*oid);
    if (out.oid.empty()) return std::nullopt;
    if (alg.peek_tag() == kDerOid) out.params_oid = oid_to_string(*alg.read(kDerOid));
    out.key_bits = *key_bits;
    return out;
}

}  // namespace edgeverify::crypto
