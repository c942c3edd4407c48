// Debian package version ordering (Debian Policy 5.6.12, deb-version(7)), the ordering
// `dpkg --compare-versions` uses: [epoch:]upstream[-revision].
#pragma once

#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify {

// Checks the syntax dpkg accepts without a warning: an optional epoch (digits, at most INT_MAX)
// before the first ':'; an upstream part that starts with a digit and holds only alphanumerics
// and ". + ~ - :"; an optional revision after the last '-' holding only alphanumerics and
// ". + ~". Leading and trailing blanks are ignored as dpkg does. Anything else ->
// Errc::schema_violation naming the version and what is wrong with it. (dpkg only warns about
// a non-digit start or a stray character and compares anyway; here they are errors, so a
// vulnerability feed can never be matched by a version dpkg itself calls malformed.)
Status validate_dpkg_version(std::string_view version);

// <0, 0 or >0 as `a` sorts before, equal to or after `b`. Epochs compare as numbers; upstream
// and revision compare part by part: a run of non-digits character by character, where '~'
// sorts before everything (even the end of the string), then letters, then every other
// character (by its code); then a run of digits numerically (any length, leading zeros
// ignored). A missing revision compares like "0". An invalid version -> the error of
// validate_dpkg_version.
Expected<int> compare_dpkg_versions(std::string_view a, std::string_view b);

}  // namespace edgeverify
