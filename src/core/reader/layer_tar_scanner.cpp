// Push parser for layer tar streams (ustar, GNU, PAX): validates every header and records the
// facts later policy judges. File data is skipped by counting, never copied (hot path).
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>

#include "edgeverify/layer_scan.hpp"
#include "edgeverify/limits.hpp"
#include "reader/layer_entry_facts.hpp"
#include "reader/tar_header.hpp"

namespace edgeverify {

using namespace tar;

namespace {

constexpr std::size_t kBlock = kBlockSize;

// Entry names in messages: control bytes escaped, very long names shortened.
std::string printable(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < 200; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > 200) out += "...";
    return out;
}

// The PAX records this scanner honours; an unset optional leaves the header's field in force.
struct PaxValues {
    std::optional<std::string> path, linkpath;
    std::optional<std::uint64_t> size;
    bool any() const { return path || linkpath || size; }
};

// Numeric header fields every entry must have well-formed (devmajor/devminor: not in v7).
struct NumericFields {
    std::int64_t size, mode, dev_major, dev_minor;
};

}  // namespace

struct LayerTarScanner::State {
    enum class Mode { header, sparse_extension, meta_payload, skip, end_of_archive };
    Mode mode = Mode::header;
    std::uint64_t offset = 0;  // stream bytes consumed so far
    std::array<unsigned char, kBlock> block{};
    std::size_t block_fill = 0;
    bool lone_zero_block = false;

    // Skip mode: data and padding left of the current entry (or of a meta header's padding).
    std::uint64_t skip_left = 0, skip_padding = 0;
    bool skipping_entry_data = false;

    // Meta headers (GNU 'L'/'K', PAX 'x'/'g'): payload collected, then applied to the next entry.
    unsigned char meta_type = 0;
    std::uint64_t meta_left = 0, meta_padding = 0, meta_offset = 0;
    std::string meta_payload;
    std::optional<std::string> gnu_long_name, gnu_long_link;
    PaxValues entry_pax, global_pax;

    std::string entry_name, entry_link;  // of the last entry (kept for truncation messages)
    std::optional<Error> error;
    bool finished = false;
    LayerFacts facts;

    // Watched paths and captured files (is_captured_file_path): the entry whose data is being kept.
    LayerScanOptions options;
    std::optional<std::size_t> capture_index;

    void begin_capture(std::string_view path, std::uint64_t size);
    void capture(const unsigned char* data, std::size_t n);

    std::string where(std::uint64_t at) const {
        return "entry " + std::to_string(facts.entries + 1) + " (byte offset " + std::to_string(at) + ")";
    }
    Status fail(Errc code, std::string message) {
        error = make_error(code, std::move(message));
        return *error;
    }
    bool has_pending_meta() const { return gnu_long_name || gnu_long_link || entry_pax.any(); }
    void start_skip(std::uint64_t data, std::uint64_t padding, bool entry_data) {
        skip_left = data + padding;
        skip_padding = padding;
        skipping_entry_data = entry_data;
        mode = skip_left ? Mode::skip : Mode::header;
    }

    Status on_block(const unsigned char* b, std::uint64_t at);
    Status on_header(const unsigned char* b, std::uint64_t at);
    Status on_zero_block(std::uint64_t at);
    Status begin_meta(unsigned char type, std::uint64_t size, std::uint64_t at);
    Status finish_meta();
    Status parse_pax(std::string_view payload, PaxValues& into, bool global);
    Status on_entry(const unsigned char* b, const NumericFields& numbers, HeaderFormat format,
                    std::uint64_t at);
};

Status LayerTarScanner::State::on_block(const unsigned char* b, std::uint64_t at) {
    if (mode == Mode::header) return on_header(b, at);
    // GNU old-style sparse extension block: more sparse map entries, then maybe another block.
    if (b[kGnuSparseExtIsExtended] == 0) mode = skip_left ? Mode::skip : Mode::header;
    return {};
}

Status LayerTarScanner::State::on_header(const unsigned char* b, std::uint64_t at) {
    if (!checksum_matches(b)) {
        if (is_zero_block(b)) return on_zero_block(at);
        const char* what = at == 0 ? "layer is not a tar archive: header" : "layer tar header";
        return fail(Errc::layer_malformed, std::string(what) + " checksum mismatch at " + where(at));
    }
    if (lone_zero_block) {
        return fail(Errc::layer_malformed,
                    "layer tar has a lone zero block followed by a header at " + where(at));
    }
    const HeaderFormat format = header_format(b);
    NumericFields numbers{0, 0, 0, 0};
    struct Named {
        Field field;
        const char* name;
        std::int64_t* into;
    };
    std::int64_t ignored = 0;
    const Named fields[] = {{kSize, "size", &numbers.size},
                            {kMode, "mode", &numbers.mode},
                            {kUid, "uid", &ignored},
                            {kGid, "gid", &ignored},
                            {kMtime, "mtime", &ignored},
                            {kDevMajor, "devmajor", &numbers.dev_major},
                            {kDevMinor, "devminor", &numbers.dev_minor}};
    for (const auto& f : fields) {
        if (format == HeaderFormat::v7 && f.field.offset >= kDevMajor.offset) break;
        const auto value = parse_numeric(b, f.field);
        if (!value) {
            return fail(Errc::layer_malformed,
                        std::string("layer tar header has an invalid ") + f.name + " field at " + where(at));
        }
        *f.into = *value;
    }
    if (numbers.size < 0)
        return fail(Errc::layer_malformed, "layer tar header has a negative size at " + where(at));
    const unsigned char type = b[kTypeflagOffset];
    if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        return begin_meta(type, static_cast<std::uint64_t>(numbers.size), at);
    }
    return on_entry(b, numbers, format, at);
}

Status LayerTarScanner::State::on_zero_block(std::uint64_t at) {
    if (has_pending_meta()) {
        return fail(Errc::layer_malformed,
                    "layer tar ends after an extended header without its entry at " + where(at));
    }
    if (lone_zero_block) mode = Mode::end_of_archive;
    lone_zero_block = true;
    return {};
}

Status LayerTarScanner::State::begin_meta(unsigned char type, std::uint64_t size, std::uint64_t at) {
    const bool pax = type == 'x' || type == 'g';
    const std::uint64_t limit = pax ? limits::kMaxPaxHeaderBytes : limits::kMaxLayerPathBytes;
    if (size > limit + (pax ? 0 : 1)) {  // a GNU long name ends with a NUL
        return fail(Errc::limit_exceeded,
                    std::string("layer tar ") + (pax ? "PAX extended header" : "GNU long name header") +
                        " of " + std::to_string(size) + " bytes at " + where(at) + " is over " +
                        (pax ? "limits::kMaxPaxHeaderBytes (" : "limits::kMaxLayerPathBytes (") +
                        std::to_string(limit) + ")");
    }
    meta_type = type;
    meta_left = size;
    meta_padding = (kBlock - size % kBlock) % kBlock;
    meta_offset = at;
    meta_payload.clear();
    meta_payload.reserve(size);
    mode = Mode::meta_payload;
    return size == 0 ? finish_meta() : Status{};
}

Status LayerTarScanner::State::finish_meta() {
    const std::string_view payload = meta_payload;
    switch (meta_type) {
        case 'L':
            gnu_long_name.emplace(payload.substr(0, payload.find('\0')));
            break;
        case 'K':
            gnu_long_link.emplace(payload.substr(0, payload.find('\0')));
            break;
        case 'x':
            if (auto st = parse_pax(payload, entry_pax, false); !st) return st;
            break;
        default:
            if (auto st = parse_pax(payload, global_pax, true); !st) return st;
            break;
    }
    start_skip(0, meta_padding, false);
    return {};
}

Status LayerTarScanner::State::parse_pax(std::string_view payload, PaxValues& into, bool global) {
    const auto on_record = [&](std::string_view key, std::string_view value) -> const char* {
        const bool erase = global && value.empty();  // an empty global record deletes the keyword
        if (key == "path" || key == "linkpath") {
            if (value.find('\0') != std::string_view::npos) return "NUL byte in a path";
            auto& target = key == "path" ? into.path : into.linkpath;
            if (erase) {
                target.reset();
            } else {
                target.emplace(value);
            }
        } else if (key == "size") {
            if (erase) {
                into.size.reset();
                return nullptr;
            }
            std::uint64_t size = 0;
            if (value.empty() || value.size() > 18) return "size is not a decimal number";
            for (char c : value) {
                if (c < '0' || c > '9') return "size is not a decimal number";
                size = size * 10 + static_cast<std::uint64_t>(c - '0');
            }
            into.size = size;
        }
        return nullptr;
    };
    if (const auto bad = for_each_pax_record(payload, on_record)) {
        return fail(Errc::layer_malformed, "layer tar PAX record at byte " + std::to_string(bad->at) +
                                               " of the extended header of " + where(meta_offset) +
                                               " is invalid: " + bad->why);
    }
    return {};
}

Status LayerTarScanner::State::on_entry(const unsigned char* b, const NumericFields& numbers,
                                        HeaderFormat format, std::uint64_t at) {
    if (facts.entries >= limits::kMaxLayerEntries) {
        return fail(Errc::limit_exceeded, "layer tar has more than " +
                                              std::to_string(limits::kMaxLayerEntries) +
                                              " entries (limits::kMaxLayerEntries)");
    }
    // Precedence: per-entry PAX record, GNU long name, global PAX record, header field.
    if (entry_pax.path) {
        entry_name = *entry_pax.path;
    } else if (gnu_long_name) {
        entry_name = *gnu_long_name;
    } else if (global_pax.path) {
        entry_name = *global_pax.path;
    } else {
        entry_name.clear();
        const std::string_view prefix = field_string(b, kPrefix);
        if (format == HeaderFormat::ustar && !prefix.empty()) (entry_name = prefix) += '/';
        entry_name += field_string(b, kName);
    }
    if (entry_pax.linkpath) {
        entry_link = *entry_pax.linkpath;
    } else if (gnu_long_link) {
        entry_link = *gnu_long_link;
    } else if (global_pax.linkpath) {
        entry_link = *global_pax.linkpath;
    } else {
        entry_link = field_string(b, kLinkName);
    }
    std::uint64_t size = static_cast<std::uint64_t>(numbers.size);
    if (entry_pax.size) {
        size = *entry_pax.size;
    } else if (global_pax.size) {
        size = *global_pax.size;
    }
    entry_pax = PaxValues{};
    gnu_long_name.reset();
    gnu_long_link.reset();
    for (const std::string* path : {&entry_name, &entry_link}) {
        if (path->size() > limits::kMaxLayerPathBytes) {
            return fail(Errc::limit_exceeded, "layer tar path of " + std::to_string(path->size()) +
                                                  " bytes at " + where(at) +
                                                  " is over limits::kMaxLayerPathBytes (" +
                                                  std::to_string(limits::kMaxLayerPathBytes) + ")");
        }
    }
    unsigned char type = b[kTypeflagOffset];
    if (type == '\0' && !entry_name.empty() && entry_name.back() == '/') type = '5';  // v7 directory
    ++facts.entries;
    normalize_entry_path(entry_name);
    record_entry_facts({type, entry_name, entry_link, numbers.mode, numbers.dev_major, numbers.dev_minor},
                       facts, options.watched_paths);
    capture_index.reset();
    const std::string_view relative =
        std::string_view(entry_name).substr(std::min(entry_name.find_first_not_of('/'), entry_name.size()));
    if ((type == '0' || type == '\0' || type == '7') && is_captured_file_path(relative)) {
        begin_capture(relative, size);
    }

    // Header-only types carry no data whatever their size field says (as Go's archive/tar reads).
    const bool header_only = type >= '1' && type <= '6';
    const std::uint64_t data = header_only ? 0 : size;
    start_skip(data, (kBlock - data % kBlock) % kBlock, true);
    if (type == 'S' && format == HeaderFormat::gnu && b[kGnuSparseIsExtended] != 0) {
        mode = Mode::sparse_extension;
    }
    return {};
}

// A path captured twice in one layer keeps the later entry, as extraction would.
void LayerTarScanner::State::begin_capture(std::string_view path, std::uint64_t size) {
    std::size_t index = facts.captured_files.size();
    for (std::size_t i = 0; i < facts.captured_files.size(); ++i) {
        if (facts.captured_files[i].path == path) index = i;
    }
    if (index == facts.captured_files.size()) facts.captured_files.emplace_back();
    facts.captured_files[index] = CapturedFile{std::string(path), size, {}, size > 0};
    capture_index = index;
}

// Keeps entry data (never padding) within the per-file limit and the pass's budget.
void LayerTarScanner::State::capture(const unsigned char* data, std::size_t n) {
    const std::uint64_t data_left = skip_left > skip_padding ? skip_left - skip_padding : 0;
    CapturedFile& file = facts.captured_files[*capture_index];
    std::uint64_t take = std::min<std::uint64_t>(n, data_left);
    take = std::min<std::uint64_t>(take, limits::kMaxCapturedFileBytes - file.content.size());
    std::uint64_t budget = options.capture_budget->load();
    do {
        if (budget == 0) return;
        take = std::min(take, budget);
    } while (!options.capture_budget->compare_exchange_weak(budget, budget - take));
    file.content.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(take));
    file.truncated = file.content.size() < file.size;
}

LayerTarScanner::LayerTarScanner(LayerScanOptions options) : state_(std::make_unique<State>()) {
    state_->options = std::move(options);
    if (!state_->options.capture_budget) {
        state_->options.capture_budget =
            std::make_shared<std::atomic<std::uint64_t>>(limits::kMaxCapturedBytesPerPass);
    }
}
LayerTarScanner::~LayerTarScanner() = default;

const LayerFacts& LayerTarScanner::facts() const {
    return state_->facts;
}

Status LayerTarScanner::feed(const void* data, std::size_t length) {
    State& s = *state_;
    if (s.error) return *s.error;
    if (s.finished) return s.fail(Errc::internal, "layer tar scanner fed after finish()");
    const auto* p = static_cast<const unsigned char*>(data);
    const unsigned char* const end = p + length;
    while (p < end) {
        const auto avail = static_cast<std::size_t>(end - p);
        switch (s.mode) {
            case State::Mode::skip: {
                const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(s.skip_left, avail));
                if (s.capture_index && s.skipping_entry_data) s.capture(p, n);
                p += n;
                s.offset += n;
                s.skip_left -= n;
                if (s.skip_left == 0) {
                    s.mode = State::Mode::header;
                    s.capture_index.reset();
                }
                break;
            }
            case State::Mode::meta_payload: {
                const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(s.meta_left, avail));
                s.meta_payload.append(reinterpret_cast<const char*>(p), n);
                p += n;
                s.offset += n;
                s.meta_left -= n;
                if (s.meta_left == 0) {
                    if (auto st = s.finish_meta(); !st) return st;
                }
                break;
            }
            case State::Mode::end_of_archive:  // tar ignores whatever follows the end marker
                s.offset += avail;
                p = end;
                break;
            case State::Mode::header:
            case State::Mode::sparse_extension: {
                const unsigned char* block = p;
                if (s.block_fill == 0 && avail >= kBlock) {
                    p += kBlock;  // whole block in the chunk: parse in place, no copy
                    s.offset += kBlock;
                } else {
                    const std::size_t n = std::min(kBlock - s.block_fill, avail);
                    std::memcpy(s.block.data() + s.block_fill, p, n);
                    s.block_fill += n;
                    p += n;
                    s.offset += n;
                    if (s.block_fill < kBlock) break;
                    s.block_fill = 0;
                    block = s.block.data();
                }
                if (auto st = s.on_block(block, s.offset - kBlock); !st) return st;
                break;
            }
        }
    }
    return {};
}

Status LayerTarScanner::finish() {
    State& s = *state_;
    if (s.error) return *s.error;
    s.finished = true;
    const std::string at = std::to_string(s.offset);
    if (s.offset == 0) return s.fail(Errc::layer_malformed, "empty layer: not a tar archive");
    switch (s.mode) {
        case State::Mode::end_of_archive:
            return {};
        case State::Mode::header:
            if (s.block_fill > 0) {
                return s.fail(Errc::layer_malformed, "layer tar truncated inside the header of " +
                                                         s.where(s.offset - s.block_fill) + ": " +
                                                         std::to_string(s.block_fill) + " of 512 bytes");
            }
            if (s.has_pending_meta()) {
                return s.fail(
                    Errc::layer_malformed,
                    "layer tar ends after an extended header without its entry at " + s.where(s.offset));
            }
            return {};  // a complete last entry without end-of-archive blocks: GNU tar accepts it
        case State::Mode::sparse_extension:
            return s.fail(Errc::layer_malformed, "layer tar truncated inside the sparse map of '" +
                                                     printable(s.entry_name) + "' (entry " +
                                                     std::to_string(s.facts.entries) + ")");
        case State::Mode::meta_payload:
            return s.fail(Errc::layer_malformed,
                          "layer tar truncated inside the extended header of " + s.where(s.meta_offset));
        case State::Mode::skip:
            if (!s.skipping_entry_data) {
                return s.fail(Errc::layer_malformed,
                              "layer tar truncated inside the extended header of " + s.where(s.meta_offset));
            }
            // The stream ends exactly where the last entry's data ends, before any padding: Go's
            // archive/tar (containerd's unpacker) reads this as a clean end, and umoci writes such
            // layers. A partial padding block stays truncation.
            if (s.skip_left == s.skip_padding) {
                return {};
            }
            return s.fail(Errc::layer_malformed, std::string("layer tar truncated inside the ") +
                                                     (s.skip_left > s.skip_padding ? "data" : "padding") +
                                                     " of '" + printable(s.entry_name) + "' (entry " +
                                                     std::to_string(s.facts.entries) +
                                                     ", stream ends at byte offset " + at + ")");
    }
    return {};
}

}  // namespace edgeverify
