// Minimal strict CBOR decoding and the few encoders COSE_Sign1 verification needs.
#include "notation/cbor.hpp"

#include <limits>

namespace edgeverify::cbor {
namespace {

bool same_key(const Item& a, const Item& b) {
    if (a.type != b.type) return false;
    if (a.type == Type::text || a.type == Type::bytes) return a.bytes == b.bytes;
    return a.integer == b.integer;
}

class Decoder {
public:
    Decoder(std::string_view bytes, std::string_view where) : rest_(bytes), where_(where) {}

    Expected<Item> item(int depth) {
        if (depth > kMaxDepth) return bad("nesting deeper than kMaxDepth");
        if (rest_.empty()) return bad("ends in the middle of an item");
        const auto initial = static_cast<std::uint8_t>(rest_[0]);
        rest_.remove_prefix(1);
        const int major = initial >> 5;
        const int info = initial & 0x1F;
        if (major == 7) return simple(info);
        auto argument = read_argument(info);
        if (!argument) return argument.take_error();
        const std::uint64_t value = *argument;
        Item out;
        switch (major) {
            case 0:
            case 1:
                if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return bad("integer out of range");
                out.type = major == 0 ? Type::unsigned_integer : Type::negative_integer;
                out.integer = major == 0 ? static_cast<std::int64_t>(value) : -1 - static_cast<std::int64_t>(value);
                return out;
            case 2:
            case 3:
                if (value > rest_.size()) return bad("a string runs past the end");
                out.type = major == 2 ? Type::bytes : Type::text;
                out.bytes = std::string(rest_.substr(0, value));
                rest_.remove_prefix(value);
                return out;
            case 4:
            case 5: {
                if (value > kMaxItems) return bad("more than kMaxItems entries in an array or map");
                out.type = major == 4 ? Type::array : Type::map;
                for (std::uint64_t i = 0; i < value; ++i) {
                    auto first = item(depth + 1);
                    if (!first) return first.take_error();
                    if (major == 4) {
                        out.items.push_back(std::move(*first));
                        continue;
                    }
                    for (const auto& entry : out.map)
                        if (same_key(entry.first, *first)) return bad("a map repeats a key");
                    auto second = item(depth + 1);
                    if (!second) return second.take_error();
                    out.map.emplace_back(std::move(*first), std::move(*second));
                }
                return out;
            }
            case 6: {
                out.type = Type::tag;
                if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return bad("tag out of range");
                out.integer = static_cast<std::int64_t>(value);
                auto tagged = item(depth + 1);
                if (!tagged) return tagged.take_error();
                out.items.push_back(std::move(*tagged));
                return out;
            }
        }
        return bad("unknown major type");
    }

    bool done() const { return rest_.empty(); }
    Error bad(const std::string& why) const {
        return make_error(Errc::signature_invalid, std::string(where_) + ": CBOR " + why);
    }

private:
    Expected<std::uint64_t> read_argument(int info) {
        if (info < 24) return static_cast<std::uint64_t>(info);
        if (info == 31) return bad("indefinite lengths are not accepted");
        if (info > 27) return bad("reserved additional information");
        const std::size_t count = std::size_t{1} << (info - 24);
        if (rest_.size() < count) return bad("ends in the middle of an item head");
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < count; ++i) value = (value << 8) | static_cast<std::uint8_t>(rest_[i]);
        rest_.remove_prefix(count);
        return value;
    }

    Expected<Item> simple(int info) {
        Item out;
        if (info == 20 || info == 21) {
            out.type = Type::boolean;
            out.boolean = info == 21;
            return out;
        }
        if (info == 22) return out;  // null
        return bad("floats, undefined and other simple values are not accepted");
    }

    std::string_view rest_;
    std::string_view where_;
};

}  // namespace

const Item* Item::find(const Item& key) const {
    for (const auto& [k, v] : map)
        if (same_key(k, key)) return &v;
    return nullptr;
}

Item integer_key(std::int64_t value) {
    Item out;
    out.type = value >= 0 ? Type::unsigned_integer : Type::negative_integer;
    out.integer = value;
    return out;
}

Item text_key(std::string_view value) {
    Item out;
    out.type = Type::text;
    out.bytes = std::string(value);
    return out;
}

Expected<Item> decode(std::string_view bytes, std::string_view where) {
    Decoder decoder(bytes, where);
    auto item = decoder.item(0);
    if (!item) return item.take_error();
    if (!decoder.done()) return decoder.bad("has bytes after the item");
    return item;
}

std::string encode_head(int major_type, std::uint64_t value) {
    std::string out;
    const auto initial = static_cast<char>(major_type << 5);
    if (value < 24) return std::string(1, static_cast<char>(initial | static_cast<char>(value)));
    int count = value <= 0xFF ? 1 : value <= 0xFFFF ? 2 : value <= 0xFFFFFFFFu ? 4 : 8;
    const int info = count == 1 ? 24 : count == 2 ? 25 : count == 4 ? 26 : 27;
    out.push_back(static_cast<char>(initial | static_cast<char>(info)));
    for (int i = count - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    return out;
}

std::string encode_bytes(std::string_view value) { return encode_head(2, value.size()) + std::string(value); }
std::string encode_text(std::string_view value) { return encode_head(3, value.size()) + std::string(value); }

}  // namespace edgeverify::cbor
