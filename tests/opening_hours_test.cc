// Opening hours: weekly hours, dated closings and overrides, daylight-saving days, validation,
// the parsers, and NextChange against a minute-by-minute scan.
#include "switchboard/opening_hours.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace switchboard {
namespace {

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  REQUIRE(absl::LoadTimeZone(name, &zone));
  return zone;
}

// A local wall-clock time; skipped times give the transition, repeated ones the first occurrence.
absl::Time Local(const absl::TimeZone& zone, int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), zone);
}

absl::Time Utc(int year, int month, int day, int hour, int minute) {
  return Local(absl::UTCTimeZone(), year, month, day, hour, minute);
}

OpeningRange Range(std::string_view text) {
  absl::StatusOr<OpeningRange> range = ParseOpeningRange(text);
  REQUIRE(range.ok());
  return *range;
}

OpeningSchedule Make(const OpeningHours& hours) {
  absl::StatusOr<OpeningSchedule> schedule = OpeningSchedule::Create(hours);
  INFO(std::string(schedule.status().message()));
  REQUIRE(schedule.ok());
  return *schedule;
}

std::string CreateError(const OpeningHours& hours) {
  absl::StatusOr<OpeningSchedule> schedule = OpeningSchedule::Create(hours);
  REQUIRE(!schedule.ok());
  CHECK(schedule.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(schedule.status().message());
}

constexpr int kMon = 0, kTue = 1, kWed = 2, kFri = 4, kSat = 5, kSun = 6;

// Tokyo, weekdays 09:00-18:00 with lunch closed 12:00-13:00. 2026-03-02 is a Monday.
OpeningHours TokyoHours() {
  OpeningHours hours{.zone = "Asia/Tokyo"};
  for (int day = kMon; day <= kFri; ++day) {
    hours.weekly[day] = {Range("09:00-12:00"), Range("13:00-18:00")};
  }
  return hours;
}

TEST_CASE("Weekly hours open and close at local wall-clock times", "[opening_hours]") {
  REQUIRE(absl::GetWeekday(absl::CivilDay(2026, 3, 2)) == absl::Weekday::monday);
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  const OpeningSchedule schedule = Make(TokyoHours());
  auto at = [&](int day, int hour, int minute) {
    return schedule.IsOpen(Local(tokyo, 2026, 3, day, hour, minute));
  };
  CHECK_FALSE(at(2, 8, 59));
  CHECK(at(2, 9, 0));
  CHECK(at(2, 11, 59));
  CHECK_FALSE(at(2, 12, 0));  // lunch
  CHECK_FALSE(at(2, 12, 59));
  CHECK(at(2, 13, 0));
  CHECK(at(2, 17, 59));
  CHECK_FALSE(at(2, 18, 0));
  CHECK(at(6, 10, 0));        // Friday
  CHECK_FALSE(at(7, 10, 0));  // Saturday
  CHECK_FALSE(at(8, 10, 0));  // Sunday
  // 09:00 in Tokyo is 00:00 UTC: no daylight saving, always +09:00.
  CHECK(schedule.IsOpen(Utc(2026, 3, 2, 0, 0)));
  CHECK_FALSE(schedule.IsOpen(Utc(2026, 3, 1, 23, 59)));
}

TEST_CASE("NextChange steps over the lunch closing and the weekend", "[opening_hours]") {
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  const OpeningSchedule schedule = Make(TokyoHours());
  auto next = [&](int day, int hour, int minute) {
    return schedule.NextChange(Local(tokyo, 2026, 3, day, hour, minute));
  };
  CHECK(next(2, 8, 0) == Local(tokyo, 2026, 3, 2, 9, 0));
  CHECK(next(2, 9, 0) == Local(tokyo, 2026, 3, 2, 12, 0));  // strictly after t
  CHECK(next(2, 10, 30) == Local(tokyo, 2026, 3, 2, 12, 0));
  CHECK(next(2, 12, 0) == Local(tokyo, 2026, 3, 2, 13, 0));
  CHECK(next(2, 12, 30) == Local(tokyo, 2026, 3, 2, 13, 0));
  CHECK(next(2, 13, 0) == Local(tokyo, 2026, 3, 2, 18, 0));
  CHECK(next(6, 17, 0) == Local(tokyo, 2026, 3, 6, 18, 0));
  CHECK(next(6, 18, 0) == Local(tokyo, 2026, 3, 9, 9, 0));  // Friday evening to Monday
  CHECK(next(7, 3, 0) == Local(tokyo, 2026, 3, 9, 9, 0));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 2, 10, 0) + absl::Seconds(1)) ==
        Local(tokyo, 2026, 3, 2, 12, 0));
}

TEST_CASE("On the spring-forward day real open time is shorter by the skipped hour",
          "[opening_hours][dst]") {
  // America/New_York, Sunday 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00 UTC).
  REQUIRE(absl::GetWeekday(absl::CivilDay(2026, 3, 8)) == absl::Weekday::sunday);
  SECTION("01:00-03:00 is open one real hour") {
    OpeningHours hours{.zone = "America/New_York"};
    hours.weekly[kSun] = {Range("01:00-03:00")};
    const OpeningSchedule schedule = Make(hours);
    const absl::Time opens = Utc(2026, 3, 8, 6, 0);  // 01:00 EST
    CHECK(schedule.NextChange(Utc(2026, 3, 8, 5, 0)) == opens);
    CHECK(schedule.IsOpen(opens));
    const absl::Time closes = schedule.NextChange(opens);
    CHECK(closes == Utc(2026, 3, 8, 7, 0));  // 03:00 EDT
    CHECK(closes - opens == absl::Hours(1));
    CHECK_FALSE(schedule.IsOpen(closes));
  }
  SECTION("00:00-24:00 is open 23 real hours") {
    OpeningHours hours{.zone = "America/New_York"};
    hours.weekly[kSun] = {Range("00:00-24:00")};
    const OpeningSchedule schedule = Make(hours);
    const absl::Time opens = schedule.NextChange(Utc(2026, 3, 7, 12, 0));
    CHECK(opens == Utc(2026, 3, 8, 5, 0));  // 00:00 EST
    const absl::Time closes = schedule.NextChange(opens);
    CHECK(closes == Utc(2026, 3, 9, 4, 0));  // 00:00 EDT
    CHECK(closes - opens == absl::Hours(23));
  }
  SECTION("a range inside the skipped hour is never open that day") {
    OpeningHours hours{.zone = "America/New_York"};
    hours.weekly[kSun] = {Range("02:15-02:45")};
    const OpeningSchedule schedule = Make(hours);
    for (absl::Time t = Utc(2026, 3, 8, 5, 0); t < Utc(2026, 3, 8, 9, 0); t += absl::Minutes(1)) {
      CHECK_FALSE(schedule.IsOpen(t));
    }
    // The next Sunday it is an ordinary half hour (02:15 EDT).
    const absl::Time opens = schedule.NextChange(Utc(2026, 3, 7, 12, 0));
    CHECK(opens == Utc(2026, 3, 15, 6, 15));
    CHECK(schedule.NextChange(opens) - opens == absl::Minutes(30));
  }
  SECTION("a range starting in the skipped hour opens at the transition") {
    OpeningHours hours{.zone = "America/New_York"};
    hours.weekly[kSun] = {Range("02:30-04:00")};
    const OpeningSchedule schedule = Make(hours);
    const absl::Time opens = schedule.NextChange(Utc(2026, 3, 7, 12, 0));
    CHECK(opens == Utc(2026, 3, 8, 7, 0));                       // 03:00 EDT
    CHECK(schedule.NextChange(opens) == Utc(2026, 3, 8, 8, 0));  // 04:00 EDT
  }
}

TEST_CASE("On the fall-back day real open time is longer by the repeated hour",
          "[opening_hours][dst]") {
  // America/New_York, Sunday 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00 UTC).
  REQUIRE(absl::GetWeekday(absl::CivilDay(2026, 11, 1)) == absl::Weekday::sunday);
  SECTION("00:00-24:00 is open 25 real hours") {
    OpeningHours hours{.zone = "America/New_York"};
    hours.weekly[kSun] = {Range("00:00-24:00")};
    const OpeningSchedule schedule = Make(hours);
    const absl::Time opens = schedule.NextChange(Utc(2026, 10, 31, 12, 0));
    CHECK(opens == Utc(2026, 11, 1, 4, 0));  // 00:00 EDT
    const absl::Time closes = schedule.NextChange(opens);
    CHECK(closes == Utc(2026, 11, 2, 5, 0));  // 00:00 EST
    CHECK(closes - opens == absl::Hours(25));
  }
  SECTION("01:00-02:00 opens at the first 01:00 and stays open through the repeat") {
    OpeningHours hours{.zone = "America/New_York"};
    hours.weekly[kSun] = {Range("01:00-02:00")};
    const OpeningSchedule schedule = Make(hours);
    const absl::Time opens = schedule.NextChange(Utc(2026, 10, 31, 12, 0));
    CHECK(opens == Utc(2026, 11, 1, 5, 0));                       // 01:00 EDT
    CHECK(schedule.IsOpen(Utc(2026, 11, 1, 6, 30)));              // 01:30 EST, the second pass
    CHECK(schedule.NextChange(opens) == Utc(2026, 11, 1, 7, 0));  // 02:00 EST
  }
  SECTION("a range ending in the repeated hour ends at its first occurrence") {
    OpeningHours hours{.zone = "America/New_York"};
    hours.weekly[kSun] = {Range("01:00-01:30")};
    const OpeningSchedule schedule = Make(hours);
    CHECK(schedule.IsOpen(Utc(2026, 11, 1, 5, 15)));        // 01:15 EDT
    CHECK_FALSE(schedule.IsOpen(Utc(2026, 11, 1, 6, 15)));  // 01:15 EST: the second pass
    CHECK(schedule.NextChange(Utc(2026, 11, 1, 5, 15)) == Utc(2026, 11, 1, 5, 30));
    CHECK(schedule.NextChange(Utc(2026, 11, 1, 5, 30)) == Utc(2026, 11, 8, 6, 0));
  }
}

TEST_CASE("A closed_on date is closed whatever its weekly hours", "[opening_hours]") {
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  OpeningHours hours = TokyoHours();
  hours.closed_on = {absl::CivilDay(2026, 3, 4)};  // Wednesday
  const OpeningSchedule schedule = Make(hours);
  CHECK_FALSE(schedule.IsOpen(Local(tokyo, 2026, 3, 4, 10, 0)));
  CHECK(schedule.IsOpen(Local(tokyo, 2026, 3, 11, 10, 0)));  // the next Wednesday
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 3, 18, 0)) == Local(tokyo, 2026, 3, 5, 9, 0));
}

TEST_CASE("An override replaces the hours of its date", "[opening_hours]") {
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  OpeningHours hours = TokyoHours();
  hours.overrides = {{absl::CivilDay(2026, 3, 4), {Range("10:00-15:00")}},
                     {absl::CivilDay(2026, 3, 7), {Range("10:00-12:00")}}};  // a Saturday
  const OpeningSchedule schedule = Make(hours);
  CHECK_FALSE(schedule.IsOpen(Local(tokyo, 2026, 3, 4, 9, 30)));
  CHECK(schedule.IsOpen(Local(tokyo, 2026, 3, 4, 12, 30)));  // no lunch closing that day
  CHECK_FALSE(schedule.IsOpen(Local(tokyo, 2026, 3, 4, 15, 0)));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 3, 18, 0)) == Local(tokyo, 2026, 3, 4, 10, 0));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 4, 10, 0)) == Local(tokyo, 2026, 3, 4, 15, 0));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 6, 18, 0)) == Local(tokyo, 2026, 3, 7, 10, 0));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 7, 10, 0)) == Local(tokyo, 2026, 3, 7, 12, 0));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 7, 12, 0)) == Local(tokyo, 2026, 3, 9, 9, 0));
}

TEST_CASE("An override without ranges closes its date", "[opening_hours]") {
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  OpeningHours hours = TokyoHours();
  hours.overrides = {{absl::CivilDay(2026, 3, 6), {}}};  // Friday
  const OpeningSchedule schedule = Make(hours);
  CHECK_FALSE(schedule.IsOpen(Local(tokyo, 2026, 3, 6, 10, 0)));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 5, 18, 0)) == Local(tokyo, 2026, 3, 9, 9, 0));
}

TEST_CASE("Touching ranges and 24:00 followed by 00:00 are one open period", "[opening_hours]") {
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  OpeningHours hours{.zone = "Asia/Tokyo"};
  hours.weekly[kMon] = {Range("12:00-13:00"), Range("09:00-12:00"), Range("18:00-24:00")};
  hours.weekly[kTue] = {Range("00:00-24:00")};
  hours.weekly[kWed] = {Range("00:00-02:00")};
  const OpeningSchedule schedule = Make(hours);
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 2, 10, 0)) == Local(tokyo, 2026, 3, 2, 13, 0));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 2, 13, 0)) == Local(tokyo, 2026, 3, 2, 18, 0));
  CHECK(schedule.NextChange(Local(tokyo, 2026, 3, 2, 19, 0)) == Local(tokyo, 2026, 3, 4, 2, 0));
  CHECK(schedule.IsOpen(Local(tokyo, 2026, 3, 3, 0, 0)));
  CHECK(schedule.IsOpen(Local(tokyo, 2026, 3, 4, 0, 0)));
}

TEST_CASE("An open period runs through midnight on daylight-saving days", "[opening_hours][dst]") {
  OpeningHours hours{.zone = "America/New_York"};
  hours.weekly[kSat] = {Range("20:00-24:00")};
  hours.weekly[kSun] = {Range("00:00-24:00")};
  hours.weekly[kMon] = {Range("00:00-06:00")};
  const OpeningSchedule schedule = Make(hours);
  // Saturday 2026-03-07 20:00 EST to Monday 06:00 EDT.
  CHECK(schedule.NextChange(Utc(2026, 3, 8, 2, 0)) == Utc(2026, 3, 9, 10, 0));
  // Saturday 2026-10-31 20:00 EDT to Monday 06:00 EST.
  CHECK(schedule.NextChange(Utc(2026, 11, 1, 1, 0)) == Utc(2026, 11, 2, 11, 0));
}

TEST_CASE("Hours open every day all day never change until a closed date", "[opening_hours]") {
  const absl::TimeZone paris = Zone("Europe/Paris");
  OpeningHours hours{.zone = "Europe/Paris"};
  for (auto& ranges : hours.weekly) ranges = {Range("00:00-12:00"), Range("12:00-24:00")};
  SECTION("without dates: open forever") {
    const OpeningSchedule schedule = Make(hours);
    CHECK(schedule.IsOpen(Local(paris, 2026, 3, 29, 2, 30)));
    CHECK(schedule.NextChange(Local(paris, 2026, 3, 1, 0, 0)) == absl::InfiniteFuture());
  }
  SECTION("a closed date years ahead ends the period at its midnight") {
    hours.closed_on = {absl::CivilDay(2031, 12, 25)};
    hours.overrides = {{absl::CivilDay(2027, 1, 1), {Range("00:00-24:00")}}};
    const OpeningSchedule schedule = Make(hours);
    const absl::Time closes = schedule.NextChange(Local(paris, 2026, 3, 1, 0, 0));
    CHECK(closes == Local(paris, 2031, 12, 25, 0, 0));
    CHECK(schedule.NextChange(closes) == Local(paris, 2031, 12, 26, 0, 0));
    CHECK(schedule.NextChange(Local(paris, 2031, 12, 26, 0, 0)) == absl::InfiniteFuture());
  }
}

TEST_CASE("Hours without ranges are always closed", "[opening_hours]") {
  SECTION("no ranges at all") {
    const OpeningSchedule schedule = Make(OpeningHours{});
    CHECK_FALSE(schedule.IsOpen(Utc(2026, 3, 2, 12, 0)));
    CHECK(schedule.NextChange(Utc(2026, 3, 2, 12, 0)) == absl::InfiniteFuture());
  }
  SECTION("an override far ahead is the next change") {
    OpeningHours hours;
    hours.overrides = {{absl::CivilDay(2030, 6, 1), {Range("10:00-11:00")}}};
    const OpeningSchedule schedule = Make(hours);
    CHECK(schedule.NextChange(Utc(2026, 3, 2, 12, 0)) == Utc(2030, 6, 1, 10, 0));
    CHECK(schedule.NextChange(Utc(2030, 6, 1, 10, 0)) == Utc(2030, 6, 1, 11, 0));
    CHECK(schedule.NextChange(Utc(2030, 6, 1, 11, 0)) == absl::InfiniteFuture());
  }
  SECTION("infinite times") {
    OpeningHours hours;
    hours.weekly[kMon] = {Range("00:00-24:00")};
    const OpeningSchedule schedule = Make(hours);
    CHECK_FALSE(schedule.IsOpen(absl::InfiniteFuture()));
    CHECK_FALSE(schedule.IsOpen(absl::InfinitePast()));
    CHECK(schedule.NextChange(absl::InfiniteFuture()) == absl::InfiniteFuture());
    CHECK(schedule.NextChange(absl::InfinitePast()) == absl::InfiniteFuture());
  }
}

TEST_CASE("Create refuses an unknown time zone", "[opening_hours][validation]") {
  CHECK(CreateError({.zone = "Mars/Base"}) == "unknown time zone 'Mars/Base'");
  CHECK(CreateError({.zone = ""}) == "unknown time zone ''");
  CHECK(CreateError({.zone = "/usr/share/zoneinfo/UTC"}) ==
        "unknown time zone '/usr/share/zoneinfo/UTC'");
  CHECK(CreateError({.zone = "../zoneinfo/UTC"}) == "unknown time zone '../zoneinfo/UTC'");
}

TEST_CASE("Create refuses bad ranges, naming the day", "[opening_hours][validation]") {
  OpeningHours hours;
  SECTION("ends before it starts") {
    hours.weekly[kTue] = {{12 * 60, 11 * 60}};
    CHECK(CreateError(hours) == "hours: tue: range 12:00-11:00 ends before it starts");
  }
  SECTION("empty") {
    hours.weekly[kWed] = {{9 * 60, 9 * 60}};
    CHECK(CreateError(hours) == "hours: wed: range 09:00-09:00 is empty");
  }
  SECTION("past 24:00") {
    hours.weekly[kMon] = {{10 * 60, 25 * 60}};
    CHECK(CreateError(hours) == "hours: mon: range 10:00-25:00 is outside 00:00-24:00");
  }
  SECTION("before 00:00") {
    hours.weekly[kSun] = {{-30, 60}};
    CHECK(CreateError(hours) == "hours: sun: range -00:30-01:00 is outside 00:00-24:00");
  }
  SECTION("overlapping, in any order") {
    hours.weekly[kFri] = {{11 * 60, 13 * 60}, {9 * 60, 12 * 60}};
    CHECK(CreateError(hours) == "hours: fri: ranges 09:00-12:00 and 11:00-13:00 overlap");
  }
  SECTION("in an override") {
    hours.overrides = {{absl::CivilDay(2026, 12, 24), {{12 * 60, 11 * 60}}}};
    CHECK(CreateError(hours) == "hours: 2026-12-24: range 12:00-11:00 ends before it starts");
  }
  SECTION("overlapping in an override") {
    hours.overrides = {
        {absl::CivilDay(2026, 12, 24), {Range("08:00-10:00"), Range("09:00-09:30")}}};
    CHECK(CreateError(hours) == "hours: 2026-12-24: ranges 08:00-10:00 and 09:00-09:30 overlap");
  }
}

TEST_CASE("Create refuses a date listed twice", "[opening_hours][validation]") {
  const absl::CivilDay christmas(2026, 12, 25);
  OpeningHours hours;
  SECTION("in closed_on") {
    hours.closed_on = {christmas, absl::CivilDay(2026, 1, 1), christmas};
    CHECK(CreateError(hours) == "hours: date 2026-12-25 is listed twice (closed_on and closed_on)");
  }
  SECTION("in closed_on and overrides") {
    hours.closed_on = {christmas};
    hours.overrides = {{christmas, {Range("10:00-12:00")}}};
    CHECK(CreateError(hours) == "hours: date 2026-12-25 is listed twice (closed_on and overrides)");
  }
  SECTION("in overrides") {
    hours.overrides = {{christmas, {}}, {christmas, {Range("10:00-12:00")}}};
    CHECK(CreateError(hours) == "hours: date 2026-12-25 is listed twice (overrides and overrides)");
  }
}

TEST_CASE("ParseDays reads a day, a range of days, and a range wrapping past Sunday",
          "[opening_hours][parse]") {
  CHECK(*ParseDays("mon") == std::vector<int>{0});
  CHECK(*ParseDays("sun") == std::vector<int>{6});
  CHECK(*ParseDays("mon-fri") == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(*ParseDays("sat-sun") == std::vector<int>{5, 6});
  CHECK(*ParseDays("fri-mon") == std::vector<int>{4, 5, 6, 0});
  CHECK(*ParseDays("tue-mon") == std::vector<int>{1, 2, 3, 4, 5, 6, 0});
  for (const char* bad : {"", "monday", "Mon", "mon-", "mon-frx", "mon--fri", " mon", "mon,tue"}) {
    const absl::StatusOr<std::vector<int>> days = ParseDays(bad);
    INFO(bad);
    REQUIRE_FALSE(days.ok());
    CHECK(days.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(days.status().message()) ==
          "days '" + std::string(bad) +
              "': expected a day (mon..sun) or a range of days such as 'mon-fri'");
  }
  CHECK(std::string(ParseDays("wed-wed").status().message()) ==
        "days 'wed-wed': a range of days needs two different days; for one day write 'wed'");
}

TEST_CASE("ParseOpeningRange reads HH:MM-HH:MM up to 24:00", "[opening_hours][parse]") {
  auto parsed = [](std::string_view text) {
    const OpeningRange range = *ParseOpeningRange(text);
    return std::vector<int>{range.start_minute, range.end_minute};
  };
  CHECK(parsed("09:00-12:00") == std::vector<int>{540, 720});
  CHECK(parsed("00:00-24:00") == std::vector<int>{0, 1440});
  CHECK(parsed("18:30-23:59") == std::vector<int>{1110, 1439});
  // Order is Create's to check, which can name the day.
  CHECK(parsed("12:00-11:00") == std::vector<int>{720, 660});
  auto error = [](std::string_view text) {
    const absl::StatusOr<OpeningRange> range = ParseOpeningRange(text);
    REQUIRE_FALSE(range.ok());
    CHECK(range.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(range.status().message());
  };
  CHECK(error("9-12") == "expected HH:MM-HH:MM, found '9-12'");
  CHECK(error("9:00-12:00") == "expected HH:MM-HH:MM, found '9:00-12:00'");
  CHECK(error("09:00 - 12:00") == "expected HH:MM-HH:MM, found '09:00 - 12:00'");
  CHECK(error("09h00-12h00") == "expected HH:MM-HH:MM, found '09h00-12h00'");
  CHECK(error("") == "expected HH:MM-HH:MM, found ''");
  CHECK(error("09:60-12:00") ==
        "expected HH:MM-HH:MM with times from 00:00 to 24:00, found '09:60-12:00'");
  CHECK(error("22:00-24:30") ==
        "expected HH:MM-HH:MM with times from 00:00 to 24:00, found '22:00-24:30'");
  CHECK(error("25:00-26:00") ==
        "expected HH:MM-HH:MM with times from 00:00 to 24:00, found '25:00-26:00'");
}

TEST_CASE("ParseDate reads YYYY-MM-DD and refuses dates that do not exist",
          "[opening_hours][parse]") {
  CHECK(*ParseDate("2026-01-01") == absl::CivilDay(2026, 1, 1));
  CHECK(*ParseDate("2028-02-29") == absl::CivilDay(2028, 2, 29));
  auto error = [](std::string_view text) {
    const absl::StatusOr<absl::CivilDay> day = ParseDate(text);
    REQUIRE_FALSE(day.ok());
    CHECK(day.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(day.status().message());
  };
  CHECK(error("2026-02-30") == "date '2026-02-30' does not exist");
  CHECK(error("2027-02-29") == "date '2027-02-29' does not exist");
  CHECK(error("2026-13-01") == "date '2026-13-01' does not exist");
  CHECK(error("2026-00-10") == "date '2026-00-10' does not exist");
  CHECK(error("2026-1-1") == "expected a date YYYY-MM-DD, found '2026-1-1'");
  CHECK(error("2026/01/01") == "expected a date YYYY-MM-DD, found '2026/01/01'");
  CHECK(error("2026-01-01T00") == "expected a date YYYY-MM-DD, found '2026-01-01T00'");
  CHECK(error("+026-01-01") == "expected a date YYYY-MM-DD, found '+026-01-01'");
}

TEST_CASE("FormatOpeningRange writes HH:MM-HH:MM", "[opening_hours][parse]") {
  CHECK(FormatOpeningRange({540, 720}) == "09:00-12:00");
  CHECK(FormatOpeningRange({0, 1440}) == "00:00-24:00");
  CHECK(FormatOpeningRange(*ParseOpeningRange("07:05-19:45")) == "07:05-19:45");
}

// Random ranges on a 15-minute grid (to land on daylight-saving hours often) plus odd minutes,
// touching one another often; sometimes none, sometimes the whole day.
std::vector<OpeningRange> RandomRanges(std::mt19937_64& rng) {
  const uint64_t kind = rng() % 10;
  if (kind < 2) return {};
  if (kind < 4) return {{0, 1440}};
  std::vector<int> cuts = {0, 1440};
  const int extra = 1 + static_cast<int>(rng() % 5);
  for (int i = 0; i < extra; ++i) {
    cuts.push_back(rng() % 4 == 0 ? static_cast<int>(rng() % 1441)
                                  : static_cast<int>(rng() % 97) * 15);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<OpeningRange> ranges;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    if (rng() % 10 < 6) ranges.push_back({cuts[i], cuts[i + 1]});
  }
  return ranges;
}

struct Window {
  const char* zone;
  absl::CivilDay first;  // scanned from this local midnight, for `days` days
};

// NextChange (and IsOpen) against a reference built independently: every day's ranges placed
// in real time with absl::FromCivil (which follows the same rules) and scanned minute by minute.
void CrossCheck(const Window& window, int days, std::mt19937_64& rng) {
  const absl::TimeZone zone = Zone(window.zone);
  OpeningHours hours{.zone = window.zone};
  for (auto& ranges : hours.weekly) ranges = RandomRanges(rng);
  std::map<absl::CivilDay, std::vector<OpeningRange>> dated;
  const int dates = static_cast<int>(rng() % 5);
  for (int i = 0; i < dates; ++i) {
    const absl::CivilDay day = window.first + static_cast<int>(rng() % days);
    if (dated.contains(day)) continue;
    if (rng() % 3 == 0) {
      hours.closed_on.push_back(day);
      dated[day] = {};
    } else {
      hours.overrides.push_back({day, RandomRanges(rng)});
      dated[day] = hours.overrides.back().ranges;
    }
  }
  const OpeningSchedule schedule = Make(hours);

  struct Interval {
    absl::Time start, end;
  };
  std::vector<Interval> reference;
  for (absl::CivilDay day = window.first - 2; day < window.first + days + 9; ++day) {
    auto it = dated.find(day);
    const std::vector<OpeningRange>& ranges =
        it != dated.end() ? it->second : hours.weekly[static_cast<int>(absl::GetWeekday(day))];
    for (const OpeningRange& range : ranges) {
      const absl::Time start =
          absl::FromCivil(absl::CivilSecond(day) + range.start_minute * 60, zone);
      const absl::Time end = absl::FromCivil(absl::CivilSecond(day) + range.end_minute * 60, zone);
      if (start < end) reference.push_back({start, end});
    }
  }
  const absl::Time begin = absl::FromCivil(absl::CivilSecond(window.first), zone);
  const int minutes = (days + 7) * 24 * 60;  // a week past the checked span, to find changes
  std::vector<bool> open(minutes + 1);
  for (int i = 0; i <= minutes; ++i) {
    const absl::Time t = begin + absl::Minutes(i);
    for (const Interval& interval : reference) {
      if (interval.start <= t && t < interval.end) open[i] = true;
    }
  }
  // next[i]: the first minute after i whose state differs; -1 if none within the scan.
  std::vector<int> next(minutes + 1, -1);
  for (int i = minutes - 1; i >= 0; --i) {
    next[i] = open[i + 1] != open[i] ? i + 1 : next[i + 1];
  }
  int mismatches = 0;
  std::string first_mismatch;
  for (int i = 0; i < days * 24 * 60; ++i) {
    // Changes fall on whole minutes; a time inside a minute shares its state and next change.
    const absl::Time t = begin + absl::Minutes(i) + absl::Seconds(rng() % 2 == 0 ? 0 : rng() % 60);
    const bool is_open = schedule.IsOpen(t);
    const absl::Time change = schedule.NextChange(t);
    const bool ok = is_open == open[i] && (next[i] >= 0 ? change == begin + absl::Minutes(next[i])
                                                        : change > begin + absl::Minutes(minutes));
    if (!ok && mismatches++ == 0) {
      first_mismatch = absl::FormatTime(t, zone) + ": open " + std::to_string(is_open) +
                       " (expected " + std::to_string(open[i]) + "), next change " +
                       absl::FormatTime(change, zone) + " (expected minute " +
                       std::to_string(next[i]) + ")";
    }
  }
  INFO(window.zone << " from " << absl::FormatCivilTime(window.first) << ": " << first_mismatch);
  CHECK(mismatches == 0);
}

TEST_CASE("NextChange agrees with a minute-by-minute scan across daylight-saving changes",
          "[opening_hours][dst][random]") {
  std::mt19937_64 rng(20260308);
  const Window windows[] = {
      {"America/New_York", absl::CivilDay(2026, 2, 26)},     // spring forward 03-08
      {"America/New_York", absl::CivilDay(2026, 10, 22)},    // fall back 11-01
      {"Australia/Lord_Howe", absl::CivilDay(2026, 3, 29)},  // half-hour fall back 04-05
      {"America/Santiago", absl::CivilDay(2026, 3, 29)},     // 04-05 00:00 back to 04-04 23:00
      {"America/Santiago", absl::CivilDay(2026, 8, 30)},     // 09-06 starts at 01:00
  };
  for (int round = 0; round < 6; ++round) {
    for (const Window& window : windows) CrossCheck(window, 21, rng);
  }
}

}  // namespace
}  // namespace switchboard
