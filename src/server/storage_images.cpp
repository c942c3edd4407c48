// The image views of the operator API: every digest a device runs (per its newest device report)
// or a verification report names, with its references, devices and PASSED/FAILED counts.
#include <map>

#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"
#include "server/storage.hpp"
#include "server/storage_values.hpp"

namespace edgeverify::server {
namespace {

constexpr std::string_view kImageCursorPrefix = "i1.";

// The digests every image view knows ($1: the verification predicate type), as table "x (digest,
// reference)".
constexpr const char* kImageNames =
    "(SELECT i.digest AS digest, i.reference AS reference FROM devices d JOIN report_images i ON "
    "i.report_id = d.latest_device_report_id UNION SELECT subject_digest, subject_name FROM reports "
    "WHERE predicate_type = $1) AS x";

// Fills references, devices and counts of images whose digests span [first, last] in order.
Status fill_images(SqlConnection& db, std::map<std::string, ImageSummary>& images) {
    std::vector<SqlParam> range{sql_text(kVerificationSummaryPredicate), sql_text(images.begin()->first),
                                sql_text(images.rbegin()->first)};
    auto names = db.run(std::string("SELECT DISTINCT digest, reference FROM ") + kImageNames +
                            " WHERE digest >= $2 AND digest <= $3 ORDER BY digest, reference",
                        range);
    if (!names) return names.take_error();
    for (const auto& r : names->rows)
        if (auto image = images.find(column_text(r[0])); image != images.end())
            image->second.references.push_back(column_text(r[1]));
    std::vector<SqlParam> digests(range.begin() + 1, range.end());
    auto running = db.run(
        "SELECT DISTINCT i.digest, d.id FROM devices d JOIN report_images i ON i.report_id = "
        "d.latest_device_report_id WHERE i.digest >= $1 AND i.digest <= $2 ORDER BY i.digest, d.id",
        digests);
    if (!running) return running.take_error();
    for (const auto& r : running->rows)
        if (auto image = images.find(column_text(r[0])); image != images.end())
            image->second.devices.push_back(column_text(r[1]));
    auto verdicts = db.run(
        "SELECT subject_digest, SUM(CASE WHEN verification_result = 'PASSED' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN verification_result = 'FAILED' THEN 1 ELSE 0 END) FROM reports WHERE "
        "predicate_type = $1 AND subject_digest >= $2 AND subject_digest <= $3 GROUP BY subject_digest",
        range);
    if (!verdicts) return verdicts.take_error();
    for (const auto& r : verdicts->rows)
        if (auto image = images.find(column_text(r[0])); image != images.end()) {
            image->second.passed = column_int(r[1]);
            image->second.failed = column_int(r[2]);
        }
    return {};
}

}  // namespace

Expected<ImagePage> Storage::query_images(std::size_t limit, std::string_view cursor) {
    if (auto s = check_page_size(limit); !s) return s.take_error();
    std::optional<std::string> after;
    if (!cursor.empty()) {
        auto key = parse_text_cursor(kImageCursorPrefix, cursor);
        if (!key) return key.take_error();
        after = std::move(*key);
    }
    std::vector<SqlParam> p{sql_text(kVerificationSummaryPredicate), after ? sql_text(*after) : sql_null_text(),
                            sql_int(static_cast<std::int64_t>(limit) + 1)};
    auto digests = db_->run(std::string("SELECT DISTINCT digest FROM ") + kImageNames +
                                " WHERE ($2 IS NULL OR digest > $2) ORDER BY digest LIMIT $3",
                            p);
    if (!digests) return digests.take_error();
    ImagePage page;
    if (digests->rows.empty()) return page;
    std::map<std::string, ImageSummary> images;
    for (std::size_t i = 0; i < digests->rows.size() && i < limit; ++i) {
        auto digest = column_text(digests->rows[i][0]);
        images[digest].digest = digest;
    }
    if (auto filled = fill_images(*db_, images); !filled) return filled.take_error();
    for (auto& [digest, image] : images) page.images.push_back(std::move(image));
    if (digests->rows.size() > limit)
        page.next_cursor = make_text_cursor(kImageCursorPrefix, page.images.back().digest);
    return page;
}

Expected<std::vector<ImageSummary>> Storage::list_images() {
    std::vector<ImageSummary> images;
    std::string cursor;
    do {
        auto page = query_images(limits::kMaxReportsPageSize, cursor);
        if (!page) return page.take_error();
        for (auto& image : page->images) images.push_back(std::move(image));
        cursor = std::move(page->next_cursor);
    } while (!cursor.empty());
    return images;
}

Expected<ImageSummary> Storage::get_image(std::string_view digest) {
    if (auto s = check_text("image digest", digest, limits::kMaxReportDigestBytes, "kMaxReportDigestBytes"); !s)
        return s.take_error();
    std::map<std::string, ImageSummary> images;
    images[std::string(digest)].digest = std::string(digest);
    if (auto filled = fill_images(*db_, images); !filled) return filled.take_error();
    ImageSummary& image = images.begin()->second;
    if (image.references.empty()) return make_error(Errc::not_found, "no report names image " + std::string(digest));
    return std::move(image);
}

}  // namespace edgeverify::server
