// The dashboard's static files (docs/server-api.md "The dashboard"): GET / and /dashboard/<path>
// answered from regular files under dashboard.dir, with an extension allowlist and no way out of
// the directory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify::server {

// A dashboard file larger than this is not served (the real ones are a few KiB).
inline constexpr std::size_t kMaxDashboardFileBytes = 8 * 1024 * 1024;

struct DashboardFile {
    std::string content_type;
    std::string body;
};

// url_path: the request target without its query ("/", "/dashboard/", "/dashboard/app.js").
// "/" and "/dashboard/" are index.html. A path with "..", ".", an empty segment, a backslash,
// '%', NUL or a control character, an extension outside .html .js .css .svg .png .ico, a symlink
// anywhere on the way (in or out of the directory), or anything that is not a regular file ->
// not_found (the router answers 404 and says no more). Read failures -> io_error.
Expected<DashboardFile> read_dashboard_file(const std::string& dashboard_dir, std::string_view url_path);

}  // namespace edgeverify::server
