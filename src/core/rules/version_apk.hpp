// Alpine package version ordering (apk-tools): digits{.digits}[letter]{_suffix[digits]}[-rN].
#pragma once

#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify {

// Checks an apk version: one or more dot-separated numbers, at most one lowercase letter, any
// number of suffixes `_alpha _beta _pre _rc _cvs _svn _git _hg _p` each with an optional
// number, an optional `~<hex commit>`, and at most one `-r<number>` revision at the end.
// Anything else (an uppercase letter, an unknown suffix, two letters, a trailing '.', "-r"
// without a number) -> Errc::schema_violation naming the version.
Status validate_apk_version(std::string_view version);

// <0, 0 or >0 as `a` sorts before, equal to or after `b`, as apk orders them:
// - dotted numbers compare one by one, numerically; but when a number after a '.' starts with
//   '0' on either side, both compare as strings, byte by byte, a prefix first ("1.01" < "1.1",
//   "1.01" < "1.010", "1.001" < "1.01");
// - where one version has more numbers, it is greater ("1.2" < "1.2.1");
// - a letter suffix is greater than none ("1.2" < "1.2a"), but less than a further number
//   ("1.2a" < "1.2.1"); letters compare alphabetically;
// - suffixes: _alpha < _beta < _pre < _rc < (release) < _cvs < _svn < _git < _hg < _p, then
//   their numbers ("1.0_rc" < "1.0_rc1" < "1.0_rc2" < "1.0" < "1.0_p1");
// - then the commit hash, as a string; then the revision, numerically: "1.0-r1" < "1.0-r10";
// - a version that has run out of parts is less than one that goes on, unless that one goes on
//   with a pre-release suffix: "1.0" < "1.0-r0" (apk does not read a missing -r as -r0),
//   "1.0" < "1.0_p1", "1.0" > "1.0_rc1".
// An invalid version -> the error of validate_apk_version.
Expected<int> compare_apk_versions(std::string_view a, std::string_view b);

}  // namespace edgeverify
