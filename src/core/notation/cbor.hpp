// Private to src/core/notation: a minimal strict CBOR (RFC 8949) decoder for COSE_Sign1, bounded
// in size, depth and item count. Definite lengths only; duplicate map keys, trailing bytes and
// floats are refused.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify::cbor {

// Nesting deeper than this is refused (a COSE_Sign1 is 3 levels deep).
inline constexpr int kMaxDepth = 16;
// Items in one array or map; an x5chain or a header map holds a handful.
inline constexpr std::uint64_t kMaxItems = 256;

enum class Type { unsigned_integer, negative_integer, bytes, text, array, map, tag, boolean, null };

struct MapEntry;

struct Item {
    Type type = Type::null;
    std::int64_t integer = 0;  // unsigned_integer, negative_integer (the value), tag (the number)
    bool boolean = false;
    std::string bytes;         // bytes and text
    std::vector<Item> items;   // array; tag: one item
    std::vector<MapEntry> map;  // not std::pair<Item, Item>: clang cannot instantiate it inside Item

    bool is_integer(std::int64_t value) const {
        return (type == Type::unsigned_integer || type == Type::negative_integer) && integer == value;
    }
    bool is_text(std::string_view value) const { return type == Type::text && bytes == value; }
    // The value of map key `key` (an integer or text Item), or nullptr.
    const Item* find(const Item& key) const;
};

// One key and its value, in the map's order.
struct MapEntry {
    MapEntry(Item key, Item value) : first(std::move(key)), second(std::move(value)) {}
    Item first, second;
};

Item integer_key(std::int64_t value);
Item text_key(std::string_view value);

// Exactly one item spanning `bytes`. Errors are Errc::signature_invalid naming `where`.
Expected<Item> decode(std::string_view bytes, std::string_view where);

// Encoders for building the COSE Sig_structure.
std::string encode_head(int major_type, std::uint64_t value);
std::string encode_bytes(std::string_view value);
std::string encode_text(std::string_view value);

}  // namespace edgeverify::cbor
