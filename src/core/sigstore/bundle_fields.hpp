// Strict proto3-JSON field access for the Sigstore bundle parser: every error is a
// schema_violation naming the document and the JSON path ("bundle.json: verificationMaterial.
// tlogEntries[0].logIndex: ..."). Private to src/core/sigstore.
//
// proto3 JSON semantics: a member that is absent or JSON null holds the field's default (0, "",
// empty list), members the message does not define are refused, int64 is a decimal string or an
// integral number, bytes are base64.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/sigstore_bundle.hpp"

namespace edgeverify::sigstore_detail {

// A location inside a document: `where` (the document, which must outlive this) and a path.
class At {
public:
    explicit At(std::string_view where) : where_(where) {}
    At field(std::string_view key) const;
    At item(std::size_t index) const;
    const std::string& path() const { return path_; }
    std::string_view where() const { return where_; }

private:
    At(std::string_view where, std::string path) : where_(where), path_(std::move(path)) {}
    std::string_view where_;
    std::string path_;
};

// "<where>: <path>: <problem>" (Errc::schema_violation).
Error violation(const At& at, std::string_view problem);

// `value` must be an object whose members are all among `members`.
Status only_members(const Json& value, const At& at, std::initializer_list<std::string_view> members);

// The member `key` of an object, or nullptr when it is absent or null (proto3: the default).
const Json* member(const Json& object, std::string_view key);

// A string member; absent -> "" (or an error when `required`, which also refuses "").
Expected<std::string> string_field(const Json& object, std::string_view key, const At& at, bool required);

// A bytes member (strict base64), decoded; absent -> "" (or an error when `required`, which also
// refuses an empty value).
Expected<std::string> bytes_field(const Json& object, std::string_view key, const At& at, bool required);

// A non-negative int64 member: a decimal string or an integral JSON number; absent -> 0.
Expected<std::int64_t> int64_field(const Json& object, std::string_view key, const At& at);

// An array member; absent -> nullptr with no error.
Expected<const Json*> array_field(const Json& object, std::string_view key, const At& at);

// A message-typed member: absent -> nullptr (or an error when `required`); present -> must be an
// object with only `members`.
Expected<const Json*> object_field(const Json& object, std::string_view key, const At& at, bool required,
                                   std::initializer_list<std::string_view> members);

// Parsed in bundle_tlog.cpp: one verificationMaterial.tlogEntries[i] (`at` is its path) of a
// bundle v0.<minor_version> (an inclusion proof needs a checkpoint from v0.2 on), and the number
// of RFC 3161 timestamps in verificationMaterial.timestampVerificationData.
Expected<BundleTlogEntry> parse_tlog_entry(const Json& entry, const At& at, int minor_version);
Expected<std::size_t> count_rfc3161_timestamps(const Json& data, const At& at);

}  // namespace edgeverify::sigstore_detail
