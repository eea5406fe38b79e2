// Opening hours: when a queue is open, as local wall-clock hours in a time zone, with dates that
// close or change the hours.
//
// Example:
//   OpeningHours hours{.zone = "Europe/Paris"};
//   for (int day : *ParseDays("mon-fri")) {
//     hours.weekly[day] = {*ParseOpeningRange("09:00-12:00"), *ParseOpeningRange("13:00-18:00")};
//   }
//   hours.closed_on.push_back(*ParseDate("2026-12-25"));
//   absl::StatusOr<OpeningSchedule> schedule = OpeningSchedule::Create(hours);
//   if (!schedule.ok()) return schedule.status();
//   bool open = schedule->IsOpen(now);
//   absl::Time next = schedule->NextChange(now);  // when `open` flips; InfiniteFuture(): never
//
// Daylight saving: ranges are local wall-clock times, and each boundary is placed in real time
// as follows.
//   - A local time that a spring-forward gap skips means the transition instant: in
//     America/New_York on 2026-03-08 (02:00 -> 03:00) 02:30 means 03:00 EDT. So 01:00-03:00 is
//     open 1 real hour, 00:00-24:00 is open 23 hours, and 02:15-02:45 is not open at all.
//   - A local time that a fall-back repeats means its first occurrence: on 2026-11-01
//     (02:00 EDT -> 01:00 EST) 01:30 means 01:30 EDT. So 00:00-24:00 is open 25 hours,
//     01:00-02:00 is open 2 hours, and during the second pass of the repeated hour the queue
//     stays as it was at the end of the first pass.
// Whether a queue is open at an instant follows from these real intervals alone.
#ifndef SWITCHBOARD_OPENING_HOURS_H_
#define SWITCHBOARD_OPENING_HOURS_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace switchboard {

// One open period within a day, in minutes after local midnight: [start_minute, end_minute).
// 0 <= start_minute < end_minute <= 1440; 1440 is "24:00", the end of the day.
struct OpeningRange {
  int start_minute = 0;
  int end_minute = 0;
};

// The hours of one date, replacing that date's weekly hours.
struct DatedHours {
  // The local date.
  absl::CivilDay day;
  // Its open ranges, as OpeningHours::weekly; empty: closed all day.
  std::vector<OpeningRange> ranges;
};

// Opening hours as configured. Hours of different days never overlap: each day owns its 24 local
// hours. A range that runs to 24:00 and one that starts at 00:00 the next day are one open period,
// as are ranges that touch (09:00-12:00 and 12:00-13:00).
struct OpeningHours {
  // IANA time zone the hours are local to ("Europe/Paris"), read from the system's tzdata
  // (/usr/share/zoneinfo). Default "UTC".
  std::string zone = "UTC";
  // Open ranges per day of the week, index 0 = Monday .. 6 = Sunday; in any order, not
  // overlapping within a day (touching is fine). Empty: closed that day. Default: all empty.
  // All empty with no `overrides`: always closed (a queue without hours is always open; the
  // engine uses std::optional<OpeningHours> for that).
  std::array<std::vector<OpeningRange>, 7> weekly;
  // Local dates closed all day (holidays), whatever their weekly hours. Default none.
  std::vector<absl::CivilDay> closed_on;
  // Local dates with their own hours instead of the weekly ones. A date appears at most once in
  // `closed_on` and `overrides` together. Default none.
  std::vector<DatedHours> overrides;
};

// Opening hours checked and compiled for queries. Copyable; immutable once created, so a const
// schedule may be shared by threads.
class OpeningSchedule {
 public:
  // Checks `hours` and compiles it, loading the zone from tzdata (absl keeps loaded zones for the
  // life of the process). InvalidArgument, naming the culprit, for:
  //   - a zone the system does not know, or a file path: "unknown time zone 'Mars/Base'";
  //   - a range outside 00:00-24:00, empty, ending before it starts, or overlapping another of
  //     the same day: "hours: tue: range 12:00-11:00 ends before it starts",
  //     "hours: 2026-12-24: ranges 09:00-12:00 and 11:00-13:00 overlap";
  //   - a date listed twice in `closed_on` and `overrides`: "hours: date 2026-12-25 is listed
  //     twice (closed_on and overrides)".
  static absl::StatusOr<OpeningSchedule> Create(const OpeningHours& hours);

  // Whether the queue is open at `t` (see the daylight-saving rules above). False for infinite
  // `t`. Cost: a few time-zone lookups (each O(log transitions)) per range of one or two days.
  bool IsOpen(absl::Time t) const;

  // The first instant strictly after `t` at which IsOpen changes; absl::InfiniteFuture() if it
  // never does (closed from `t` on with no hours ahead, or open all day every day after the last
  // dated entry) and for infinite `t`. Touching ranges and 24:00 followed by 00:00 are no change.
  // Cost: the time-zone lookups of IsOpen, for the ranges of the days it looks at: the day of
  // `t`, then only days that can end the current state, found through a weekday table and a
  // binary search of the dated entries (closed weekdays are passed over while closed, 00:00-24:00
  // weekdays while open). Usually 2 or 3 days, plus one per dated entry passed on the way: never a
  // walk over weeks of unchanging days, however far off the change is.
  absl::Time NextChange(absl::Time t) const;

 private:
  OpeningSchedule() = default;

  // The ranges of `day`: its dated entry if it has one, else its weekly ranges.
  const std::vector<OpeningRange>& RangesOn(absl::CivilDay day) const;
  // The real instant a local time of `day` stands for (the rules above).
  absl::Time Instant(absl::CivilDay day, int minute) const;
  // The first day >= `day` that is dated or whose weekday is not `skippable`; false if there is
  // none (every later day is skippable).
  bool NextDayToLook(absl::CivilDay day, const std::array<bool, 7>& skippable,
                     absl::CivilDay* next) const;

  absl::TimeZone zone_;
  // Sorted, merged (touching ranges joined), non-empty ranges per weekday.
  std::array<std::vector<OpeningRange>, 7> weekly_;
  // closed_on and overrides together, sorted by day, ranges as in weekly_.
  std::vector<DatedHours> dated_;
  // Weekdays whose ranges are empty; weekdays whose ranges are exactly 00:00-24:00.
  std::array<bool, 7> closed_all_day_{};
  std::array<bool, 7> open_all_day_{};
};

// "mon".."sun" (lower case), or a range of days "mon-fri", which may wrap past Sunday:
// "fri-mon" is Friday, Saturday, Sunday, Monday. Returns day indexes (0 = Monday) in the order
// walked. InvalidArgument for anything else, including "mon-mon":
// "days 'monday': expected a day (mon..sun) or a range of days such as 'mon-fri'".
absl::StatusOr<std::vector<int>> ParseDays(std::string_view key);

// "HH:MM-HH:MM", two digits each, times from 00:00 to 24:00 (for example "09:00-12:00",
// "18:00-24:00"). InvalidArgument otherwise: "expected HH:MM-HH:MM, found '9-12'". The order of
// the two times is checked by OpeningSchedule::Create, which names the day.
absl::StatusOr<OpeningRange> ParseOpeningRange(std::string_view text);

// A date "YYYY-MM-DD" that exists ("2026-01-01"). InvalidArgument for another form
// ("expected a date YYYY-MM-DD, found '2026-1-1'") or a date that does not exist
// ("date '2026-02-30' does not exist").
absl::StatusOr<absl::CivilDay> ParseDate(std::string_view text);

// "09:00-12:00"; the end of the day is "24:00". Minutes outside a day still print readably
// ("09:00-25:00"), for error messages.
std::string FormatOpeningRange(OpeningRange range);

}  // namespace switchboard

#endif  // SWITCHBOARD_OPENING_HOURS_H_
