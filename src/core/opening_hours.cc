// Opening hours: validation, the local-to-real mapping of range boundaries, and the scan for the
// next change of state.
#include "switchboard/opening_hours.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "fmt/format.h"

namespace switchboard {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::array<std::string_view, 7> kDayKeys = {"mon", "tue", "wed", "thu",
                                                      "fri", "sat", "sun"};

int WeekdayIndex(absl::CivilDay day) {
  // absl::Weekday counts from Monday, as OpeningHours::weekly does.
  return static_cast<int>(absl::GetWeekday(day));
}

std::string FormatMinute(int minute) {
  const char* sign = minute < 0 ? "-" : "";
  const int magnitude = std::abs(minute);
  return fmt::format("{}{:02}:{:02}", sign, magnitude / 60, magnitude % 60);
}

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// Checks the ranges of one day (`where` names it in messages) and returns them sorted, with
// touching ranges joined, so that a day open 00:00-24:00 is always the single range {0, 1440}.
absl::StatusOr<std::vector<OpeningRange>> Normalize(std::string_view where,
                                                    std::vector<OpeningRange> ranges) {
  for (const OpeningRange& range : ranges) {
    const std::string text = FormatOpeningRange(range);
    if (range.start_minute < 0 || range.end_minute > kMinutesPerDay ||
        range.start_minute > kMinutesPerDay || range.end_minute < 0) {
      return absl::InvalidArgumentError(
          fmt::format("hours: {}: range {} is outside 00:00-24:00", where, text));
    }
    if (range.start_minute == range.end_minute) {
      return absl::InvalidArgumentError(fmt::format("hours: {}: range {} is empty", where, text));
    }
    if (range.end_minute < range.start_minute) {
      return absl::InvalidArgumentError(
          fmt::format("hours: {}: range {} ends before it starts", where, text));
    }
  }
  std::sort(ranges.begin(), ranges.end(), [](const OpeningRange& a, const OpeningRange& b) {
    return a.start_minute < b.start_minute;
  });
  std::vector<OpeningRange> merged;
  for (const OpeningRange& range : ranges) {
    if (!merged.empty() && range.start_minute < merged.back().end_minute) {
      return absl::InvalidArgumentError(fmt::format("hours: {}: ranges {} and {} overlap", where,
                                                    FormatOpeningRange(merged.back()),
                                                    FormatOpeningRange(range)));
    }
    if (!merged.empty() && range.start_minute == merged.back().end_minute) {
      merged.back().end_minute = range.end_minute;
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

// Two digits at text[at], text[at + 1]; -1 if they are not digits.
int TwoDigits(std::string_view text, size_t at) {
  const char high = text[at];
  const char low = text[at + 1];
  if (high < '0' || high > '9' || low < '0' || low > '9') return -1;
  return (high - '0') * 10 + (low - '0');
}

// The first dated entry on or after `day`, by binary search.
std::vector<DatedHours>::const_iterator FirstDatedFrom(const std::vector<DatedHours>& dated,
                                                       absl::CivilDay day) {
  return std::lower_bound(dated.begin(), dated.end(), day,
                          [](const DatedHours& entry, absl::CivilDay d) { return entry.day < d; });
}

int DayIndex(std::string_view key) {
  for (int i = 0; i < 7; ++i) {
    if (kDayKeys[i] == key) return i;
  }
  return -1;
}

}  // namespace

absl::StatusOr<OpeningSchedule> OpeningSchedule::Create(const OpeningHours& hours) {
  OpeningSchedule schedule;
  // A zone is a name in the tzdata directory, never a path into the host's file system (absl
  // would open an absolute path as given).
  const bool path_like =
      hours.zone.empty() || hours.zone.front() == '/' || hours.zone.find("..") != std::string::npos;
  if (path_like || !absl::LoadTimeZone(detail::AbslView(hours.zone), &schedule.zone_)) {
    return absl::InvalidArgumentError(fmt::format("unknown time zone '{}'", hours.zone));
  }
  for (int i = 0; i < 7; ++i) {
    absl::StatusOr<std::vector<OpeningRange>> ranges = Normalize(kDayKeys[i], hours.weekly[i]);
    if (!ranges.ok()) return ranges.status();
    schedule.weekly_[i] = *std::move(ranges);
    schedule.closed_all_day_[i] = schedule.weekly_[i].empty();
    schedule.open_all_day_[i] = schedule.weekly_[i].size() == 1 &&
                                schedule.weekly_[i][0].start_minute == 0 &&
                                schedule.weekly_[i][0].end_minute == kMinutesPerDay;
  }

  struct Entry {
    DatedHours hours;
    const char* source;  // for the message about a date listed twice
  };
  std::vector<Entry> entries;
  entries.reserve(hours.closed_on.size() + hours.overrides.size());
  for (const absl::CivilDay& day : hours.closed_on) {
    entries.push_back({{day, {}}, "closed_on"});
  }
  for (const DatedHours& dated : hours.overrides) {
    absl::StatusOr<std::vector<OpeningRange>> ranges =
        Normalize(FormatDay(dated.day), dated.ranges);
    if (!ranges.ok()) return ranges.status();
    entries.push_back({{dated.day, *std::move(ranges)}, "overrides"});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.hours.day < b.hours.day; });
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].hours.day == entries[i - 1].hours.day) {
      return absl::InvalidArgumentError(fmt::format("hours: date {} is listed twice ({} and {})",
                                                    FormatDay(entries[i].hours.day),
                                                    entries[i - 1].source, entries[i].source));
    }
  }
  schedule.dated_.reserve(entries.size());
  for (Entry& entry : entries) schedule.dated_.push_back(std::move(entry.hours));
  return schedule;
}

const std::vector<OpeningRange>& OpeningSchedule::RangesOn(absl::CivilDay day) const {
  auto it = FirstDatedFrom(dated_, day);
  if (it != dated_.end() && it->day == day) return it->ranges;
  return weekly_[WeekdayIndex(day)];
}

absl::Time OpeningSchedule::Instant(absl::CivilDay day, int minute) const {
  // Adding seconds to a CivilSecond normalizes, so minute 1440 is the next day's 00:00: a range
  // ending at 24:00 ends exactly where one starting at 00:00 the next day begins.
  const absl::TimeZone::TimeInfo info = zone_.At(absl::CivilSecond(day) + int64_t{minute} * 60);
  // Skipped: the transition instant. Repeated: the first occurrence (pre). Unique: pre == trans.
  // Both choices keep the mapping non-decreasing, so ranges stay ordered and disjoint in real time.
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

bool OpeningSchedule::NextDayToLook(absl::CivilDay day, const std::array<bool, 7>& skippable,
                                    absl::CivilDay* next) const {
  bool found = false;
  for (int i = 0; i < 7; ++i) {
    if (!skippable[WeekdayIndex(day + i)]) {
      *next = day + i;
      found = true;
      break;
    }
  }
  auto it = FirstDatedFrom(dated_, day);
  if (it != dated_.end() && (!found || it->day < *next)) {
    *next = it->day;
    found = true;
  }
  return found;
}

bool OpeningSchedule::IsOpen(absl::Time t) const {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return false;
  // Earlier days' ranges end by this day's midnight, which is not after t. A later day's range
  // may hold t only when a fall-back crosses midnight, so look until a day starts after t.
  for (absl::CivilDay day(zone_.At(t).cs); Instant(day, 0) <= t; ++day) {
    for (const OpeningRange& range : RangesOn(day)) {
      if (Instant(day, range.start_minute) > t) break;
      if (t < Instant(day, range.end_minute)) return true;
    }
  }
  return false;
}

absl::Time OpeningSchedule::NextChange(absl::Time t) const {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return absl::InfiniteFuture();
  const bool open = IsOpen(t);
  // Days that cannot end the current state: closed ones while closed, 00:00-24:00 ones while open.
  const std::array<bool, 7>& skippable = open ? open_all_day_ : closed_all_day_;
  absl::CivilDay day(zone_.At(t).cs);
  bool in_period = false;  // open: the real interval holding t has been found
  absl::Time period_end = t;
  for (;; ++day) {
    if (!open || in_period) {
      absl::CivilDay next;
      const bool found = NextDayToLook(day, skippable, &next);
      if (open) {
        // Nothing before this day's midnight reopens a period that ended earlier.
        if (Instant(day, 0) > period_end) return period_end;
        if (!found) return absl::InfiniteFuture();  // open all day, every day from here
        // Days [day, next) are open all day: the period runs on through them.
        period_end = std::max(period_end, Instant(next, 0));
      } else if (!found) {
        return absl::InfiniteFuture();  // no day ahead has hours
      }
      day = next;
    }
    for (const OpeningRange& range : RangesOn(day)) {
      const absl::Time start = Instant(day, range.start_minute);
      const absl::Time end = Instant(day, range.end_minute);
      if (start == end || end <= t) continue;  // wholly skipped by a gap, or already over
      if (!open) return start;                 // the first interval after t; t is in none
      if (!in_period) {
        in_period = true;  // the first interval not over holds t
        period_end = end;
        continue;
      }
      if (start > period_end) return period_end;
      period_end = end;
    }
  }
}

absl::StatusOr<std::vector<int>> ParseDays(std::string_view key) {
  if (key.size() == 3) {
    const int day = DayIndex(key);
    if (day >= 0) return std::vector<int>{day};
  } else if (key.size() == 7 && key[3] == '-') {
    const int first = DayIndex(key.substr(0, 3));
    const int last = DayIndex(key.substr(4));
    if (first >= 0 && last >= 0 && first == last) {
      return absl::InvalidArgumentError(
          fmt::format("days '{}': a range of days needs two different days; for one day write '{}'",
                      key, key.substr(0, 3)));
    }
    if (first >= 0 && last >= 0) {
      std::vector<int> days;
      for (int day = first;; day = (day + 1) % 7) {
        days.push_back(day);
        if (day == last) break;
      }
      return days;
    }
  }
  return absl::InvalidArgumentError(fmt::format(
      "days '{}': expected a day (mon..sun) or a range of days such as 'mon-fri'", key));
}

absl::StatusOr<OpeningRange> ParseOpeningRange(std::string_view text) {
  const bool shaped = text.size() == 11 && text[2] == ':' && text[5] == '-' && text[8] == ':';
  const int values[4] = {shaped ? TwoDigits(text, 0) : -1, shaped ? TwoDigits(text, 3) : -1,
                         shaped ? TwoDigits(text, 6) : -1, shaped ? TwoDigits(text, 9) : -1};
  if (std::find(std::begin(values), std::end(values), -1) != std::end(values)) {
    return absl::InvalidArgumentError(fmt::format("expected HH:MM-HH:MM, found '{}'", text));
  }
  const int start = values[0] * 60 + values[1];
  const int end = values[2] * 60 + values[3];
  if (values[1] > 59 || values[3] > 59 || start > kMinutesPerDay || end > kMinutesPerDay) {
    return absl::InvalidArgumentError(
        fmt::format("expected HH:MM-HH:MM with times from 00:00 to 24:00, found '{}'", text));
  }
  return OpeningRange{start, end};
}

absl::StatusOr<absl::CivilDay> ParseDate(std::string_view text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  const int century = shaped ? TwoDigits(text, 0) : -1;
  const int year_of_century = shaped ? TwoDigits(text, 2) : -1;
  const int month = shaped ? TwoDigits(text, 5) : -1;
  const int day_of_month = shaped ? TwoDigits(text, 8) : -1;
  if (century < 0 || year_of_century < 0 || month < 0 || day_of_month < 0) {
    return absl::InvalidArgumentError(fmt::format("expected a date YYYY-MM-DD, found '{}'", text));
  }
  const int year = century * 100 + year_of_century;
  // CivilDay normalizes (Feb 30 becomes Mar 2); a date that exists comes back unchanged.
  const absl::CivilDay day(year, month, day_of_month);
  if (day.year() != year || day.month() != month || day.day() != day_of_month) {
    return absl::InvalidArgumentError(fmt::format("date '{}' does not exist", text));
  }
  return day;
}

std::string FormatOpeningRange(OpeningRange range) {
  return FormatMinute(range.start_minute) + "-" + FormatMinute(range.end_minute);
}

}  // namespace switchboard
