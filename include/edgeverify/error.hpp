// Errors as values: every failure carries a stable code (for scripts, tests and exit codes)
// and a message that names what is wrong and where.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace edgeverify {

enum class Errc {
    // Usage or configuration (exit 2).
    usage,
    config,
    // The source or a needed file cannot be read (exit 3).
    not_found,
    permission_denied,
    io_error,
    // The content is bad or not trusted (exit 1).
    json_malformed,       // not JSON, or JSON with syntax errors
    json_too_large,       // over kMaxJsonDocumentBytes
    json_too_deep,        // nesting over kMaxJsonDepth
    json_duplicate_key,   // an object names the same key twice
    schema_violation,     // wrong type, missing required field, bad value
    digest_invalid,       // not OCI digest grammar, uppercase hex, wrong length
    digest_unsupported,   // grammatical digest of an algorithm we cannot verify
    digest_mismatch,      // content hashes to something else
    size_mismatch,        // content length differs from the descriptor
    blob_missing,         // a referenced blob is not in the source
    media_type_mismatch,  // descriptor and document disagree, or layer data is not what it claims
    unsupported_media_type,
    schema1_unsupported,  // Docker schema 1 manifests are refused
    diff_id_mismatch,     // decompressed layer does not hash to rootfs.diff_ids[i]
    layer_malformed,      // layer tar or its compression is corrupt
    archive_malformed,    // not a tar, corrupt tar, missing required files
    archive_truncated,    // ends early
    archive_duplicate_entry,
    unsafe_path,          // absolute, "..", or symlinked path where a regular file is required
    limit_exceeded,       // a named limit was hit (decompressed size, entry count, ...)
    graph_cycle,          // an index that references itself
    platform_not_found,
    no_image,             // the source holds nothing verifiable
    key_malformed,        // a key that cannot be decoded (PEM, DER)
    unsupported_key,      // a key of a type or size that is not accepted
    signature_invalid,    // a signature that does not verify or cannot be decoded
    untrusted,            // the trust policy refuses the image (threshold not met, default reject)
    internal,
};

// Stable kebab-case name of a code, used in --json output and test assertions.
std::string_view errc_name(Errc code);

// Exit code contract of DESIGN.md: 1 rejected, 2 usage/config, 3 I/O.
int exit_code_for(Errc code);

struct Error {
    Errc code;
    std::string message;
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

// A value or an Error. Minimal stand-in for C++23 std::expected.
template <class T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : state_(std::move(value)) {}
    Expected(Error error) : state_(std::move(error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(state_); }
    const T& value() const& { assert(has_value()); return std::get<0>(state_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!has_value()); return std::get<1>(state_); }
    Error&& take_error() { assert(!has_value()); return std::get<1>(std::move(state_)); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(Error error) : error_(std::move(error)), failed_(true) {}

    bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    const Error& error() const { assert(failed_); return error_; }
    Error&& take_error() { assert(failed_); return std::move(error_); }

private:
    Error error_{Errc::internal, {}};
    bool failed_ = false;
};

using Status = Expected<void>;

}  // namespace edgeverify
