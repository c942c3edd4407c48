#include <doctest/doctest.h>

#include "edgeverify/civil_time.hpp"

using namespace edgeverify;

TEST_CASE("civil time: known day counts from 1970-01-01") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2038, 1, 19) == 24855);  // the last day of a 32-bit time_t
    CHECK(days_from_civil(2100, 3, 1) == 47541);   // 2100 is not a leap year
    CHECK(days_from_civil(1, 1, 1) == -719162);
}

TEST_CASE("civil time: civil_from_days inverts days_from_civil, leap days included") {
    for (std::int64_t days = -800000; days <= 3000000; days += 997) {
        const CivilDate date = civil_from_days(days);
        CHECK(days_from_civil(date.year, date.month, date.day) == days);
    }
    const CivilDate leap = civil_from_days(days_from_civil(2024, 2, 29));
    CHECK(leap.year == 2024);
    CHECK(leap.month == 2);
    CHECK(leap.day == 29);
    const CivilDate after = civil_from_days(days_from_civil(2100, 2, 28) + 1);
    CHECK(after.month == 3);
    CHECK(after.day == 1);
}
