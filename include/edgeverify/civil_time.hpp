// Proleptic Gregorian dates and day counts from 1970-01-01, in 64-bit arithmetic (never time_t,
// which is 32-bit on armhf): the one place for both directions (src/core/civil_time.cpp), used by
// every RFC 3339, X.509 and CRL time conversion.
#pragma once

#include <cstdint>

namespace edgeverify {

struct CivilDate {
    std::int64_t year;
    unsigned month;  // 1..12
    unsigned day;    // 1..31
};

// Days since 1970-01-01 (negative before it) of a date; month 1..12, day 1..31, not range-checked.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
// The date of a day count from 1970-01-01: the inverse of days_from_civil.
CivilDate civil_from_days(std::int64_t days);

}  // namespace edgeverify
